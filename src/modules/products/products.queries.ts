/** The only code that touches products.product, products.product_gtin and products.commune_sequence. */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, ProductsProduct } from '../../platform/db/schema.ts';
import { closeTo, containsAllWords } from '../../platform/db/search.ts';
import type { Cursor } from '../../platform/pagination.ts';
import type { ListScope } from '../producers/index.ts';

export type ProductRow = Selectable<ProductsProduct>;
export type ProductValues = Omit<
  ProductRow,
  | 'id'
  | 'sort_key'
  | 'search_text'
  | 'version'
  | 'created_at'
  | 'updated_at'
  | 'product_code'
  | 'code_sequence'
>;

export interface ProductFilter {
  /** null: the public, who see recognised products only. */
  scope: ListScope | null;
  q?: string | undefined;
  fuzzy?: boolean;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  producerId?: string | undefined;
  productSet?: number | undefined;
  /** 0: not (yet) recognised. */
  stars?: number | undefined;
  status?: string | undefined;
  cursor?: Cursor | undefined;
  limit: number;
}

export async function findProducts(db: Kysely<DB>, filter: ProductFilter): Promise<ProductRow[]> {
  let query = db.selectFrom('products.product as product').selectAll('product');
  const scope = filter.scope;
  if (!scope) query = query.where('product.stars', 'is not', null).where('product.status', '=', 'active');
  else if (scope.kind === 'province') query = query.where('product.province_code', '=', scope.code);
  else if (scope.kind === 'commune') query = query.where('product.commune_code', '=', scope.code);
  else if (scope.kind === 'producer') query = query.where('product.producer_id', '=', scope.producerId);
  if (filter.provinceCode) query = query.where('product.province_code', '=', filter.provinceCode);
  if (filter.communeCode) query = query.where('product.commune_code', '=', filter.communeCode);
  if (filter.producerId) query = query.where('product.producer_id', '=', filter.producerId);
  if (filter.productSet) query = query.where('product.product_set', '=', filter.productSet);
  if (filter.stars === 0) query = query.where('product.stars', 'is', null);
  else if (filter.stars) query = query.where('product.stars', '=', filter.stars);
  if (filter.status) query = query.where('product.status', '=', filter.status);
  if (filter.q) {
    if (filter.fuzzy) {
      // the query close to some stretch of the product's text (typos; pg_trgm index)
      query = query.where(closeTo('product.search_text', filter.q));
    } else {
      for (const condition of containsAllWords('product.search_text', filter.q))
        query = query.where(condition);
    }
  }
  if (filter.cursor) {
    // a row comparison: the index jumps straight to the cursor (an OR would read every earlier row)
    const { sortKey, id } = filter.cursor;
    query = query.where((eb) =>
      eb(eb.refTuple('product.sort_key', 'product.id'), '>', eb.tuple(sortKey, id)),
    );
  }
  return query
    .orderBy('product.sort_key')
    .orderBy('product.id')
    .limit(filter.limit + 1)
    .execute();
}

export async function findProduct(db: Kysely<DB>, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products.product').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockProduct(db: Kysely<DB>, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products.product').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findProductsOfProducer(db: Kysely<DB>, producerId: string, recognisedOnly: boolean) {
  let query = db
    .selectFrom('products.product')
    .select(['id', 'name', 'stars'])
    .where('producer_id', '=', producerId);
  if (recognisedOnly) query = query.where('stars', 'is not', null).where('status', '=', 'active');
  return query.orderBy('sort_key').execute();
}

export async function findGtins(db: Kysely<DB>, productIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (productIds.length === 0) return out;
  const rows = await db
    .selectFrom('products.product_gtin')
    .select(['product_id', 'gtin'])
    .where('product_id', 'in', productIds)
    .orderBy('product_id')
    .orderBy('position')
    .execute();
  for (const row of rows) out.set(row.product_id, [...(out.get(row.product_id) ?? []), row.gtin]);
  return out;
}

export async function findGtinOwners(db: Kysely<DB>, gtins: string[]) {
  if (gtins.length === 0) return [];
  return db
    .selectFrom('products.product_gtin')
    .select(['gtin', 'product_id'])
    .where('gtin', 'in', gtins)
    .execute();
}

/** Who makes the products these GTINs (14 digits) are on: product, producer and place. */
export async function findGtinProducers(db: Kysely<DB>, gtins: string[]) {
  if (gtins.length === 0) return [];
  return db
    .selectFrom('products.product_gtin as g')
    .innerJoin('products.product as p', 'p.id', 'g.product_id')
    .select(['g.gtin', 'p.id as product_id', 'p.producer_id', 'p.province_code', 'p.commune_code'])
    .where('g.gtin', 'in', gtins)
    .execute();
}

export async function insertProduct(db: Kysely<DB>, values: ProductValues): Promise<ProductRow> {
  return db.insertInto('products.product').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateProduct(
  db: Kysely<DB>,
  id: string,
  version: number | undefined,
  values: Partial<ProductValues> & { product_code?: string; code_sequence?: number },
): Promise<ProductRow | undefined> {
  let query = db
    .updateTable('products.product')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id);
  if (version !== undefined) query = query.where('version', '=', version);
  return query.returningAll().executeTakeFirst();
}

export async function replaceGtins(db: Kysely<DB>, productId: string, gtins: string[]): Promise<void> {
  await db.deleteFrom('products.product_gtin').where('product_id', '=', productId).execute();
  if (gtins.length > 0) {
    await db
      .insertInto('products.product_gtin')
      .values(gtins.map((gtin, position) => ({ gtin, product_id: productId, position })))
      .execute();
  }
}

/** The commune's next running number (STT), taken inside the caller's transaction. */
export async function nextCommuneSequence(db: Kysely<DB>, communeCode: string): Promise<number> {
  const row = await db
    .insertInto('products.commune_sequence')
    .values({ commune_code: communeCode, last_value: 1 })
    .onConflict((oc) =>
      oc.column('commune_code').doUpdateSet({ last_value: sql`products.commune_sequence.last_value + 1` }),
    )
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value;
}

/** Makes sure a sequence is at least `value` (an imported product code already used it). */
export async function raiseCommuneSequence(
  db: Kysely<DB>,
  communeCode: string,
  value: number,
): Promise<void> {
  await db
    .insertInto('products.commune_sequence')
    .values({ commune_code: communeCode, last_value: value })
    .onConflict((oc) =>
      oc.column('commune_code').doUpdateSet({
        last_value: sql`greatest(products.commune_sequence.last_value, excluded.last_value)`,
      }),
    )
    .execute();
}

/** Existing products an import may update: by product code, or by producer and name. */
export async function findProductsForImport(
  db: Kysely<DB>,
  codes: string[],
  producerIds: string[],
): Promise<ProductRow[]> {
  if (codes.length === 0 && producerIds.length === 0) return [];
  return db
    .selectFrom('products.product')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(codes.length > 0 ? [eb('product_code', 'in', codes)] : []),
        ...(producerIds.length > 0 ? [eb('producer_id', 'in', producerIds)] : []),
      ]),
    )
    .execute();
}

export async function findProductsByIds(db: Kysely<DB>, ids: string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('products.product').selectAll().where('id', 'in', ids).execute();
}

/** Sets a product's star rating (the certification module's projection); true when it changed. */
export async function setProductStars(db: Kysely<DB>, id: string, stars: number | null): Promise<boolean> {
  const result = await db
    .updateTable('products.product')
    .set({ stars, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where(sql<boolean>`stars is distinct from ${stars}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
