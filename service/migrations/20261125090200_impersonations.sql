-- A platform admin acting as an org admin for a while, with a reason; its token is a credential of the org.
create table impersonations (
  id text primary key,
  admin_id text not null,
  org_id text not null,
  reason text not null,
  created_at bigint not null,
  expires_at bigint not null,
  ended_at bigint
);
create index impersonations_org_idx on impersonations (org_id);
