-- When a credential last opened something, written in batches off the hot path (null: never used).
alter table api_keys add column last_used_at bigint;
alter table deployment_keys add column last_used_at bigint;
alter table users add column last_used_at bigint;
