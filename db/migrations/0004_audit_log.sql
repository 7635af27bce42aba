-- The audit log: every write in every module, through platform.audit (src/platform/audit.ts).
-- Append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.
create table platform.audit_log (
  id uuid primary key default gen_random_uuid(),
  occurred_at timestamptz not null default now(),
  actor_type text not null check (actor_type in ('user', 'token', 'system', 'anonymous')),
  actor_id uuid,
  actor_label text,
  action text not null,
  entity_type text not null,
  entity_id text,
  -- only the fields that changed: { field: [before, after] }
  diff jsonb not null default '{}'::jsonb,
  request_id text,
  ip text
);
create index audit_log_time_idx on platform.audit_log (occurred_at desc);
create index audit_log_entity_idx on platform.audit_log (entity_type, entity_id, occurred_at desc);
create index audit_log_actor_idx on platform.audit_log (actor_id, occurred_at desc);

create function platform.audit_log_is_append_only() returns trigger
  language plpgsql as $$
begin
  raise exception 'platform.audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;

create trigger audit_log_no_update before update or delete on platform.audit_log
  for each row execute function platform.audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on platform.audit_log
  for each statement execute function platform.audit_log_is_append_only();
