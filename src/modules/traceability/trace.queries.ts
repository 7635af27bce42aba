/**
 * The only code that touches the farm-to-shopper tables: places and partners, batches, their
 * inputs, test reports and serial ranges, resolver entries, scans and problem reports.
 */
import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { insertRows } from '../../platform/db/bulk-insert.ts';
import type {
  DB,
  TraceabilityBatch,
  TraceabilityBatchDocument,
  TraceabilityLocation,
  TraceabilityPartner,
  TraceabilityResolverEntry,
  TraceabilitySerialRange,
} from '../../platform/db/schema.ts';

export type LocationRow = Selectable<TraceabilityLocation>;
export type PartnerRow = Selectable<TraceabilityPartner>;
export type BatchRow = Selectable<TraceabilityBatch>;
export type BatchDocumentRow = Selectable<TraceabilityBatchDocument>;
export type SerialRangeRow = Selectable<TraceabilitySerialRange>;
export type ResolverEntryRow = Selectable<TraceabilityResolverEntry>;
type Db = Kysely<DB> | Transaction<DB>;

// --- places and partners ----------------------------------------------------------------------

export const findLocation = (db: Db, id: string) =>
  db.selectFrom('traceability.location').selectAll().where('id', '=', id).executeTakeFirst();

export const locationsByIdentifier = (db: Db, identifiers: string[]) =>
  identifiers.length === 0
    ? Promise.resolve([] as LocationRow[])
    : db.selectFrom('traceability.location').selectAll().where('identifier', 'in', identifiers).execute();

export const partnersOf = (db: Db, producerId: string) =>
  db
    .selectFrom('traceability.partner')
    .selectAll()
    .where('producer_id', '=', producerId)
    .orderBy('name')
    .execute();

export const findPartner = (db: Db, id: string) =>
  db.selectFrom('traceability.partner').selectAll().where('id', '=', id).executeTakeFirst();

/** The producer's partners named by these identifiers (a producer may name them as places). */
export const partnersByIdentifier = (db: Db, identifiers: string[], producerId?: string) => {
  if (identifiers.length === 0) return Promise.resolve([] as PartnerRow[]);
  let query = db.selectFrom('traceability.partner').selectAll().where('identifier', 'in', identifiers);
  if (producerId) query = query.where('producer_id', '=', producerId);
  return query.execute();
};

export const insertPartner = (db: Db, row: Insertable<TraceabilityPartner>) =>
  db.insertInto('traceability.partner').values(row).returningAll().executeTakeFirstOrThrow();

// --- batches -------------------------------------------------------------------------------------

export const insertBatch = (db: Db, row: Insertable<TraceabilityBatch>) =>
  db.insertInto('traceability.batch').values(row).returningAll().executeTakeFirstOrThrow();

export const findBatch = (db: Db, id: string) =>
  db.selectFrom('traceability.batch').selectAll().where('id', '=', id).executeTakeFirst();

export const findBatchByLot = (db: Db, gtin: string, lot: string) =>
  db
    .selectFrom('traceability.batch')
    .selectAll()
    .where('gtin', '=', gtin)
    .where('lot', '=', lot)
    .executeTakeFirst();

export const findBatches = (db: Db, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([] as BatchRow[])
    : db.selectFrom('traceability.batch').selectAll().where('id', 'in', ids).execute();

/** Who sees which batches, scans and reports. */
export type TraceScope =
  | { kind: 'all' }
  | { kind: 'province'; code: string }
  | { kind: 'commune'; code: string }
  | { kind: 'producer'; producerId: string };

export function listBatches(db: Db, scope: TraceScope, limit: number) {
  let query = db.selectFrom('traceability.batch').selectAll().orderBy('created_at', 'desc').limit(limit);
  if (scope.kind === 'producer') query = query.where('producer_id', '=', scope.producerId);
  else if (scope.kind === 'province') query = query.where('province_code', '=', scope.code);
  else if (scope.kind === 'commune') query = query.where('commune_code', '=', scope.code);
  return query.execute();
}

const scanScope = (scope: TraceScope) =>
  scope.kind === 'producer'
    ? sql`and producer_id = ${scope.producerId}`
    : scope.kind === 'province'
      ? sql`and province_code = ${scope.code}`
      : scope.kind === 'commune'
        ? sql`and commune_code = ${scope.code}`
        : sql``;

export const insertBatchInputs = (db: Db, batchId: string, inputIds: string[]) =>
  inputIds.length === 0
    ? Promise.resolve()
    : db
        .insertInto('traceability.batch_input')
        .values(inputIds.map((input_batch_id) => ({ batch_id: batchId, input_batch_id })))
        .execute()
        .then(() => undefined);

export const inputsOf = (db: Db, batchId: string) =>
  db
    .selectFrom('traceability.batch_input as i')
    .innerJoin('traceability.batch as b', 'b.id', 'i.input_batch_id')
    .selectAll('b')
    .where('i.batch_id', '=', batchId)
    .orderBy('b.lot')
    .execute();

/** Recalls a batch once: the row as it is now, or undefined when it was already recalled. */
export const recallBatch = (db: Db, id: string, reason: string, at: Date) =>
  db
    .updateTable('traceability.batch')
    .set({ recalled_at: at, recall_reason: reason, updated_at: at })
    .where('id', '=', id)
    .where('recalled_at', 'is', null)
    .returningAll()
    .executeTakeFirst();

export const insertBatchDocument = (db: Db, row: Insertable<TraceabilityBatchDocument>) =>
  db.insertInto('traceability.batch_document').values(row).returningAll().executeTakeFirstOrThrow();

export const documentsOf = (db: Db, batchId: string) =>
  db
    .selectFrom('traceability.batch_document')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('uploaded_at')
    .execute();

export const findBatchDocument = (db: Db, id: string) =>
  db.selectFrom('traceability.batch_document').selectAll().where('id', '=', id).executeTakeFirst();

export const insertSerialRange = (db: Db, row: Omit<SerialRangeRow, 'id' | 'created_at'>) =>
  db.insertInto('traceability.serial_range').values(row).returningAll().executeTakeFirstOrThrow();

export const serialRangesOf = (db: Db, batchId: string) =>
  db
    .selectFrom('traceability.serial_range')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('created_at')
    .execute();

/** The ranges of a GTIN whose prefix begins the serial (the caller checks the number). */
export const serialRangesFor = (db: Db, gtin: string, serial: string) =>
  db
    .selectFrom('traceability.serial_range')
    .selectAll()
    .where('gtin', '=', gtin)
    .where(sql<boolean>`starts_with(${serial}, prefix)`)
    .execute();

/** The highest number issued under a prefix for a GTIN (ranges never overlap). */
export const lastSerialNumber = async (db: Db, gtin: string, prefix: string) =>
  Number(
    (
      await db
        .selectFrom('traceability.serial_range')
        .select((eb) => eb.fn.max('last_number').as('last'))
        .where('gtin', '=', gtin)
        .where('prefix', '=', prefix)
        .executeTakeFirst()
    )?.last ?? 0,
  );

// --- resolver entries ----------------------------------------------------------------------------

export const resolverEntriesFor = (db: Db, anchors: string[]) =>
  anchors.length === 0
    ? Promise.resolve([] as ResolverEntryRow[])
    : db.selectFrom('traceability.resolver_entry').selectAll().where('anchor', 'in', anchors).execute();

/** Entries whose anchor value is a prefix of a key's value (variable assets such as GIAI). */
export const resolverPrefixEntries = (db: Db, ai: string, value: string) =>
  db
    .selectFrom('traceability.resolver_entry')
    .selectAll()
    .where('anchor', 'like', `/${ai}/%`)
    .where(sql<boolean>`starts_with(${`/${ai}/${value}`}, anchor)`)
    .execute();

export const upsertResolverEntry = (
  db: Db,
  row: Omit<ResolverEntryRow, 'id' | 'updated_at' | 'links'> & { links: string },
) =>
  db
    .insertInto('traceability.resolver_entry')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['anchor', 'qualifier_path']).doUpdateSet({
        item_description: row.item_description,
        default_link_type: row.default_link_type,
        links: row.links,
        producer_id: row.producer_id,
        updated_by: row.updated_by,
        updated_at: sql`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();

export const listResolverEntries = (db: Db, producerId: string | null) => {
  let query = db
    .selectFrom('traceability.resolver_entry')
    .selectAll()
    .orderBy('anchor')
    .orderBy('qualifier_path')
    .limit(500);
  if (producerId) query = query.where('producer_id', '=', producerId);
  return query.execute();
};

export const deleteResolverEntry = (db: Db, id: string) =>
  db.deleteFrom('traceability.resolver_entry').where('id', '=', id).returningAll().executeTakeFirst();

export const findResolverEntry = (db: Db, id: string) =>
  db.selectFrom('traceability.resolver_entry').selectAll().where('id', '=', id).executeTakeFirst();

// --- scans ---------------------------------------------------------------------------------------

export interface ScanRow {
  scanned_at: Date;
  gtin: string;
  lot: string | null;
  serial: string | null;
  producer_id: string | null;
  province_code: string | null;
  commune_code: string | null;
  link_type: string;
  status: number;
  language: string | null;
  client_class: string;
  network: string | null;
}

export const insertScans = (db: Db, rows: ScanRow[]) =>
  insertRows(
    db as Kysely<DB>,
    'traceability.scan',
    [
      'scanned_at',
      'gtin',
      'lot',
      'serial',
      'producer_id',
      'province_code',
      'link_type',
      'status',
      'language',
      'client_class',
      'network',
    ],
    rows,
  );

export const ensureScanPartition = (db: Db, month: string) =>
  sql`select traceability.ensure_scan_partition(${month}::date)`.execute(db);

/** Scans per day, GTIN and lot in a period. */
export async function scansPerDay(db: Db, scope: TraceScope, from: Date, to: Date) {
  const { rows } = await sql<{ day: string; gtin: string; lot: string | null; scans: string }>`
    select to_char(scanned_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as day, gtin, lot, count(*) as scans
    from traceability.scan
    where scanned_at >= ${from} and scanned_at < ${to}
      ${scanScope(scope)}
    group by 1, 2, 3 order by 1 desc, 4 desc limit 1000`.execute(db);
  return rows.map((r) => ({ ...r, scans: Number(r.scans) }));
}

/**
 * Serials scanned suspiciously often in a period: more than `maxScans` times, or from more than
 * `maxNetworks` networks (a label copied and stuck on other goods).
 */
export async function suspiciousSerials(
  db: Db,
  scope: TraceScope,
  since: Date,
  limits: { maxScans: number; maxNetworks: number },
) {
  const { rows } = await sql<{
    gtin: string;
    lot: string | null;
    serial: string;
    scans: string;
    networks: string;
    first_at: Date;
    last_at: Date;
  }>`
    select gtin, max(lot) as lot, serial, count(*) as scans, count(distinct network) as networks,
           min(scanned_at) as first_at, max(scanned_at) as last_at
    from traceability.scan
    where serial is not null and scanned_at >= ${since}
      ${scanScope(scope)}
    group by gtin, serial
    having count(*) > ${limits.maxScans} or count(distinct network) > ${limits.maxNetworks}
    order by count(distinct network) desc, count(*) desc limit 200`.execute(db);
  return rows.map((r) => ({ ...r, scans: Number(r.scans), networks: Number(r.networks) }));
}

// --- problem reports ------------------------------------------------------------------------------

export const insertProblemReport = (
  db: Db,
  row: {
    gtin: string;
    lot: string | null;
    serial: string | null;
    producer_id: string | null;
    province_code: string | null;
    commune_code: string | null;
    kind: string;
    message: string;
    contact: string | null;
  },
) => db.insertInto('traceability.problem_report').values(row).returningAll().executeTakeFirstOrThrow();

export const problemReports = (db: Db, scope: TraceScope, limit = 100) => {
  let query = db
    .selectFrom('traceability.problem_report')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(limit);
  if (scope.kind === 'producer') query = query.where('producer_id', '=', scope.producerId);
  else if (scope.kind === 'province') query = query.where('province_code', '=', scope.code);
  else if (scope.kind === 'commune') query = query.where('commune_code', '=', scope.code);
  return query.execute();
};

/** A lock on a key until the transaction ends (one writer at a time). */
export const lockKey = (db: Db, key: string) =>
  sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
