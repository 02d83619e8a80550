create table llm_keys (
  id text primary key,
  org_id text not null references orgs (id) on delete cascade,
  provider text not null,
  label text not null,
  key_hint text not null,
  sealed_key text not null,
  version integer not null,
  created_at bigint not null,
  updated_at bigint not null,
  -- One key per (org, provider), enforced here rather than by a pre-check.
  constraint llm_keys_org_provider_unique unique (org_id, provider)
);
