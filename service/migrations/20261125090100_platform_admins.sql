-- Operators of the service itself, across orgs; their credentials belong to no org (org_id '').
create table platform_admins (
  id text primary key,
  name text not null unique,
  created_at bigint not null,
  last_used_at bigint
);
