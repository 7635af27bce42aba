-- EPCIS named queries (REST bindings /queries): a query's parameters saved under a name by an
-- account, run later through /epcis/queries/{name}/events with that account's rights.
create table traceability.named_query (
  name text primary key check (name ~ '^[A-Za-z0-9_.~-]{1,100}$'),
  owner_user_id uuid not null,
  -- the SimpleEventQuery parameters, as given (values: strings or arrays of strings)
  query jsonb not null check (jsonb_typeof(query) = 'object'),
  created_at timestamptz not null default now()
);
create index named_query_owner_idx on traceability.named_query (owner_user_id, name);
