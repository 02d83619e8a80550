-- Hits per subject (a client address or /64 for failed authentications, a caller for LLM-key
-- verification) per fixed window, shared by every instance. Old windows are purged.
create table rate_limit_windows (
  subject text not null,
  window_start bigint not null,
  hits integer not null,
  constraint rate_limit_windows_pk primary key (subject, window_start)
);
create index rate_limit_windows_start_idx on rate_limit_windows (window_start);
