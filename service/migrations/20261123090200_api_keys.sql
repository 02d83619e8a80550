create table api_keys (
  id text primary key,
  org_id text not null references orgs (id) on delete cascade,
  kind text not null,
  name text not null,
  description text,
  is_active integer not null,
  allow_all_deployments integer not null,
  permission text,
  expires_at bigint,
  key_hint text not null,
  version integer not null,
  created_at bigint not null,
  updated_at bigint not null,
  rotated_at bigint,
  previous_key_expires_at bigint,
  constraint api_keys_org_kind_name_unique unique (org_id, kind, name)
);
create table api_key_deployments (
  api_key_id text not null references api_keys (id) on delete cascade,
  deployment_id text not null references deployments (id) on delete cascade,
  constraint api_key_deployments_pk primary key (api_key_id, deployment_id)
);
create index api_key_deployments_deployment_idx on api_key_deployments (deployment_id);
