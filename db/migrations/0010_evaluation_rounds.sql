-- Module evaluation: rounds, their councils, the dossiers they evaluate, the members' score
-- sheets and the results. The lifecycle of a round is in src/modules/evaluation/round-states.ts,
-- the result rules in results.ts; these tables hold what happened.

create table evaluation.round (
  id uuid primary key default gen_random_uuid(),
  level text not null check (level in ('province', 'central')),
  -- the province that holds the round (for a central round: the province whose candidates it scores)
  province_code text not null check (province_code ~ '^[0-9]{2}$'),
  year integer not null check (year between 2020 and 2100),
  -- 1 and 2 are the regular rounds of the year; 3 and up are extra rounds
  number integer not null check (number between 1 and 20),
  name text not null check (length(name) between 1 and 200),
  status text not null default 'planned'
    check (status in ('planned', 'open', 'scoring_closed', 'results_proposed', 'decided', 'cancelled')),
  criteria_version text not null,
  quorum_percent integer not null default 75 check (quorum_percent between 50 and 100),
  spread_limit numeric(5, 2) not null default 10 check (spread_limit between 0 and 100),
  files_by date not null,
  closes_by date not null check (closes_by >= files_by),
  scoring_date date,
  location text check (length(location) <= 300),
  -- the provincial chair's recognition decision (quyết định công nhận)
  decision_number text check (length(decision_number) between 1 and 60),
  decision_date date check (decision_date >= scoring_date),
  decision_signer text check (length(decision_signer) between 1 and 200),
  decided_at timestamptz,
  version integer not null default 1,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (province_code, level, year, number)
);
create index round_status_idx on evaluation.round (province_code, status);

-- A seat on the round's council. Every seat is a platform account: the member signs in to score.
create table evaluation.council_member (
  id uuid primary key default gen_random_uuid(),
  round_id uuid not null references evaluation.round (id) on delete cascade,
  user_id uuid not null references identity.user_account (id),
  role text not null check (role in ('chair', 'vice_chair', 'secretary', 'member', 'advisor')),
  full_name text not null check (length(full_name) between 1 and 200),
  organisation text not null default '' check (length(organisation) <= 300),
  email text not null default '' check (length(email) <= 320),
  phone text not null default '' check (length(phone) <= 30),
  present boolean not null default false,
  created_at timestamptz not null default now(),
  unique (round_id, user_id)
);
create unique index council_one_chair_idx on evaluation.council_member (round_id) where role = 'chair';
create unique index council_one_secretary_idx on evaluation.council_member (round_id) where role = 'secretary';
create index council_member_user_idx on evaluation.council_member (user_id);

-- A dossier in a round, with what the council needs of it copied when it was added (the product
-- evaluated does not change under the council) and its result once final.
create table evaluation.round_dossier (
  id uuid primary key default gen_random_uuid(),
  round_id uuid not null references evaluation.round (id) on delete cascade,
  dossier_id uuid not null references products.dossier (id),
  product_id uuid not null,
  position integer not null check (position >= 1),
  kind text not null check (kind in ('first_evaluation', 'upgrade', 're_evaluation')),
  product_name text not null,
  product_code text,
  product_set integer not null check (product_set between 1 and 99),
  producer_name text not null,
  -- the day the province received the complete file (forwarded by the commune): the 45-day clock
  complete_on date not null,
  -- a re-evaluation decided by written opinions, or a meeting
  mode text not null default 'meeting' check (mode in ('meeting', 'written')),
  -- the previous evaluation this one confirms or changes (re-evaluation, upgrade)
  previous_id uuid references evaluation.round_dossier (id),
  -- a re-score starts a new attempt; sheets of earlier attempts stay for the record
  attempt integer not null default 1 check (attempt >= 1),
  meeting_held boolean not null default false,
  spread_reason text check (length(spread_reason) between 1 and 4000),
  spread_accepted_by uuid,
  -- the sheets (their sha256) whose spread the chair accepted: another set of sheets is not accepted
  spread_sheets jsonb check (jsonb_typeof(spread_sheets) = 'array'),
  result jsonb check (jsonb_typeof(result) = 'object'),
  stars integer check (stars between 0 and 5),
  outcome text check (outcome in ('disqualified', 'not_recognised', 'recognise', 'forward_central', 'recognise_5_star')),
  finalised_at timestamptz,
  finalised_by uuid,
  created_at timestamptz not null default now(),
  unique (round_id, dossier_id),
  unique (round_id, position)
);
create index round_dossier_dossier_idx on evaluation.round_dossier (dossier_id);
create index round_dossier_product_idx on evaluation.round_dossier (product_id);

-- Each member declares, per product, whether a conflict of interest keeps them from scoring it.
create table evaluation.conflict_declaration (
  round_dossier_id uuid not null references evaluation.round_dossier (id) on delete cascade,
  member_id uuid not null references evaluation.council_member (id) on delete cascade,
  conflicted boolean not null,
  reason text check (length(reason) <= 2000),
  declared_at timestamptz not null default now(),
  primary key (round_dossier_id, member_id),
  check (not conflicted or reason is not null)
);

-- A member's score sheet for a product: a draft until submitted, then locked (a trigger refuses
-- any change). The content hash of the submitted sheet also goes to the audit log.
create table evaluation.score_sheet (
  id uuid primary key default gen_random_uuid(),
  round_dossier_id uuid not null references evaluation.round_dossier (id) on delete cascade,
  member_id uuid not null references evaluation.council_member (id) on delete cascade,
  attempt integer not null check (attempt >= 1),
  status text not null default 'draft' check (status in ('draft', 'submitted')),
  -- leaf criterion code → chosen option index, as in scoring.ts
  choices jsonb not null default '{}'::jsonb check (jsonb_typeof(choices) = 'object'),
  -- leaf criterion code → the member's comment
  comments jsonb not null default '{}'::jsonb check (jsonb_typeof(comments) = 'object'),
  disqualified jsonb not null default '[]'::jsonb check (jsonb_typeof(disqualified) = 'array'),
  -- written re-evaluation: the member confirms or changes the previous scores
  opinion text check (opinion in ('confirm', 'change')),
  total numeric(6, 2),
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  saved_at timestamptz not null default now(),
  submitted_at timestamptz,
  unique (round_dossier_id, member_id, attempt),
  check ((status = 'submitted') = (submitted_at is not null and sha256 is not null and total is not null))
);

-- Every save of a sheet by the key the browser sent with it (the offline queue may resend any of
-- them, in any order): a key seen before is answered with the sheet as it is, and changes nothing.
create table evaluation.sheet_save (
  member_id uuid not null references evaluation.council_member (id) on delete cascade,
  idempotency_key text not null check (length(idempotency_key) between 8 and 100),
  sheet_id uuid not null references evaluation.score_sheet (id) on delete cascade,
  saved_at timestamptz not null default now(),
  primary key (member_id, idempotency_key)
);

create function evaluation.score_sheet_locked() returns trigger
  language plpgsql as $$
begin
  if old.status = 'submitted' then
    raise exception 'a submitted score sheet never changes (% refused)', tg_op
      using errcode = 'insufficient_privilege';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger score_sheet_locked before update or delete on evaluation.score_sheet
  for each row execute function evaluation.score_sheet_locked();
