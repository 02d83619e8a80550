create table credentials (
  digest text primary key,
  org_id text not null,
  kind text not null,
  owner_id text not null,
  expires_at bigint,
  created_at bigint not null
);
create index credentials_owner_idx on credentials (owner_id);
