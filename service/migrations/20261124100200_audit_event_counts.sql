-- Repeated events (failed authentications of one client in one org and window) are one row with a
-- count, found by aggregate_key; every other event has a null key and a count of 1.
alter table audit_events add column count integer;
alter table audit_events add column aggregate_key text;
create unique index audit_events_aggregate_key_unique on audit_events (aggregate_key);
