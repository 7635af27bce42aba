-- Module traceability: a GS1 EPCIS 2.0 repository. Events are append-only (triggers refuse UPDATE,
-- DELETE and TRUNCATE), kept as received plus indexed projections for the standard queries, and
-- partitioned by record time (one partition a year; a default one catches the rest). Each owner's
-- events form a hash chain. A capture job reports an EPCIS capture as the REST bindings define.

create schema traceability;

create table traceability.capture_job (
  id uuid primary key default gen_random_uuid(),
  error_behaviour text not null check (error_behaviour in ('rollback', 'proceed')),
  running boolean not null default true,
  success boolean not null default true,
  event_count integer not null default 0 check (event_count >= 0),
  stored_count integer not null default 0 check (stored_count >= 0),
  -- RFC 7807 problems, as the capture job document lists them
  errors jsonb not null default '[]'::jsonb check (jsonb_typeof(errors) = 'array'),
  -- who captured: the platform account (an API token's owner) and its scope
  user_id uuid not null,
  producer_id uuid,
  province_code text check (province_code ~ '^[0-9]{2}$'),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index capture_job_user_idx on traceability.capture_job (user_id, created_at);

create sequence traceability.event_seq;

create table traceability.event (
  seq bigint not null default nextval('traceability.event_seq'),
  event_id text not null check (length(event_id) between 1 and 2000),
  event_type text not null check (event_type in
    ('ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent')),
  event_time timestamptz not null,
  event_time_zone_offset text not null check (event_time_zone_offset ~ '^[+-][0-9]{2}:[0-9]{2}$'),
  record_time timestamptz not null default now(),
  action text check (action in ('ADD', 'OBSERVE', 'DELETE')),
  biz_step text,
  disposition text,
  read_point text,
  biz_location text,
  -- the event as received (with eventID and recordTime as stored)
  document jsonb not null check (jsonb_typeof(document) = 'object'),
  capture_id uuid not null,
  -- whose event it is: the producer it is about (null: the province's own), and the province
  owner_producer_id uuid,
  province_code text check (province_code ~ '^[0-9]{2}$'),
  -- the owner's hash chain: sha256 over the previous link and this event's canonical content
  chain_key text not null,
  chain_seq bigint not null check (chain_seq > 0),
  prev_hash text check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  primary key (seq, record_time)
) partition by range (record_time);

-- the identifiers an event names, by role (epc, parentID, inputEPC, outputEPC, epcClass,
-- inputEPCClass, outputEPCClass), in canonical form
create table traceability.event_identifier (
  seq bigint not null,
  record_time timestamptz not null,
  role text not null check (role in ('epc', 'parentID', 'inputEPC', 'outputEPC', 'epcClass', 'inputEPCClass', 'outputEPCClass')),
  identifier text not null check (length(identifier) between 1 and 2000)
) partition by range (record_time);

do $$
declare y integer;
begin
  for y in 2020..2040 loop
    execute format('create table traceability.event_y%s partition of traceability.event for values from (%L) to (%L)',
      y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
    execute format('create table traceability.event_identifier_y%s partition of traceability.event_identifier for values from (%L) to (%L)',
      y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
  end loop;
end $$;
create table traceability.event_default partition of traceability.event default;
create table traceability.event_identifier_default partition of traceability.event_identifier default;

create index event_time_idx on traceability.event (event_time, seq);
create index event_record_time_idx on traceability.event (record_time, seq);
create index event_type_idx on traceability.event (event_type, event_time);
create index event_biz_step_idx on traceability.event (biz_step) where biz_step is not null;
create index event_biz_location_idx on traceability.event (biz_location) where biz_location is not null;
create index event_read_point_idx on traceability.event (read_point) where read_point is not null;
create index event_owner_idx on traceability.event (owner_producer_id, seq);
create index event_province_idx on traceability.event (province_code, seq);
create index event_chain_idx on traceability.event (chain_key, chain_seq);
create index event_id_lookup_idx on traceability.event (event_id);
create index event_identifier_idx on traceability.event_identifier (identifier, role, seq);
create index event_identifier_seq_idx on traceability.event_identifier (seq);

-- eventIDs are unique across partitions (a partitioned table cannot say so itself)
create table traceability.event_key (
  event_id text primary key,
  seq bigint not null,
  record_time timestamptz not null
);

-- the last link of each owner's chain (locked while a capture extends it)
create table traceability.chain_head (
  chain_key text primary key,
  chain_seq bigint not null check (chain_seq >= 0),
  hash text check (hash ~ '^[0-9a-f]{64}$')
);

-- locations a producer may name in its events (its own GLNs, or identifiers the platform minted)
create table traceability.location (
  id uuid primary key default gen_random_uuid(),
  identifier text not null unique check (length(identifier) between 1 and 500),
  producer_id uuid not null references producers.producer (id),
  name text not null check (length(name) between 1 and 200),
  minted boolean not null default false,
  created_at timestamptz not null default now()
);
create index location_producer_idx on traceability.location (producer_id);

create function traceability.append_only() returns trigger
  language plpgsql as $$
begin
  raise exception '% is append-only (% refused)', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger event_append_only before update or delete on traceability.event
  for each row execute function traceability.append_only();
create trigger event_no_truncate before truncate on traceability.event
  for each statement execute function traceability.append_only();
create trigger event_identifier_append_only before update or delete on traceability.event_identifier
  for each row execute function traceability.append_only();
create trigger event_identifier_no_truncate before truncate on traceability.event_identifier
  for each statement execute function traceability.append_only();
create trigger event_key_append_only before update or delete on traceability.event_key
  for each row execute function traceability.append_only();
