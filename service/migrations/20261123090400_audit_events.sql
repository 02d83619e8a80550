create table audit_events (
  id text primary key,
  org_id text not null,
  at bigint not null,
  actor text not null,
  action text not null,
  target text,
  outcome text not null
);
create index audit_events_org_id_idx on audit_events (org_id, id);
