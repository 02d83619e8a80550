-- The row a create made (its id), kept after the record's 24 h so that a create whose answer was
-- lost can be recovered by the same caller on any later run (domain/recovery.ts).
alter table idempotency_records add column target_id text;
