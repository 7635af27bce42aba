-- Extensions the platform relies on; all four ship with PostgreSQL (contrib) and with PGlite.
-- unaccent + pg_trgm: search that ignores diacritics and tolerates typos.
-- pgcrypto: digests and random bytes in SQL. citext: case-insensitive e-mail addresses.
create extension if not exists unaccent;
create extension if not exists pg_trgm;
create extension if not exists pgcrypto;
create extension if not exists citext;

-- unaccent() is only STABLE (it depends on a dictionary), so it cannot back an index.
-- This wrapper pins the dictionary and is IMMUTABLE, which lets search columns and
-- expression indexes use it. Always search through platform.search_text().
create schema if not exists platform;
create function platform.search_text(value text) returns text
  language sql immutable parallel safe strict
  as $$ select lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
