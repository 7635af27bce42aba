-- Module traceability, from farm to shopper: producers' places and partners, batches (lots) with
-- their ingredient lots, test reports and serial ranges, the Digital Link resolver's own links,
-- the QR scans (partitioned by month) and the problems shoppers report.

-- a producer's own places: what they are, where, and (raw-material areas) their certifications
alter table traceability.location
  add column kind text not null default 'other'
    check (kind in ('farm', 'raw_material_area', 'processing_facility', 'warehouse', 'shop', 'other')),
  add column commune_code text check (commune_code ~ '^[0-9]{5}$'),
  add column latitude numeric(8, 6) check (latitude between -90 and 90),
  add column longitude numeric(9, 6) check (longitude between -180 and 180),
  add column certifications text check (length(certifications) <= 500),
  add check ((latitude is null) = (longitude is null));

-- a producer's partners (distributors, retailers, OCOP points of sale): one retailer's GLN may be
-- the partner of many producers, so an identifier is unique per producer only
create table traceability.partner (
  id uuid primary key default gen_random_uuid(),
  producer_id uuid not null references producers.producer (id),
  identifier text not null check (length(identifier) between 1 and 500),
  minted boolean not null default false,
  name text not null check (length(name) between 1 and 200),
  kind text not null check (kind in ('distributor', 'retailer', 'ocop_point_of_sale', 'other')),
  commune_code text check (commune_code ~ '^[0-9]{5}$'),
  address text check (length(address) <= 300),
  latitude numeric(8, 6) check (latitude between -90 and 90),
  longitude numeric(9, 6) check (longitude between -180 and 180),
  created_at timestamptz not null default now(),
  unique (producer_id, identifier),
  check ((latitude is null) = (longitude is null))
);
create index partner_identifier_idx on traceability.partner (identifier);

-- a lot of a product: GTIN + lot number (GS1 AI 10) name it everywhere (labels, events, resolver)
create table traceability.batch (
  id uuid primary key default gen_random_uuid(),
  producer_id uuid not null references producers.producer (id),
  province_code text not null check (province_code ~ '^[0-9]{2}$'),
  commune_code text not null check (commune_code ~ '^[0-9]{5}$'),
  product_id uuid not null references products.product (id),
  gtin text not null check (gtin ~ '^[0-9]{14}$'),
  lot text not null check (length(lot) between 1 and 20),
  production_date date not null,
  packing_date date,
  expiry_date date,
  quantity numeric(14, 3) check (quantity > 0),
  unit text check (length(unit) between 1 and 20),
  raw_material_location_id uuid references traceability.location (id),
  note text check (length(note) <= 1000),
  recalled_at timestamptz,
  recall_reason text check (length(recall_reason) between 1 and 1000),
  is_demo boolean not null default false,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (gtin, lot),
  check (packing_date is null or packing_date >= production_date),
  check (expiry_date is null or expiry_date > production_date),
  check ((quantity is null) = (unit is null)),
  check ((recalled_at is null) = (recall_reason is null))
);
create index batch_producer_idx on traceability.batch (producer_id, created_at desc);
create index batch_province_idx on traceability.batch (province_code, created_at desc);
create index batch_commune_idx on traceability.batch (commune_code, created_at desc);
create index batch_product_idx on traceability.batch (product_id);

-- the lots a processed lot was made from (the producer's own lots)
create table traceability.batch_input (
  batch_id uuid not null references traceability.batch (id),
  input_batch_id uuid not null references traceability.batch (id),
  primary key (batch_id, input_batch_id),
  check (batch_id <> input_batch_id)
);

-- test reports of a lot: the file is stored by SHA-256 in the file store before this row
create table traceability.batch_document (
  id uuid primary key default gen_random_uuid(),
  batch_id uuid not null references traceability.batch (id),
  name text not null check (length(name) between 1 and 200),
  issued_on date,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  media_type text not null,
  size bigint not null check (size > 0),
  uploaded_by uuid,
  uploaded_at timestamptz not null default now()
);
create index batch_document_batch_idx on traceability.batch_document (batch_id);

-- serials the platform issued for a lot's labels: prefix + number, zero-padded to width
create table traceability.serial_range (
  id uuid primary key default gen_random_uuid(),
  batch_id uuid not null references traceability.batch (id),
  gtin text not null check (gtin ~ '^[0-9]{14}$'),
  prefix text not null check (length(prefix) <= 19),
  first_number integer not null check (first_number >= 1),
  last_number integer not null,
  width smallint not null check (width between 1 and 20),
  created_at timestamptz not null default now(),
  check (last_number >= first_number),
  check (length(prefix) + width <= 20)
);
create index serial_range_gtin_idx on traceability.serial_range (gtin, prefix);

-- the resolver's own links for a key (data entry of GS1 Resolver CE, v3): its anchor (primary
-- key), a qualifier template ('' or '/10/{lot}' …) and the links; the platform's own links (trace
-- page, product page, certificate, EPCIS) are computed, these add to or override them
create table traceability.resolver_entry (
  id uuid primary key default gen_random_uuid(),
  anchor text not null check (anchor ~ '^/[0-9]{2,4}/[^/]+$'),
  qualifier_path text not null default '' check (length(qualifier_path) <= 200),
  item_description text not null check (length(item_description) between 1 and 500),
  default_link_type text not null check (length(default_link_type) between 1 and 200),
  links jsonb not null check (jsonb_typeof(links) = 'array'),
  producer_id uuid references producers.producer (id),
  updated_by uuid,
  updated_at timestamptz not null default now(),
  unique (anchor, qualifier_path)
);

-- every resolution (no personal data): when, what, where it sent the shopper, in which language,
-- a coarse client class, and the network as a keyed hash that changes every day (a copied label
-- shows as one serial from many networks; nobody can tell which networks)
create table traceability.scan (
  scanned_at timestamptz not null,
  gtin text not null check (gtin ~ '^[0-9]{14}$'),
  lot text,
  serial text,
  -- whose product it is (when the GTIN is registered): the dashboards' scope
  producer_id uuid,
  province_code text,
  commune_code text,
  link_type text not null check (length(link_type) <= 200),
  status smallint not null,
  language text check (length(language) <= 35),
  client_class text not null check (client_class in ('phone', 'desktop', 'app', 'bot', 'other')),
  network text check (network ~ '^[0-9a-f]{16}$')
) partition by range (scanned_at);
create table traceability.scan_default partition of traceability.scan default;
create index scan_gtin_idx on traceability.scan (gtin, scanned_at);
create index scan_producer_idx on traceability.scan (producer_id, scanned_at);
create index scan_province_idx on traceability.scan (province_code, scanned_at);
create index scan_commune_idx on traceability.scan (commune_code, scanned_at);
create index scan_serial_idx on traceability.scan (gtin, serial, scanned_at) where serial is not null;

-- a month's partition of the scans (made ahead by the module's maintenance; the default one holds
-- what falls outside)
create function traceability.ensure_scan_partition(month date) returns void
  language plpgsql as $$
declare
  first date := date_trunc('month', month)::date;
  name text := format('scan_%s', to_char(first, 'YYYY_MM'));
begin
  if to_regclass('traceability.' || name) is null then
    execute format('create table traceability.%I partition of traceability.scan for values from (%L) to (%L)',
      name, first, (first + interval '1 month')::date);
  end if;
end $$;

-- problems shoppers report from a trace page
create table traceability.problem_report (
  id uuid primary key default gen_random_uuid(),
  gtin text not null check (gtin ~ '^[0-9]{14}$'),
  lot text,
  serial text,
  producer_id uuid references producers.producer (id),
  province_code text check (province_code ~ '^[0-9]{2}$'),
  commune_code text check (commune_code ~ '^[0-9]{5}$'),
  kind text not null check (kind in ('fake', 'quality', 'label', 'expired', 'other')),
  message text not null check (length(message) between 1 and 2000),
  contact text check (length(contact) <= 200),
  created_at timestamptz not null default now()
);
create index problem_report_producer_idx on traceability.problem_report (producer_id, created_at desc);
create index problem_report_province_idx on traceability.problem_report (province_code, created_at desc);
create index problem_report_commune_idx on traceability.problem_report (commune_code, created_at desc);
