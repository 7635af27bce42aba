-- Module admin-units: Vietnam's administrative units in both eras and the 2025 succession.
-- Reference data: rows are loaded by the idempotent seed (ocop seed), not by migrations.
create schema admin_units;

create table admin_units.unit (
  era text not null check (era in ('2025', 'pre2025')),
  code text not null,
  level text not null check (level in ('province', 'district', 'commune')),
  -- tinh, thanh_pho (province); huyen, quan, thi_xa, thanh_pho (district);
  -- xa, phuong, thi_tran, dac_khu (commune)
  type text not null,
  name text not null,
  full_name text not null,
  name_en text,
  full_name_en text,
  parent_code text,
  province_code text not null,
  -- platform.search_text(full_name || ' ' || name): lower case, no diacritics
  search_text text not null,
  primary key (era, code),
  foreign key (era, parent_code) references admin_units.unit (era, code),
  check (
    (level = 'province' and code ~ '^[0-9]{2}$' and parent_code is null and province_code = code)
    or (level = 'district' and era = 'pre2025' and code ~ '^[0-9]{3}$' and parent_code ~ '^[0-9]{2}$')
    or (level = 'commune' and code ~ '^[0-9]{5}$' and parent_code is not null)
  )
);

create index unit_children_idx on admin_units.unit (era, parent_code, level);
create index unit_level_idx on admin_units.unit (era, level, code);
create index unit_province_idx on admin_units.unit (era, province_code, level, code);
create index unit_search_trgm_idx on admin_units.unit using gin (search_text gin_trgm_ops);

-- Which 2025 unit(s) took over each pre-2025 unit. Communes map to communes; the 63 old
-- provinces map to the 34 new ones; the five island districts that had no communes map to
-- the special zone (dac_khu) each became.
create table admin_units.succession (
  old_era text not null default 'pre2025' check (old_era = 'pre2025'),
  old_code text not null,
  new_era text not null default '2025' check (new_era = '2025'),
  new_code text not null,
  -- full: the whole old unit went into the new one; partial: a part of it did
  merge text not null check (merge in ('full', 'partial')),
  -- yes: matches the official NSO conversion table; no:<codes>: the table differs; null: not comparable
  nso_agrees text,
  primary key (old_code, new_code),
  foreign key (old_era, old_code) references admin_units.unit (era, code),
  foreign key (new_era, new_code) references admin_units.unit (era, code)
);

create index succession_new_idx on admin_units.succession (new_code);

-- Which version of the reference files is loaded, so the seed can skip unchanged data.
create table admin_units.seed_state (
  dataset text primary key,
  checksum text not null,
  loaded_at timestamptz not null default now()
);
