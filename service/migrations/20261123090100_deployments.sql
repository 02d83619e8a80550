create table deployments (
  id text primary key,
  org_id text not null references orgs (id) on delete cascade,
  name text not null,
  is_active integer not null,
  created_at bigint not null,
  updated_at bigint not null,
  constraint deployments_org_name_unique unique (org_id, name)
);
create table deployment_keys (
  id text primary key,
  org_id text not null,
  deployment_id text not null references deployments (id) on delete cascade,
  name text,
  key_hint text not null,
  created_at bigint not null
);
create index deployment_keys_deployment_idx on deployment_keys (deployment_id);
