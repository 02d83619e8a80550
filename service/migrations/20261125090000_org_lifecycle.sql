-- Orgs get a display name and can be deactivated (every credential of a deactivated org is refused).
alter table orgs add column name text;
alter table orgs add column is_active integer default 1 not null;
alter table orgs add column updated_at bigint;
