-- Free text an event carries beyond ids (the reason given for an impersonation); never a secret.
alter table audit_events add column detail text;
