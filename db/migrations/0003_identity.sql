-- Module identity: users, sessions, login throttling, password resets, API tokens,
-- producer self-registrations.
create schema identity;

create table identity.user_account (
  id uuid primary key default gen_random_uuid(),
  email citext not null unique check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  phone text check (phone ~ '^\+?[0-9]{8,15}$'),
  name text not null check (length(name) between 1 and 200),
  -- pending: a producer's self-registration awaiting approval
  status text not null default 'active' check (status in ('pending', 'active', 'disabled')),
  role text not null check (role in ('admin', 'province_office', 'commune_officer', 'council_member',
                                     'council_secretary', 'producer')),
  -- province code (2 digits) for a province office, commune code (5 digits) for a commune officer
  scope_code text,
  -- producer accounts: the producer whose records they keep (registry: later issue)
  producer_id uuid,
  password_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (
    (role = 'province_office' and scope_code ~ '^[0-9]{2}$')
    or (role = 'commune_officer' and scope_code ~ '^[0-9]{5}$')
    or (role not in ('province_office', 'commune_officer') and scope_code is null)
  ),
  -- an active producer account keeps one producer's records
  check (status <> 'active' or role <> 'producer' or producer_id is not null)
);
create index user_account_scope_idx on identity.user_account (role, scope_code);

create table identity.session (
  -- sha-256 of the cookie value: a stolen table does not yield usable sessions
  id text primary key,
  user_id uuid not null references identity.user_account (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index session_user_idx on identity.session (user_id);

-- Failed logins per account ('email:…') and per client address ('ip:…'), for back-off.
create table identity.login_throttle (
  key text primary key,
  failures integer not null default 0,
  blocked_until timestamptz,
  updated_at timestamptz not null default now()
);

create table identity.password_reset (
  token_hash text primary key,
  user_id uuid not null references identity.user_account (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table identity.api_token (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references identity.user_account (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_token_user_idx on identity.api_token (user_id);

-- What a producer's representative declared when signing up, until an officer approves it.
create table identity.registration (
  user_id uuid primary key references identity.user_account (id) on delete cascade,
  producer_name text not null check (length(producer_name) between 1 and 300),
  commune_code text not null check (commune_code ~ '^[0-9]{5}$'),
  province_code text not null check (province_code ~ '^[0-9]{2}$'),
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  decided_by uuid references identity.user_account (id),
  decision text check (decision in ('approved', 'rejected'))
);
