/** The only code that touches the certification tables. */
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from 'kysely';
import type { CertificationCertificate, CertificationSigningKey, DB } from '../../platform/db/schema.ts';
import { closeTo, containsAllWords } from '../../platform/db/search.ts';
import type { Cursor } from '../../platform/pagination.ts';
import type { CertificateStatus } from './certificate.model.ts';
import {
  type CertificateDates,
  PENDING_GRACE_DAYS,
  TRANSITION_DAY,
  WINDOW_CLOSES_DAYS,
  WINDOW_OPENS_DAYS,
} from './certificate-status.ts';

export type CertificateRow = Selectable<CertificationCertificate>;
export type NewCertificateRow = Omit<
  CertificateRow,
  'id' | 'search_text' | 'version' | 'created_at' | 'updated_at' | 'is_demo'
> & { id?: string; is_demo?: boolean };
export type KeyRow = Selectable<CertificationSigningKey>;

/** The dates a certificate's status follows from. */
export const datesOf = (row: CertificateRow): CertificateDates => ({
  issuedOn: row.issued_on,
  validUntil: row.valid_until,
  revokedOn: row.revoked_on,
  supersededOn: row.superseded_on,
  reevaluationFiledOn: row.reevaluation_filed_on,
  reevaluationEndedOn: row.reevaluation_ended_on,
});

type Eb = ExpressionBuilder<DB, 'certification.certificate'>;

/**
 * The status rule of `certificate-status.ts` as SQL conditions on a day, so that lists filter
 * and page in the database. `certificates.test.ts` checks that both agree on every boundary.
 */
export function statusCondition(eb: Eb, status: CertificateStatus, day: string): Expression<SqlBool> {
  const d = sql<string>`${day}::date`;
  const revoked = eb.and([eb('revoked_on', 'is not', null), eb('revoked_on', '<=', d)]);
  const superseded = eb.and([eb('superseded_on', 'is not', null), eb('superseded_on', '<=', d)]);
  const ended = eb.or([revoked, superseded]);
  const current = eb.not(ended);
  const started = eb('issued_on', '<=', d);
  const opens = sql<string>`valid_until - ${WINDOW_OPENS_DAYS}::int`;
  const closes = sql<string>`valid_until - ${WINDOW_CLOSES_DAYS}::int`;
  // the first day of expiry (certificate-status.ts: expiresOn)
  const expiresOn = sql<string>`case
    when reevaluation_filed_on is null
      or (reevaluation_filed_on > valid_until - ${WINDOW_CLOSES_DAYS}::int
        and (issued_on >= ${TRANSITION_DAY}::date or reevaluation_filed_on > valid_until))
      then valid_until + 1
    when reevaluation_ended_on is null or reevaluation_ended_on >= valid_until + ${PENDING_GRACE_DAYS + 1}::int
      then valid_until + ${PENDING_GRACE_DAYS + 1}::int
    else greatest(reevaluation_ended_on, valid_until + 1) end`;
  switch (status) {
    case 'revoked':
      return revoked;
    case 'superseded':
      return eb.and([eb.not(revoked), superseded]);
    case 'not_yet_valid':
      return eb.and([current, eb('issued_on', '>', d)]);
    case 'valid':
      return eb.and([
        current,
        started,
        eb.or([eb(d, '<', opens), eb.and([eb(d, '>', closes), eb(d, '<=', eb.ref('valid_until'))])]),
      ]);
    case 'reevaluation_window':
      return eb.and([current, started, eb(d, '>=', opens), eb(d, '<=', closes)]);
    case 'valid_pending_reevaluation':
      return eb.and([current, eb(d, '>', eb.ref('valid_until')), eb(d, '<', expiresOn)]);
    case 'expired':
      return eb.and([current, eb(d, '>=', expiresOn)]);
  }
}

export interface CertificateFilter {
  day: string;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  producerId?: string | undefined;
  productId?: string | undefined;
  statuses?: readonly CertificateStatus[] | undefined;
  stars?: number | undefined;
  /** In force and ending within this many days of `day`. */
  expiringWithinDays?: number | undefined;
  /** Whose last day in force is on or after this day. */
  validUntilFrom?: string | undefined;
  q?: string | undefined;
  fuzzy?: boolean | undefined;
  cursor?: Cursor | undefined;
  limit: number;
}

/** Certificates ordered by their last day in force, then id (keyset: the cursor's sort key is that day). */
export function findCertificates(db: Kysely<DB>, filter: CertificateFilter): Promise<CertificateRow[]> {
  let query = db.selectFrom('certification.certificate').selectAll();
  if (filter.provinceCode) query = query.where('province_code', '=', filter.provinceCode);
  if (filter.communeCode) query = query.where('commune_code', '=', filter.communeCode);
  if (filter.producerId) query = query.where('producer_id', '=', filter.producerId);
  if (filter.productId) query = query.where('product_id', '=', filter.productId);
  if (filter.stars) query = query.where('stars', '=', filter.stars);
  const statuses = filter.statuses;
  if (statuses && statuses.length > 0)
    query = query.where((eb) => eb.or(statuses.map((s) => statusCondition(eb, s, filter.day))));
  if (filter.expiringWithinDays !== undefined) {
    const within = filter.expiringWithinDays;
    query = query.where((eb) =>
      eb.and([
        eb.or(
          (['valid', 'reevaluation_window', 'valid_pending_reevaluation'] as const).map((s) =>
            statusCondition(eb, s, filter.day),
          ),
        ),
        eb('valid_until', '<=', sql<string>`${filter.day}::date + ${within}::int`),
      ]),
    );
  }
  if (filter.validUntilFrom) query = query.where('valid_until', '>=', filter.validUntilFrom);
  if (filter.q) {
    if (filter.fuzzy) query = query.where(closeTo('search_text', filter.q));
    else for (const condition of containsAllWords('search_text', filter.q)) query = query.where(condition);
  }
  if (filter.cursor) {
    const { sortKey, id } = filter.cursor;
    query = query.where((eb) => eb(eb.refTuple('valid_until', 'id'), '>', eb.tuple(sortKey, id)));
  }
  return query
    .orderBy('valid_until')
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export function findCertificate(db: Kysely<DB>, id: string): Promise<CertificateRow | undefined> {
  return db.selectFrom('certification.certificate').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockCertificate(db: Kysely<DB>, id: string): Promise<CertificateRow | undefined> {
  return db
    .selectFrom('certification.certificate')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Certificates with this number (numbers are unique per province and level, not nationally). */
export function findByNumber(db: Kysely<DB>, number: string): Promise<CertificateRow[]> {
  return db
    .selectFrom('certification.certificate')
    .selectAll()
    .where(sql<string>`upper(number)`, '=', number.trim().toUpperCase())
    .orderBy('issued_on', 'desc')
    .limit(20)
    .execute();
}

/** Serialises the writers of one product's certificates until the transaction ends. */
export async function lockProductCertificates(db: Kysely<DB>, productId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`certificate:${productId}`}))`.execute(db);
}

/** The product's first certificate issued after a day (revoked and superseded ones included). */
export function firstIssuedAfter(
  db: Kysely<DB>,
  productId: string,
  day: string,
): Promise<CertificateRow | undefined> {
  return db
    .selectFrom('certification.certificate')
    .selectAll()
    .where('product_id', '=', productId)
    .where('issued_on', '>', day)
    .orderBy('issued_on')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** The product's current certificate (not superseded, not revoked), locked. */
export function lockCurrentOfProduct(db: Kysely<DB>, productId: string): Promise<CertificateRow | undefined> {
  return db
    .selectFrom('certification.certificate')
    .selectAll()
    .where('product_id', '=', productId)
    .where('superseded_by_id', 'is', null)
    .where('revoked_on', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export function findOfProducts(db: Kysely<DB>, productIds: readonly string[]): Promise<CertificateRow[]> {
  if (productIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('certification.certificate')
    .selectAll()
    .where('product_id', 'in', productIds)
    .orderBy('issued_on', 'desc')
    .execute();
}

/** Every certificate not replaced by a newer one (the open-data register), by number. */
export function findNotSuperseded(db: Kysely<DB>): Promise<CertificateRow[]> {
  return db
    .selectFrom('certification.certificate')
    .selectAll()
    .where('superseded_by_id', 'is', null)
    .orderBy('province_code')
    .orderBy('number')
    .execute();
}

/** Every certificate that is neither revoked nor superseded (what the daily job looks at). */
export function findCurrent(db: Kysely<DB>): Promise<CertificateRow[]> {
  return db
    .selectFrom('certification.certificate')
    .selectAll()
    .where('superseded_by_id', 'is', null)
    .where('revoked_on', 'is', null)
    .orderBy('id')
    .execute();
}

/** Every product that has a certificate (the products whose stars follow the certificates). */
export async function productsWithCertificates(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('certification.certificate')
    .select('product_id')
    .distinct()
    .orderBy('product_id')
    .execute();
  return rows.map((r) => r.product_id);
}

/** One daily job at a time across processes (until the transaction ends). */
export async function lockDailyJob(db: Kysely<DB>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('certification.daily_job'))`.execute(db);
}

export function insertCertificate(db: Kysely<DB>, row: NewCertificateRow): Promise<CertificateRow> {
  return db.insertInto('certification.certificate').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateCertificate(
  db: Kysely<DB>,
  id: string,
  changes: Updateable<CertificationCertificate>,
): Promise<CertificateRow> {
  return db
    .updateTable('certification.certificate')
    .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The next running number under a prefix (locked by the upsert until the transaction ends). */
export async function nextNumber(db: Kysely<DB>, prefix: string): Promise<number> {
  const row = await db
    .insertInto('certification.number_sequence')
    .values({ prefix, last_value: 1 })
    .onConflict((oc) =>
      oc.column('prefix').doUpdateSet({ last_value: sql`certification.number_sequence.last_value + 1` }),
    )
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value;
}

export function numberTaken(
  db: Kysely<DB>,
  provinceCode: string,
  level: string,
  number: string,
): Promise<boolean> {
  return db
    .selectFrom('certification.certificate')
    .select('id')
    .where('province_code', '=', provinceCode)
    .where('level', '=', level)
    .where('number', '=', number)
    .executeTakeFirst()
    .then(Boolean);
}

// reminders and the daily job

export async function recordedReminders(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('certification.reminder')
    .select(['certificate_id', 'kind'])
    .where('certificate_id', 'in', ids)
    .execute();
  for (const row of rows) {
    const set = out.get(row.certificate_id) ?? new Set<string>();
    set.add(row.kind);
    out.set(row.certificate_id, set);
  }
  return out;
}

/** Records a reminder; false when it was already recorded (another run got there first). */
export async function recordReminder(
  db: Kysely<DB>,
  row: { certificate_id: string; kind: string; due_on: string; sent: boolean; recorded_on: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('certification.reminder')
    .values(row)
    .onConflict((oc) => oc.columns(['certificate_id', 'kind']).doNothing())
    .returning('kind')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function remindersOf(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('certification.reminder')
    .selectAll()
    .where('certificate_id', '=', id)
    .orderBy('due_on')
    .execute();
}

export function findDailyRun(db: Kysely<DB>, day: string) {
  return db.selectFrom('certification.daily_run').selectAll().where('run_on', '=', day).executeTakeFirst();
}

export function lastDailyRun(db: Kysely<DB>) {
  return db
    .selectFrom('certification.daily_run')
    .selectAll()
    .orderBy('run_on', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function recordDailyRun(
  db: Kysely<DB>,
  row: { run_on: string; reminders_sent: number; products_updated: number },
): Promise<void> {
  await db
    .insertInto('certification.daily_run')
    .values(row)
    .onConflict((oc) =>
      oc.column('run_on').doUpdateSet({
        reminders_sent: sql`certification.daily_run.reminders_sent + excluded.reminders_sent`,
        products_updated: sql`certification.daily_run.products_updated + excluded.products_updated`,
        finished_at: sql`now()`,
      }),
    )
    .execute();
}

// signing keys

export function findKeys(db: Kysely<DB>): Promise<KeyRow[]> {
  return db.selectFrom('certification.signing_key').selectAll().orderBy('created_at').execute();
}

export function insertKey(db: Kysely<DB>, row: { key_id: string; public_key: string; private_key: string }) {
  return db.insertInto('certification.signing_key').values(row).execute();
}

export function retireActiveKey(db: Kysely<DB>) {
  return db
    .updateTable('certification.signing_key')
    .set({ retired_at: sql`now()` })
    .where('retired_at', 'is', null)
    .execute();
}
