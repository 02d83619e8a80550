-- Frozen, like every migration once released: edit nothing here, add a migration. Only portable
-- types (text, integer, bigint), so the same statements run on SQLite and PostgreSQL.
create table orgs (
  id text primary key,
  slug text not null unique,
  created_at bigint not null
);
create table users (
  id text primary key,
  org_id text not null references orgs (id) on delete cascade,
  name text not null,
  role text not null,
  created_at bigint not null,
  constraint users_org_name_unique unique (org_id, name)
);
