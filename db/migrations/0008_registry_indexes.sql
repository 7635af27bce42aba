-- Lists of a province page by (sort_key, id) within the province: an index that serves both.
create index producer_province_sort_idx on producers.producer (province_code, sort_key, id);
create index product_province_sort_idx on products.product (province_code, sort_key, id);

-- Trigram indexes without the pending list: PGlite has no autovacuum to merge it, and a long
-- pending list made the planner give up the index for typo searches (measured: 277 ms instead
-- of a few ms on 20,000 products). Inserts pay a little more; searches stay fast.
alter index producers.producer_search_trgm_idx set (fastupdate = off);
alter index products.product_search_trgm_idx set (fastupdate = off);
