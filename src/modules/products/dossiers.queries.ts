/** The only code that touches products.dossier and products.dossier_event. */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, ProductsDossier, ProductsDossierEvent } from '../../platform/db/schema.ts';
import type { ListScope } from '../producers/index.ts';

export type DossierRow = Selectable<ProductsDossier>;
export type DossierEventRow = Selectable<ProductsDossierEvent>;

export interface DossierFilter {
  scope: ListScope;
  status?: string[] | undefined;
  kind?: string | undefined;
  communeCode?: string | undefined;
  provinceCode?: string | undefined;
  productId?: string | undefined;
  /** Only those past their commune deadline (today given as YYYY-MM-DD). */
  overdueOn?: string | undefined;
  /** Keyset: created_at (ISO) and id of the last row seen. */
  cursor?: { sortKey: string; id: string } | undefined;
  limit: number;
}

/** The row's time to the microsecond, as the cursor keeps it (a JS Date keeps only milliseconds). */
const CURSOR_AT = sql<string>`to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

export async function findDossiers(
  db: Kysely<DB>,
  filter: DossierFilter,
): Promise<(DossierRow & { cursor_at: string })[]> {
  let query = db.selectFrom('products.dossier').selectAll().select(CURSOR_AT.as('cursor_at'));
  const scope = filter.scope;
  if (scope.kind === 'province') query = query.where('province_code', '=', scope.code);
  if (scope.kind === 'commune') query = query.where('commune_code', '=', scope.code);
  if (scope.kind === 'producer') query = query.where('producer_id', '=', scope.producerId);
  if (filter.status && filter.status.length > 0) query = query.where('status', 'in', filter.status);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.communeCode) query = query.where('commune_code', '=', filter.communeCode);
  if (filter.provinceCode) query = query.where('province_code', '=', filter.provinceCode);
  if (filter.productId) query = query.where('product_id', '=', filter.productId);
  if (filter.overdueOn) {
    query = query.where('status', 'in', ['submitted', 'checked']).where('due_on', '<', filter.overdueOn);
  }
  if (filter.cursor) {
    const at = sql<Date>`(${filter.cursor.sortKey}::timestamp at time zone 'UTC')`;
    const id = filter.cursor.id;
    query = query.where((eb) =>
      eb.or([eb('updated_at', '<', at), eb.and([eb('updated_at', '=', at), eb('id', '<', id)])]),
    );
  }
  return query
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export async function findDossier(db: Kysely<DB>, id: string): Promise<DossierRow | undefined> {
  return db.selectFrom('products.dossier').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockDossier(db: Kysely<DB>, id: string): Promise<DossierRow | undefined> {
  return db.selectFrom('products.dossier').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertDossier(
  db: Kysely<DB>,
  values: Pick<
    DossierRow,
    'product_id' | 'producer_id' | 'kind' | 'commune_code' | 'province_code' | 'is_demo'
  > & {
    registration: string;
    self_assessment: string;
  },
): Promise<DossierRow> {
  return db.insertInto('products.dossier').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateDossier(
  db: Kysely<DB>,
  id: string,
  values: Partial<Omit<DossierRow, 'registration' | 'self_assessment' | 'commune_report'>> & {
    registration?: string;
    self_assessment?: string;
    commune_report?: string | null;
  },
): Promise<DossierRow> {
  return db
    .updateTable('products.dossier')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertDossierEvent(
  db: Kysely<DB>,
  values: Omit<DossierEventRow, 'id' | 'occurred_at'>,
): Promise<void> {
  await db.insertInto('products.dossier_event').values(values).execute();
}

export async function findDossierEvents(db: Kysely<DB>, dossierId: string): Promise<DossierEventRow[]> {
  return db
    .selectFrom('products.dossier_event')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

/** How many of a scope's dossiers are in each status, and how many are overdue. */
export async function countDossiers(db: Kysely<DB>, scope: ListScope, today: string) {
  let query = db
    .selectFrom('products.dossier')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .select(
      sql<number>`count(*) filter (where status in ('submitted', 'checked') and due_on < ${today})`.as(
        'overdue',
      ),
    )
    .groupBy('status');
  if (scope.kind === 'province') query = query.where('province_code', '=', scope.code);
  if (scope.kind === 'commune') query = query.where('commune_code', '=', scope.code);
  if (scope.kind === 'producer') query = query.where('producer_id', '=', scope.producerId);
  return query.execute();
}

/** The product's dossier in progress, if any. */
export async function findOpenDossier(db: Kysely<DB>, productId: string): Promise<DossierRow | undefined> {
  return db
    .selectFrom('products.dossier')
    .selectAll()
    .where('product_id', '=', productId)
    .where('status', 'not in', ['closed', 'withdrawn'])
    .executeTakeFirst();
}
