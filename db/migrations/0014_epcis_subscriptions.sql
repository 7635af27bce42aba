-- EPCIS query subscriptions (REST bindings /queries/{name}/subscriptions): a named query's new
-- events sent to a webhook, as they are captured (stream) or on a schedule, each delivery signed
-- with the subscriber's token (GS1-Signature). Deliveries wait in a queue until the webhook
-- accepts them, retried with growing delays.
create table traceability.subscription (
  id uuid primary key default gen_random_uuid(),
  query_name text not null references traceability.named_query (name) on delete cascade,
  owner_user_id uuid not null,
  -- the rights the query runs with: the subscriber's scope when it subscribed
  scope jsonb not null check (jsonb_typeof(scope) = 'object'),
  dest text not null check (dest ~ '^https?://' and length(dest) <= 2000),
  signature_token text check (length(signature_token) between 1 and 500),
  stream boolean not null default false,
  -- {second, minute, hour, dayOfMonth, month, dayOfWeek}, each as in EPCIS query schedules
  schedule jsonb check (schedule is null or jsonb_typeof(schedule) = 'object'),
  report_if_empty boolean not null default false,
  -- with initialRecordTime: the events recorded since then are sent too
  initial_record_time timestamptz,
  -- the events sent so far: every event up to this sequence number
  last_seq bigint not null default 0,
  -- the minute of the last scheduled run (UTC, truncated)
  last_run_minute timestamptz,
  created_at timestamptz not null default now(),
  check (stream or schedule is not null)
);
create index subscription_query_idx on traceability.subscription (query_name);

create table traceability.delivery (
  id uuid primary key default gen_random_uuid(),
  subscription_id uuid not null references traceability.subscription (id) on delete cascade,
  body text not null,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  delivered_at timestamptz,
  last_error text,
  created_at timestamptz not null default now()
);
create index delivery_pending_idx on traceability.delivery (next_attempt_at) where delivered_at is null;
