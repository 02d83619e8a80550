-- Replays are scoped to the caller (member or platform key), not only the org: another caller's
-- identical request is a new request. Records live 24 h, so the old table is dropped, not converted.
drop table idempotency_records;
create table idempotency_records (
  id text primary key,
  org_id text not null,
  owner_id text not null,
  idempotency_key text not null,
  fingerprint text not null,
  status integer not null,
  sealed_response text not null,
  created_at bigint not null,
  constraint idempotency_records_owner_key_unique unique (org_id, owner_id, idempotency_key)
);
create index idempotency_records_created_idx on idempotency_records (created_at);
