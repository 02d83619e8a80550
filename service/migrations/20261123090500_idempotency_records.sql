create table idempotency_records (
  id text primary key,
  org_id text not null,
  idempotency_key text not null,
  fingerprint text not null,
  status integer,
  sealed_response text,
  created_at bigint not null,
  constraint idempotency_records_org_key_unique unique (org_id, idempotency_key)
);
create index idempotency_records_created_idx on idempotency_records (created_at);
