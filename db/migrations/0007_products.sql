-- Module products: products, their dossiers (hồ sơ) and the documents attached to both.
create schema products;

create table products.product (
  id uuid primary key default gen_random_uuid(),
  producer_id uuid not null references producers.producer (id),
  name text not null check (length(name) between 1 and 300),
  -- product set 1–26 of Quyết định 26/2026/QĐ-TTg (sector and group follow from it)
  product_set smallint not null check (product_set between 1 and 26),
  description text check (length(description) <= 10000),
  story text check (length(story) <= 20000),
  packaging text check (length(packaging) <= 1000),
  net_content text check (length(net_content) <= 200),
  shelf_life_days integer check (shelf_life_days > 0),
  -- VND
  price_min bigint check (price_min >= 0),
  price_max bigint check (price_max >= 0),
  status text not null default 'active' check (status in ('active', 'discontinued')),
  -- the star rating currently recognised (set by certification; demo data sets it)
  stars smallint check (stars between 1 and 5),
  -- (T)-(X)-(STT)-year: given when the commune forwards the first dossier
  product_code text unique check (product_code ~ '^[0-9]{2}-[0-9]{5}-[0-9]{1,6}-[0-9]{4}$'),
  code_sequence integer check (code_sequence > 0),
  -- the producer's commune and province when the product was registered: the commune that keeps STT
  commune_code text not null check (commune_code ~ '^[0-9]{5}$'),
  province_code text not null check (province_code ~ '^[0-9]{2}$'),
  is_demo boolean not null default false,
  sort_key text generated always as (platform.search_text(name)) stored,
  search_text text generated always as (platform.search_text(
    name || ' ' || coalesce(product_code, '') || ' ' || coalesce(description, ''))) stored,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (price_max is null or price_min is null or price_max >= price_min),
  unique (commune_code, code_sequence)
);
create index product_producer_idx on products.product (producer_id);
create index product_place_idx on products.product (province_code, commune_code);
create index product_sort_idx on products.product (sort_key, id);
create index product_search_trgm_idx on products.product using gin (search_text gin_trgm_ops);

-- GTINs of a product's trade items (check digit validated before insert).
create table products.product_gtin (
  gtin text primary key check (gtin ~ '^([0-9]{8}|[0-9]{12,14})$'),
  product_id uuid not null references products.product (id) on delete cascade,
  position smallint not null default 0
);
create index product_gtin_product_idx on products.product_gtin (product_id);

-- The commune's running number (STT) of its OCOP products.
create table products.commune_sequence (
  commune_code text primary key check (commune_code ~ '^[0-9]{5}$'),
  last_value integer not null check (last_value >= 0)
);

create table products.dossier (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references products.product (id),
  producer_id uuid not null references producers.producer (id),
  kind text not null check (kind in ('first_evaluation', 'upgrade', 're_evaluation')),
  status text not null default 'draft'
    check (status in ('draft', 'submitted', 'returned', 'checked', 'forwarded', 'accepted', 'closed', 'withdrawn')),
  -- Mẫu 01 (registration form) and Mẫu 02 (self-assessment report) as filled by the producer
  registration jsonb not null default '{}'::jsonb check (jsonb_typeof(registration) = 'object'),
  self_assessment jsonb not null default '{}'::jsonb check (jsonb_typeof(self_assessment) = 'object'),
  -- Mẫu 03: the commune's report on its four items
  commune_report jsonb check (jsonb_typeof(commune_report) = 'object'),
  commune_code text not null check (commune_code ~ '^[0-9]{5}$'),
  province_code text not null check (province_code ~ '^[0-9]{2}$'),
  submitted_at timestamptz,
  -- the commune's deadline: 15 working days after (re)submission
  due_on date,
  checked_at timestamptz,
  forwarded_at timestamptz,
  accepted_at timestamptz,
  closed_at timestamptz,
  -- the officer's comments when returned for completion
  return_comment text check (length(return_comment) <= 4000),
  is_demo boolean not null default false,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- one dossier in progress per product
create unique index dossier_open_idx on products.dossier (product_id)
  where status not in ('closed', 'withdrawn');
create index dossier_place_idx on products.dossier (province_code, commune_code, status);
create index dossier_producer_idx on products.dossier (producer_id);

-- The dossier's history as its users see it (the audit log keeps the full record). Append-only.
create table products.dossier_event (
  id uuid primary key default gen_random_uuid(),
  dossier_id uuid not null references products.dossier (id),
  action text not null,
  from_status text,
  to_status text not null,
  comment text,
  actor_id uuid,
  actor_name text,
  occurred_at timestamptz not null default now()
);
create index dossier_event_dossier_idx on products.dossier_event (dossier_id, occurred_at);

create function products.dossier_event_is_append_only() returns trigger
  language plpgsql as $$
begin
  raise exception 'products.dossier_event is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger dossier_event_no_update before update or delete on products.dossier_event
  for each row execute function products.dossier_event_is_append_only();

-- Files: the bytes live content-addressed (SHA-256) under the data directory; this is their
-- metadata. A replaced document stays, marked superseded, linked from its replacement.
create table products.document (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references products.product (id),
  -- evidence of a dossier; null for the product's own images
  dossier_id uuid references products.dossier (id),
  kind text not null check (kind ~ '^[a-z_]{2,40}$'),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint not null check (size > 0),
  media_type text not null,
  file_name text not null check (length(file_name) between 1 and 255),
  thumbnail_sha256 text check (thumbnail_sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by uuid,
  uploaded_at timestamptz not null default now(),
  replaces_id uuid references products.document (id),
  superseded_at timestamptz
);
create index document_product_idx on products.document (product_id, kind) where superseded_at is null;
create index document_dossier_idx on products.document (dossier_id, kind) where superseded_at is null;
create unique index document_replaces_idx on products.document (replaces_id);
