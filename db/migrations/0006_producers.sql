-- Module producers: the OCOP producers (chủ thể OCOP) of every province.
create schema producers;

create table producers.producer (
  id uuid primary key default gen_random_uuid(),
  legal_type text not null check (legal_type in ('cooperative', 'cooperative_group', 'enterprise', 'farm',
                                                 'household', 'association', 'operating_centre')),
  -- small or medium enterprise (enterprises only)
  is_sme boolean not null default false check (not is_sme or legal_type = 'enterprise'),
  legal_name text not null check (length(legal_name) between 1 and 300),
  -- business registration number (households and cooperatives have one that is not a tax code)
  registration_number text unique check (registration_number ~ '^[0-9A-Z./-]{6,20}$'),
  -- mã số thuế: 10 digits, 10 + '-' + 3 for a dependent unit, or 12 (citizen id, since 7/2025)
  tax_code text unique check (tax_code ~ '^([0-9]{10}(-[0-9]{3})?|[0-9]{12})$'),
  founded_on date,
  address text check (length(address) <= 500),
  -- 2025 commune; the pre-2025 commune when the record predates the merger
  commune_code text not null check (commune_code ~ '^[0-9]{5}$'),
  old_commune_code text check (old_commune_code ~ '^[0-9]{5}$'),
  province_code text not null check (province_code ~ '^[0-9]{2}$'),
  representative_name text check (length(representative_name) <= 200),
  representative_title text check (length(representative_title) <= 200),
  phone text check (phone ~ '^\+?[0-9]{8,15}$'),
  email citext check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  website text check (website ~ '^https?://'),
  worker_count integer check (worker_count >= 0),
  trained_worker_count integer check (trained_worker_count >= 0 and trained_worker_count <= worker_count),
  circular_economy boolean not null default false,
  circular_economy_description text check (length(circular_economy_description) <= 4000),
  -- [{name, communeCode, hectares, certifications: [{kind, number, validFrom, validUntil}]}]
  raw_material_areas jsonb not null default '[]'::jsonb check (jsonb_typeof(raw_material_areas) = 'array'),
  -- [{kind, number, issuer, validFrom, validUntil}]
  quality_certificates jsonb not null default '[]'::jsonb check (jsonb_typeof(quality_certificates) = 'array'),
  -- [{kind, name, url, since}]
  sales_channels jsonb not null default '[]'::jsonb check (jsonb_typeof(sales_channels) = 'array'),
  -- loaded by `ocop demo`: shown with a "demo data" mark, never counted as official
  is_demo boolean not null default false,
  sort_key text generated always as (platform.search_text(legal_name)) stored,
  search_text text generated always as (platform.search_text(
    legal_name || ' ' || coalesce(registration_number, '') || ' ' || coalesce(tax_code, '') || ' ' ||
    coalesce(address, '') || ' ' || coalesce(representative_name, ''))) stored,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (registration_number is not null or tax_code is not null)
);
create index producer_place_idx on producers.producer (province_code, commune_code);
create index producer_sort_idx on producers.producer (sort_key, id);
create index producer_search_trgm_idx on producers.producer using gin (search_text gin_trgm_ops);

-- A producer account keeps one producer's records (identity.user_account.producer_id).
alter table identity.user_account
  add constraint user_account_producer_fk foreign key (producer_id) references producers.producer (id);
