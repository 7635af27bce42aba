/** The only code that touches the traceability tables. */
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { insertRows } from '../../platform/db/bulk-insert.ts';
import type {
  DB,
  TraceabilityCaptureJob,
  TraceabilityEvent,
  TraceabilityLocation,
} from '../../platform/db/schema.ts';

export type EventRow = Selectable<TraceabilityEvent>;
export type JobRow = Selectable<TraceabilityCaptureJob>;

export interface NewEvent {
  event_id: string;
  event_type: string;
  event_time: Date;
  event_time_zone_offset: string;
  record_time: Date;
  action: string | null;
  biz_step: string | null;
  disposition: string | null;
  read_point: string | null;
  biz_location: string | null;
  document: string;
  capture_id: string;
  owner_producer_id: string | null;
  province_code: string | null;
  chain_key: string;
  chain_seq: number;
  prev_hash: string | null;
  hash: string;
}

export async function insertJob(
  db: Kysely<DB>,
  row: {
    error_behaviour: string;
    event_count: number;
    user_id: string;
    producer_id: string | null;
    province_code: string | null;
  },
): Promise<JobRow> {
  return db.insertInto('traceability.capture_job').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function finishJob(
  db: Kysely<DB>,
  id: string,
  result: { success: boolean; stored: number; errors: unknown[] },
): Promise<JobRow> {
  return db
    .updateTable('traceability.capture_job')
    .set({
      running: false,
      success: result.success,
      stored_count: result.stored,
      errors: JSON.stringify(result.errors),
      finished_at: sql`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findJob(db: Kysely<DB>, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('traceability.capture_job').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listJobs(db: Kysely<DB>, scope: EventScope, limit: number): Promise<JobRow[]> {
  let query = db.selectFrom('traceability.capture_job').selectAll();
  if (scope.kind === 'producer') query = query.where('producer_id', '=', scope.producerId);
  else if (scope.kind === 'province') query = query.where('province_code', '=', scope.code);
  return query.orderBy('created_at', 'desc').limit(limit).execute();
}

/** Jobs a crashed process left running: they stored nothing (their transaction never committed). */
export async function closeInterruptedJobs(db: Kysely<DB>): Promise<number> {
  const result = await db
    .updateTable('traceability.capture_job')
    .set({
      running: false,
      success: false,
      errors: JSON.stringify([
        {
          type: 'epcisException:ImplementationException',
          title: 'The capture was interrupted (the server stopped); nothing was stored',
          status: 500,
        },
      ]),
      finished_at: sql`now()`,
    })
    .where('running', '=', true)
    .where('created_at', '<', sql<Date>`now() - interval '10 minutes'`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The eventIDs among these that are stored already. */
export async function existingEventIds(db: Kysely<DB>, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  // one array parameter: cheaper to send and plan than an IN list of thousands
  const rows = await db
    .selectFrom('traceability.event_key')
    .select('event_id')
    .where(sql<boolean>`event_id = any(${ids}::text[])`)
    .execute();
  return new Set(rows.map((r) => r.event_id));
}

/** The chain heads, locked until the transaction ends (in key order: no deadlock between captures). */
export async function lockChainHeads(
  db: Kysely<DB>,
  keys: string[],
): Promise<Map<string, { seq: number; hash: string | null }>> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return new Map();
  await db
    .insertInto('traceability.chain_head')
    .values(sorted.map((chain_key) => ({ chain_key, chain_seq: 0, hash: null })))
    .onConflict((oc) => oc.column('chain_key').doNothing())
    .execute();
  const rows = await db
    .selectFrom('traceability.chain_head')
    .selectAll()
    .where('chain_key', 'in', sorted)
    .orderBy('chain_key')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.chain_key, { seq: Number(r.chain_seq), hash: r.hash }]));
}

export async function saveChainHeads(
  db: Kysely<DB>,
  heads: Map<string, { seq: number; hash: string | null }>,
) {
  if (heads.size === 0) return;
  const values = sql.join(
    [...heads].map(([key, head]) => sql`(${key}, ${head.seq}::bigint, ${head.hash}::text)`),
  );
  await sql`UPDATE traceability.chain_head AS h SET chain_seq = v.seq, hash = v.hash
    FROM (VALUES ${values}) AS v (chain_key, seq, hash) WHERE h.chain_key = v.chain_key`.execute(db);
}

const EVENT_COLUMNS = [
  'event_id',
  'event_type',
  'event_time',
  'event_time_zone_offset',
  'record_time',
  'action',
  'biz_step',
  'disposition',
  'read_point',
  'biz_location',
  'document',
  'capture_id',
  'owner_producer_id',
  'province_code',
  'chain_key',
  'chain_seq',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof NewEvent)[];

/** Stores events, their keys and their identifiers (bulk inserts); returns the events' seq numbers. */
export async function insertEvents(
  db: Kysely<DB>,
  events: NewEvent[],
  identifiers: { index: number; role: string; identifier: string }[],
): Promise<number[]> {
  const seqs = (await insertRows(db, 'traceability.event', EVENT_COLUMNS, events, 'seq')).map(Number);
  const keys = events.map((e, i) => ({ event_id: e.event_id, seq: seqs[i]!, record_time: e.record_time }));
  await insertRows(db, 'traceability.event_key', ['event_id', 'seq', 'record_time'], keys);
  const ids = identifiers.map((x) => ({
    seq: seqs[x.index]!,
    record_time: events[x.index]!.record_time,
    role: x.role,
    identifier: x.identifier,
  }));
  await insertRows(db, 'traceability.event_identifier', ['seq', 'record_time', 'role', 'identifier'], ids);
  return seqs;
}

/** Who may read which events. */
export type EventScope =
  | { kind: 'all' }
  | { kind: 'province'; code: string }
  | { kind: 'producer'; producerId: string };

export interface EventFilter {
  scope: EventScope;
  eventTypes?: string[];
  geEventTime?: string;
  ltEventTime?: string;
  geRecordTime?: string;
  ltRecordTime?: string;
  actions?: string[];
  bizSteps?: string[];
  dispositions?: string[];
  readPoints?: string[];
  bizLocations?: string[];
  eventIds?: string[];
  /** role(s) → identifiers (exact) and prefixes (patterns): any of them matches. */
  identifiers: { roles: string[]; exact: string[]; prefixes: string[] }[];
  orderBy: 'eventTime' | 'recordTime';
  direction: 'ASC' | 'DESC';
  /** Keyset: the last row of the previous page. */
  after?: { time: string; seq: number };
  /** Only events stored after this sequence number (subscriptions). */
  afterSeq?: number;
  limit: number;
}

export async function findEvents(db: Kysely<DB>, filter: EventFilter): Promise<EventRow[]> {
  let query = db.selectFrom('traceability.event as e').selectAll('e');
  const scope = filter.scope;
  if (scope.kind === 'producer') query = query.where('e.owner_producer_id', '=', scope.producerId);
  else if (scope.kind === 'province') query = query.where('e.province_code', '=', scope.code);
  if (filter.eventTypes) query = query.where('e.event_type', 'in', filter.eventTypes);
  if (filter.geEventTime) query = query.where('e.event_time', '>=', new Date(filter.geEventTime));
  if (filter.ltEventTime) query = query.where('e.event_time', '<', new Date(filter.ltEventTime));
  if (filter.geRecordTime) query = query.where('e.record_time', '>=', new Date(filter.geRecordTime));
  if (filter.ltRecordTime) query = query.where('e.record_time', '<', new Date(filter.ltRecordTime));
  if (filter.actions) query = query.where('e.action', 'in', filter.actions);
  if (filter.bizSteps) query = query.where('e.biz_step', 'in', filter.bizSteps);
  if (filter.dispositions) query = query.where('e.disposition', 'in', filter.dispositions);
  if (filter.readPoints) query = query.where('e.read_point', 'in', filter.readPoints);
  if (filter.bizLocations) query = query.where('e.biz_location', 'in', filter.bizLocations);
  if (filter.eventIds) query = query.where('e.event_id', 'in', filter.eventIds);
  for (const match of filter.identifiers) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('traceability.event_identifier as i')
          .select('i.seq')
          .whereRef('i.seq', '=', 'e.seq')
          .whereRef('i.record_time', '=', 'e.record_time')
          .where('i.role', 'in', match.roles)
          .where((inner) =>
            inner.or([
              ...(match.exact.length > 0 ? [inner('i.identifier', 'in', match.exact)] : []),
              ...match.prefixes.map((p) =>
                inner('i.identifier', 'like', `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
              ),
            ]),
          ),
      ),
    );
  }
  const timeColumn = filter.orderBy === 'recordTime' ? 'e.record_time' : 'e.event_time';
  if (filter.afterSeq !== undefined) query = query.where('e.seq', '>', filter.afterSeq);
  if (filter.after) {
    const { time, seq } = filter.after;
    query = query.where((eb) =>
      eb(
        eb.refTuple(timeColumn, 'e.seq'),
        filter.direction === 'ASC' ? '>' : '<',
        eb.tuple(new Date(time) as never, seq as never),
      ),
    );
  }
  const dir = filter.direction === 'ASC' ? 'asc' : 'desc';
  return query.orderBy(timeColumn, dir).orderBy('e.seq', dir).limit(filter.limit).execute();
}

/** Events by their place in an owner's chain, for the integrity check. */
export function chainEvents(
  db: Kysely<DB>,
  chainKey: string,
  fromSeq: number,
  toSeq: number,
): Promise<EventRow[]> {
  return db
    .selectFrom('traceability.event')
    .selectAll()
    .where('chain_key', '=', chainKey)
    .where('chain_seq', '>=', fromSeq)
    .where('chain_seq', '<=', toSeq)
    .orderBy('chain_seq')
    .execute();
}

export function chainKeys(
  db: Kysely<DB>,
  prefix: string | null,
): Promise<{ chain_key: string; chain_seq: number }[]> {
  let query = db.selectFrom('traceability.chain_head').select(['chain_key', 'chain_seq']);
  if (prefix !== null) query = query.where('chain_key', 'like', `${prefix}%`);
  return query.orderBy('chain_key').execute();
}

export async function chainKeysOfProvince(db: Kysely<DB>, provinceCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('traceability.event')
    .select('chain_key')
    .distinct()
    .where('province_code', '=', provinceCode)
    .execute();
  return rows.map((r) => r.chain_key);
}

// locations a producer may name

export function locationsOf(db: Kysely<DB>, producerId: string) {
  return db
    .selectFrom('traceability.location')
    .selectAll()
    .where('producer_id', '=', producerId)
    .orderBy('name')
    .execute();
}

export function locationOwners(db: Kysely<DB>, identifiers: string[]) {
  if (identifiers.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('traceability.location')
    .select(['identifier', 'producer_id'])
    .where('identifier', 'in', identifiers)
    .execute();
}

export function insertLocation(db: Kysely<DB>, row: Insertable<TraceabilityLocation>) {
  return db.insertInto('traceability.location').values(row).returningAll().executeTakeFirstOrThrow();
}

// named queries

export function findNamedQuery(db: Kysely<DB>, name: string) {
  return db.selectFrom('traceability.named_query').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listNamedQueries(db: Kysely<DB>, ownerUserId: string | null) {
  let query = db.selectFrom('traceability.named_query').selectAll();
  if (ownerUserId !== null) query = query.where('owner_user_id', '=', ownerUserId);
  return query.orderBy('name').limit(1000).execute();
}

/** Saves a named query; false when the name is taken. */
export async function insertNamedQuery(
  db: Kysely<DB>,
  row: { name: string; owner_user_id: string; query: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('traceability.named_query')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function deleteNamedQuery(db: Kysely<DB>, name: string): Promise<void> {
  await db.deleteFrom('traceability.named_query').where('name', '=', name).execute();
}

// subscriptions and their deliveries

export type SubscriptionRow = Selectable<DB['traceability.subscription']>;

export function insertSubscription(
  db: Kysely<DB>,
  row: {
    query_name: string;
    owner_user_id: string;
    scope: string;
    dest: string;
    signature_token: string | null;
    stream: boolean;
    schedule: string | null;
    report_if_empty: boolean;
    last_seq: number;
    initial_record_time: Date | null;
  },
): Promise<SubscriptionRow> {
  return db.insertInto('traceability.subscription').values(row).returningAll().executeTakeFirstOrThrow();
}

export function subscriptionsOf(db: Kysely<DB>, queryName: string) {
  return db
    .selectFrom('traceability.subscription')
    .selectAll()
    .where('query_name', '=', queryName)
    .orderBy('created_at')
    .execute();
}

export function allSubscriptions(db: Kysely<DB>) {
  return db.selectFrom('traceability.subscription').selectAll().orderBy('id').execute();
}

export async function deleteSubscription(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('traceability.subscription').where('id', '=', id).execute();
}

export async function advanceSubscription(
  db: Kysely<DB>,
  id: string,
  changes: { last_seq?: number; last_run_minute?: Date },
): Promise<void> {
  await db.updateTable('traceability.subscription').set(changes).where('id', '=', id).execute();
}

/** The highest event sequence number stored (new subscriptions start after it). */
export async function lastEventSeq(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('traceability.event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

export function insertDelivery(db: Kysely<DB>, row: { subscription_id: string; body: string }) {
  return db.insertInto('traceability.delivery').values(row).execute();
}

export function dueDeliveries(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('traceability.delivery as d')
    .innerJoin('traceability.subscription as s', 's.id', 'd.subscription_id')
    .select(['d.id', 'd.body', 'd.attempts', 's.dest', 's.signature_token'])
    .where('d.delivered_at', 'is', null)
    .where('d.next_attempt_at', '<=', sql<Date>`now()`)
    .where('d.attempts', '<', 10)
    .orderBy('d.created_at')
    .limit(limit)
    .execute();
}

export async function markDelivery(
  db: Kysely<DB>,
  id: string,
  outcome: { delivered: true } | { delivered: false; error: string; retryInSeconds: number },
): Promise<void> {
  await db
    .updateTable('traceability.delivery')
    .set(
      outcome.delivered
        ? { delivered_at: sql`now()`, attempts: sql`attempts + 1`, last_error: null }
        : {
            attempts: sql`attempts + 1`,
            last_error: outcome.error.slice(0, 500),
            next_attempt_at: sql`now() + make_interval(secs => ${outcome.retryInSeconds})`,
          },
    )
    .where('id', '=', id)
    .execute();
}
