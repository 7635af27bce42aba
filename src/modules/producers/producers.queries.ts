/** The only code that touches the producers schema. */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, ProducersProducer } from '../../platform/db/schema.ts';
import { closeTo, containsAllWords } from '../../platform/db/search.ts';
import type { Cursor } from '../../platform/pagination.ts';
import type { ListScope } from './policy.ts';

export type ProducerRow = Selectable<ProducersProducer>;
/** What the service stores; the three lists are written as JSON. */
export type ProducerValues = Omit<
  ProducerRow,
  | 'id'
  | 'sort_key'
  | 'search_text'
  | 'version'
  | 'created_at'
  | 'updated_at'
  | 'raw_material_areas'
  | 'quality_certificates'
  | 'sales_channels'
> & { raw_material_areas: unknown[]; quality_certificates: unknown[]; sales_channels: unknown[] };

export interface ProducerFilter {
  scope: ListScope;
  q?: string | undefined;
  fuzzy?: boolean;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  legalType?: string | undefined;
  ids?: string[] | undefined;
  cursor?: Cursor | undefined;
  limit: number;
}

/** Escapes LIKE wildcards in a word already folded by platform.search_text. */
export async function findProducers(db: Kysely<DB>, filter: ProducerFilter): Promise<ProducerRow[]> {
  let query = db.selectFrom('producers.producer').selectAll();
  const scope = filter.scope;
  if (scope.kind === 'province') query = query.where('province_code', '=', scope.code);
  if (scope.kind === 'commune') query = query.where('commune_code', '=', scope.code);
  if (scope.kind === 'producer') query = query.where('id', '=', scope.producerId);
  if (filter.provinceCode) query = query.where('province_code', '=', filter.provinceCode);
  if (filter.communeCode) query = query.where('commune_code', '=', filter.communeCode);
  if (filter.legalType) query = query.where('legal_type', '=', filter.legalType);
  if (filter.ids)
    query = query.where(
      'id',
      'in',
      filter.ids.length > 0 ? filter.ids : ['00000000-0000-0000-0000-000000000000'],
    );
  if (filter.q) {
    if (filter.fuzzy) {
      // tolerate typos: the query close to some stretch of the record (pg_trgm, index-backed)
      query = query.where(closeTo('search_text', filter.q));
    } else {
      for (const condition of containsAllWords('search_text', filter.q)) query = query.where(condition);
    }
  }
  if (filter.cursor) {
    // a row comparison: the index jumps straight to the cursor (an OR would read every earlier row)
    const { sortKey, id } = filter.cursor;
    query = query.where((eb) => eb(eb.refTuple('sort_key', 'id'), '>', eb.tuple(sortKey, id)));
  }
  return query
    .orderBy('sort_key')
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export async function findProducer(db: Kysely<DB>, id: string): Promise<ProducerRow | undefined> {
  return db.selectFrom('producers.producer').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProducersByIds(db: Kysely<DB>, ids: string[]): Promise<ProducerRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('producers.producer').selectAll().where('id', 'in', ids).execute();
}

/** Producers holding any of these registration numbers or tax codes (for imports). */
export async function findProducersByIdentifiers(
  db: Kysely<DB>,
  registrationNumbers: string[],
  taxCodes: string[],
): Promise<ProducerRow[]> {
  if (registrationNumbers.length === 0 && taxCodes.length === 0) return [];
  return db
    .selectFrom('producers.producer')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(registrationNumbers.length > 0 ? [eb('registration_number', 'in', registrationNumbers)] : []),
        ...(taxCodes.length > 0 ? [eb('tax_code', 'in', taxCodes)] : []),
      ]),
    )
    .execute();
}

const jsonColumns = (values: ProducerValues) => ({
  ...values,
  raw_material_areas: JSON.stringify(values.raw_material_areas),
  quality_certificates: JSON.stringify(values.quality_certificates),
  sales_channels: JSON.stringify(values.sales_channels),
});

export async function insertProducer(db: Kysely<DB>, values: ProducerValues): Promise<ProducerRow> {
  return db
    .insertInto('producers.producer')
    .values(jsonColumns(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates when the version still matches (optimistic concurrency); undefined when it does not. */
export async function updateProducer(
  db: Kysely<DB>,
  id: string,
  version: number | undefined,
  values: ProducerValues,
): Promise<ProducerRow | undefined> {
  let query = db
    .updateTable('producers.producer')
    .set({ ...jsonColumns(values), version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id);
  if (version !== undefined) query = query.where('version', '=', version);
  return query.returningAll().executeTakeFirst();
}

export async function countProducers(db: Kysely<DB>, provinceCode?: string): Promise<number> {
  let query = db.selectFrom('producers.producer').select((eb) => eb.fn.countAll<number>().as('n'));
  if (provinceCode) query = query.where('province_code', '=', provinceCode);
  return (await query.executeTakeFirst())?.n ?? 0;
}

/** Only the names, for lists of other records (a product list shows its producers' names). */
export async function findProducerNames(
  db: Kysely<DB>,
  ids: string[],
): Promise<{ id: string; legal_name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('producers.producer').select(['id', 'legal_name']).where('id', 'in', ids).execute();
}
