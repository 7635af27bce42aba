-- Module evaluation: criteria versions imported after release (`ocop criteria import FILE`), for a
-- corrected or new legal text. The version the product ships is read from data/criteria/. A
-- published version never changes: the table refuses UPDATE and DELETE.
create schema evaluation;

create table evaluation.criteria_version (
  slug text primary key check (slug ~ '^[a-z0-9][a-z0-9-]{1,40}$'),
  title text not null check (length(title) between 1 and 200),
  -- the whole version as imported: { slug, title, source, sets: [...forms], corrections: [...] }
  content jsonb not null check (jsonb_typeof(content) = 'object'),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  imported_at timestamptz not null default now(),
  imported_by text
);

create function evaluation.criteria_version_is_immutable() returns trigger
  language plpgsql as $$
begin
  raise exception 'a published criteria version never changes (% refused); import a new version', tg_op
    using errcode = 'insufficient_privilege';
end $$;
create trigger criteria_version_immutable before update or delete on evaluation.criteria_version
  for each row execute function evaluation.criteria_version_is_immutable();
