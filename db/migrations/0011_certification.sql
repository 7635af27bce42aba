-- Module certification: the certificate register, its reminders, the keys that sign the
-- certificate QR codes and the daily job's runs. A certificate's status is not stored: it
-- follows from its dates and the day (src/modules/certification/certificate-status.ts).
create schema certification;

create table certification.certificate (
  id uuid primary key default gen_random_uuid(),
  -- the number printed on the certificate (imported ones keep theirs)
  number text not null check (length(number) between 1 and 60 and number !~ '[[:cntrl:]]'),
  product_id uuid not null references products.product (id),
  producer_id uuid not null references producers.producer (id),
  -- as printed on the certificate when it was issued
  product_name text not null check (length(product_name) between 1 and 300),
  producer_name text not null check (length(producer_name) between 1 and 300),
  product_set smallint not null check (product_set between 1 and 26),
  commune_code text not null check (commune_code ~ '^[0-9]{5}$'),
  province_code text not null check (province_code ~ '^[0-9]{2}$'),
  -- who recognised: district (before 1/7/2025, 3★), province (3★, 4★), central (5★)
  level text not null check (level in ('district', 'province', 'central')),
  stars smallint not null check (stars between 3 and 5),
  score numeric(5, 2) check (score between 0 and 100),
  decision_number text not null check (length(decision_number) between 1 and 60),
  decision_date date not null,
  decision_signer text not null check (length(decision_signer) between 1 and 200),
  issued_on date not null check (issued_on >= decision_date),
  -- the last day in force (36 months after issue unless a reason is recorded)
  valid_until date not null check (valid_until > issued_on),
  validity_reason text check (length(validity_reason) between 1 and 500),
  source text not null check (source in ('decision', 'import', 'manual')),
  -- the evaluation that led to it (certificates from decisions)
  round_id uuid references evaluation.round (id),
  dossier_id uuid references products.dossier (id),
  supersedes_id uuid references certification.certificate (id),
  -- deferred: the replaced certificate points to its successor in the transaction that inserts it
  superseded_by_id uuid references certification.certificate (id) deferrable initially deferred,
  superseded_on date,
  revoked_on date,
  revocation_ground text check (revocation_ground in
    ('forged_dossier', 'criteria_not_met', 'law_violation', 'mark_misuse', 'production_stopped', 'authority_conclusion')),
  revocation_decision_number text check (length(revocation_decision_number) between 1 and 60),
  revocation_signer text check (length(revocation_signer) between 1 and 200),
  revocation_reason text check (length(revocation_reason) <= 2000),
  -- a re-evaluation dossier filed while this certificate was current, and when it ended unrecognised
  reevaluation_dossier_id uuid references products.dossier (id),
  reevaluation_filed_on date,
  reevaluation_ended_on date,
  is_demo boolean not null default false,
  search_text text generated always as (platform.search_text(
    number || ' ' || product_name || ' ' || producer_name)) stored,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((level = 'central') = (stars = 5)),
  check (level <> 'district' or stars = 3),
  check ((revoked_on is null) = (revocation_ground is null)
    and (revoked_on is null) = (revocation_decision_number is null)
    and (revoked_on is null) = (revocation_signer is null)),
  check (revoked_on is null or revoked_on >= issued_on),
  check ((superseded_by_id is null) = (superseded_on is null)),
  check (superseded_on is null or superseded_on >= issued_on),
  check (reevaluation_filed_on is not null or reevaluation_ended_on is null),
  check ((reevaluation_dossier_id is null) = (reevaluation_filed_on is null)),
  unique (province_code, level, number)
);
-- one current certificate per product: a new one supersedes the last (revoked ones are not current)
create unique index certificate_current_idx on certification.certificate (product_id)
  where superseded_by_id is null and revoked_on is null;
create index certificate_product_idx on certification.certificate (product_id);
create index certificate_place_idx on certification.certificate (province_code, commune_code);
create index certificate_valid_until_idx on certification.certificate (valid_until, id);
create index certificate_number_idx on certification.certificate (number);
create index certificate_search_trgm_idx on certification.certificate using gin (search_text gin_trgm_ops);

-- Running numbers of the certificates the platform issues, per prefix (e.g. 'OCOP-96-2026').
create table certification.number_sequence (
  prefix text primary key check (prefix ~ '^[A-Z0-9-]{1,30}$'),
  last_value integer not null check (last_value >= 0)
);

-- The reminders of the re-evaluation window and of expiry: one row per certificate and kind, so
-- that the daily job never sends one twice. `sent` is false for one recorded without mail (stale,
-- or a re-evaluation already filed).
create table certification.reminder (
  certificate_id uuid not null references certification.certificate (id),
  kind text not null check (kind in ('window_open', 'window_150', 'window_close', 'expired')),
  due_on date not null,
  sent boolean not null,
  recorded_on date not null,
  created_at timestamptz not null default now(),
  primary key (certificate_id, kind)
);

-- The daily job's runs (one per day; running it again that day does nothing new).
create table certification.daily_run (
  run_on date primary key,
  reminders_sent integer not null default 0,
  products_updated integer not null default 0,
  finished_at timestamptz not null default now()
);

-- Ed25519 keys that sign the certificate QR codes. The public halves are published at
-- /.well-known/ocop-keys.json, retired ones included, so that old signatures stay verifiable.
create table certification.signing_key (
  key_id text primary key check (key_id ~ '^[A-Za-z0-9_-]{1,40}$'),
  public_key text not null check (public_key ~ '^[A-Za-z0-9_-]{43}$'),
  private_key text not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz
);
create unique index signing_key_active_idx on certification.signing_key ((true)) where retired_at is null;
