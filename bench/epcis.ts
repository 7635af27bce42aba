/**
 * The "epcis" bench group: the GS1 EPCIS 2.0 repository (src/modules/traceability) called
 * in-process on a migrated database — the services buildApp wires, no HTTP — on PGlite and, when
 * a URL is given, PostgreSQL.
 *
 * - Capture: documents of N ObjectEvents (2 SGTINs each, bizStep, disposition, readPoint,
 *   bizLocation, eventTime at +07:00, a purchase order) read with readCaptureDocument and stored
 *   with capture(…, 'rollback') by an administrator, with eventIDs given or left to the event hash;
 *   against a plain batched INSERT of the same rows (events, keys, identifiers) into the same tables
 *   in one transaction (rows ready beforehand: no validation, no hashing, no ownership lookups).
 *   Each round captures DOCUMENTS_PER_ROUND documents per side, baseline and platform in turn,
 *   after a warm-up document each; medians over the documents. Validation alone is timed too.
 * - MATCH_epc: the repository filled with `events` stored events by set-based SQL (straight into
 *   traceability.event, event_key, event_identifier, with chain fields), VACUUM ANALYZE, then
 *   query.events({ MATCH_epc }) for random stored EPCs and absent ones, against the same lookup as
 *   one raw SQL statement; p50/p95/p99 over every query. PGlite stops loading when its time
 *   budget is spent (--pglite-load-budget) and the table says how many events it holds.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { createAdminUnitsModule } from '../src/modules/admin-units/index.ts';
import { canonicalJson } from '../src/modules/traceability/capture.service.ts';
import {
  type CapturedEvent,
  canonicalIdentifier,
  type JsonObject,
  readCaptureDocument,
} from '../src/modules/traceability/epcis/index.ts';
import type { Principal } from '../src/platform/auth.ts';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import type { DB } from '../src/platform/db/schema.ts';
import { toEpcUrn, withGs1CheckDigit } from '../src/platform/gs1/index.ts';
import { createLogger } from '../src/platform/logger.ts';
import { percentile } from './load.ts';
import { buildRegistry, createBenchTokens } from './registry-data.ts';
import { median, postgresUrl, withCleanup, withPostgresDatabase } from './support.ts';

export interface EpcisOptions {
  rounds: number;
  only?: string[] | undefined;
  /** Events per captured document. */
  batch: number;
  /** Events stored for the MATCH_epc queries. */
  events: number;
  /** Seconds: PGlite stops loading (at a whole chunk) once this is spent, and says so. */
  pgliteLoadBudget: number;
  /** MATCH_epc queries per scenario and side. */
  requests: number;
}

export const EPCIS_CAPTURE_HEADER = [
  'engine',
  'scenario',
  'capture ev/s',
  'capture ms',
  'validate ms',
  'store ev/s',
  'baseline ev/s',
  'baseline ms',
  'ratio',
  'store ratio',
];

export const EPCIS_QUERY_HEADER = [
  'engine',
  'scenario',
  'stored events',
  'queries',
  'events/answer',
  'p50',
  'p95',
  'p99',
  'base p50',
  'base p95',
  'base p99',
  'p95 ×',
];

const captureScenarios = (batch: number) => [
  { name: `capture ${batch} ObjectEvents, eventIDs given`, withIds: true },
  { name: `capture ${batch} ObjectEvents, hash eventIDs`, withIds: false },
];
const QUERY_SCENARIOS = [
  { name: 'MATCH_epc, stored EPC', stored: true },
  { name: 'MATCH_epc, absent EPC', stored: false },
];

const ms = (x: number) =>
  Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;
const count = (n: number) => n.toLocaleString('en-US');

// --- the platform, in-process -------------------------------------------------------------------

/** A product's GTIN and who makes it, with the identifiers the bench writes for it. */
interface BenchGtin {
  gtin: string;
  producerId: string;
  provinceCode: string | null;
  /** `urn:epc:id:sgtin:…` without the serial */
  sgtinUrn: string;
  /** the producer's GLN (13 digits), its site (readPoint) and warehouse (bizLocation) as SGLN URNs */
  gln: string;
  readPoint: string;
  bizLocation: string;
}

interface Engine {
  label: string;
  database: Database;
  principal: Principal;
  app: Awaited<ReturnType<typeof buildApp>>;
  /** GTINs of distinct producers: some for the capture documents, others for the stored events */
  captureGtins: BenchGtin[];
  loadGtins: BenchGtin[];
  setupMs: number;
}

function benchGtin(row: { gtin: string; producer_id: string; province_code: string | null }): BenchGtin {
  const sgtin = toEpcUrn(`https://id.gs1.org/01/${row.gtin}/21/X`);
  const gln = withGs1CheckDigit(row.gtin.slice(1, 13));
  const bizGln = withGs1CheckDigit(`${row.gtin.slice(1, 9)}9999`);
  const sgln = (value: string) => toEpcUrn(`https://id.gs1.org/414/${value}/254/0`);
  if (!sgtin?.endsWith('.X') || !sgln(gln) || !sgln(bizGln))
    throw new Error(`bench epcis: cannot write EPCs for GTIN ${row.gtin}`);
  return {
    gtin: row.gtin,
    producerId: row.producer_id,
    provinceCode: row.province_code,
    sgtinUrn: sgtin.slice(0, -1),
    gln,
    readPoint: sgln(gln)!,
    bizLocation: sgln(bizGln)!,
  };
}

/** Migrates, seeds, writes a small registry (producers with GTINs), an admin token; buildApp. */
async function prepareEngine(label: string, database: Database, dataDir: string): Promise<Engine> {
  const started = performance.now();
  await migrate(database);
  await createAdminUnitsModule(database).seed();
  await buildRegistry(database, { size: { producers: 300, products: 400 } });
  const tokens = await createBenchTokens(database);
  const app = await buildApp({
    config: { publicUrl: new URL('http://localhost:3000'), dataDir },
    database,
    logger: createLogger('warn'),
  });
  // the administrator as the platform sees it when it presents its API token
  const principal = await app.identity.authenticateToken(tokens.admin);
  if (principal?.role !== 'admin') throw new Error('bench epcis: the admin token does not sign in');
  // one GTIN per producer: 8 producers for the capture documents, 10 others for the stored events
  const { rows } = await sql<{ gtin: string; producer_id: string; province_code: string | null }>`
    select distinct on (p.producer_id) g.gtin, p.producer_id, p.province_code
    from products.product_gtin g join products.product p on p.id = g.product_id
    order by p.producer_id, g.gtin`.execute(database.db);
  if (rows.length < 18) throw new Error(`bench epcis: only ${rows.length} producers with GTINs`);
  const gtins = rows.map(benchGtin);
  return {
    label,
    database,
    principal,
    app,
    captureGtins: gtins.slice(0, 8),
    loadGtins: gtins.slice(8, 18),
    setupMs: performance.now() - started,
  };
}

// --- capture ------------------------------------------------------------------------------------

const VN_OFFSET_MS = 7 * 3600_000;
/** `2026-05-22T08:30:00.000+07:00` */
const vietnamTime = (utcMs: number) => new Date(utcMs + VN_OFFSET_MS).toISOString().replace('Z', '+07:00');

/** A capture document of `n` ObjectEvents (shipping, in transit) whose EPCs carry `tag`. */
function captureBody(tag: string, gtins: BenchGtin[], n: number, withIds: boolean): JsonObject {
  const start = Date.UTC(2026, 4, 22, 1, 0, 0);
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: vietnamTime(start + n * 1000),
    epcisBody: {
      eventList: Array.from({ length: n }, (_v, i) => {
        const g = gtins[i % gtins.length]!;
        return {
          type: 'ObjectEvent',
          ...(withIds ? { eventID: `urn:uuid:${randomUUID()}` } : {}),
          eventTime: vietnamTime(start + i * 1000),
          eventTimeZoneOffset: '+07:00',
          epcList: [`${g.sgtinUrn}${tag}-${2 * i}`, `${g.sgtinUrn}${tag}-${2 * i + 1}`],
          action: 'OBSERVE',
          bizStep: 'shipping',
          disposition: 'in_transit',
          readPoint: { id: g.readPoint },
          bizLocation: { id: g.bizLocation },
          bizTransactionList: [
            { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${g.gln}:PO-${tag}-${i % 50}` },
          ],
        };
      }),
    },
  };
}

function readOrThrow(body: JsonObject): CapturedEvent[] {
  const read = readCaptureDocument(body);
  if (!read.ok)
    throw new Error(`bench epcis: the document was refused: ${JSON.stringify(read.problems.slice(0, 3))}`);
  return read.events;
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
];
const IDENTIFIER_ROLES = [
  'epc',
  'parentID',
  'inputEPC',
  'outputEPC',
  'epcClass',
  'inputEPCClass',
  'outputEPCClass',
] as const;

/** The rows capture() would write for these events, ready to insert (the baseline's input). */
interface PlainRows {
  recordTime: Date;
  events: unknown[][];
  identifiers: { index: number; role: string; identifier: string }[];
}

const BASELINE_CAPTURE_ID = randomUUID();
const FAKE_HASH = 'ab'.repeat(32);
let baselineChainSeq = 0;

function plainRows(events: CapturedEvent[], gtins: BenchGtin[]): PlainRows {
  const recordTime = new Date();
  const owners = new Map(gtins.map((g) => [g.gtin, g]));
  const rows: unknown[][] = [];
  const identifiers: PlainRows['identifiers'] = [];
  for (const [i, c] of events.entries()) {
    const p = c.projection;
    const owner = owners.get(/\/01\/(\d{14})/.exec(p.epc[0] ?? '')?.[1] ?? '');
    baselineChainSeq += 1;
    rows.push([
      c.eventID,
      p.eventType,
      new Date(p.eventTime),
      p.eventTimeZoneOffset,
      recordTime,
      p.action,
      p.bizStep,
      p.disposition,
      p.readPoint,
      p.bizLocation,
      canonicalJson({ ...c.event, eventID: c.eventID, recordTime: recordTime.toISOString() }),
      BASELINE_CAPTURE_ID,
      owner?.producerId ?? null,
      owner?.provinceCode ?? null,
      'bench:baseline',
      baselineChainSeq,
      FAKE_HASH,
      FAKE_HASH,
    ]);
    for (const role of IDENTIFIER_ROLES)
      for (const identifier of new Set(p[role])) identifiers.push({ index: i, role, identifier });
  }
  return { recordTime, events: rows, identifiers };
}

/** One multi-row INSERT per chunk, parameters below PostgreSQL's 65,535 (the module's chunking). */
function multiRowInserts(
  table: string,
  columns: string[],
  rows: unknown[][],
  returning = '',
): CompiledQuery[] {
  const size = Math.max(1, Math.floor(60_000 / columns.length));
  const out: CompiledQuery[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const part = rows.slice(start, start + size);
    const params: unknown[] = [];
    const tuples = part.map((row) => `(${row.map((v) => `$${params.push(v)}`).join(', ')})`);
    out.push(
      CompiledQuery.raw(
        `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}${returning ? ` returning ${returning}` : ''}`,
        params,
      ),
    );
  }
  return out;
}

/** The baseline: the rows into the same tables, in one transaction, as plain INSERT statements. */
async function plainInsert(db: Kysely<DB>, rows: PlainRows): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const seqs: number[] = [];
    for (const query of multiRowInserts('traceability.event', EVENT_COLUMNS, rows.events, 'seq')) {
      const result = await trx.executeQuery<{ seq: number }>(query);
      for (const r of result.rows) seqs.push(Number(r.seq));
    }
    const keys = rows.events.map((e, i) => [e[0], seqs[i], rows.recordTime]);
    for (const query of multiRowInserts('traceability.event_key', ['event_id', 'seq', 'record_time'], keys))
      await trx.executeQuery(query);
    const ids = rows.identifiers.map((x) => [seqs[x.index], rows.recordTime, x.role, x.identifier]);
    for (const query of multiRowInserts(
      'traceability.event_identifier',
      ['seq', 'record_time', 'role', 'identifier'],
      ids,
    ))
      await trx.executeQuery(query);
  });
}

/** Each round captures this many documents on each side (alternating): medians over them all. */
export const DOCUMENTS_PER_ROUND = 3;

let tagCount = 0;
const nextTag = () => `B${process.pid.toString(36)}${(tagCount++).toString(36)}`.toUpperCase();

async function benchCapture(engine: Engine, options: EpcisOptions, only: (name: string) => boolean) {
  const rows: string[][] = [];
  const { capture } = engine.app.traceability;
  const gtins = engine.captureGtins;
  for (const scenario of captureScenarios(options.batch).filter((s) => only(s.name))) {
    const runs = {
      validate: [] as number[],
      store: [] as number[],
      total: [] as number[],
      base: [] as number[],
    };
    for (let doc = -1; doc < options.rounds * DOCUMENTS_PER_ROUND; doc++) {
      // prepared outside the timings: the platform's document, the baseline's rows (other EPCs)
      const body = captureBody(nextTag(), gtins, options.batch, scenario.withIds);
      const baseRows = plainRows(
        readOrThrow(captureBody(nextTag(), gtins, options.batch, scenario.withIds)),
        gtins,
      );

      let t = performance.now();
      await plainInsert(engine.database.db, baseRows);
      const base = performance.now() - t;

      t = performance.now();
      const events = readOrThrow(body);
      const read = performance.now();
      const result = await capture.capture(engine.principal, events, 'rollback');
      const done = performance.now();
      if (!result.job.success || result.stored.length !== options.batch)
        throw new Error(`bench epcis: ${scenario.name}: ${JSON.stringify(result.job.errors)}`);
      if (doc < 0) continue; // warm-up
      runs.validate.push(read - t);
      runs.store.push(done - read);
      runs.total.push(done - t);
      runs.base.push(base);
    }
    const perSecond = (msValue: number) => (options.batch * 1000) / msValue;
    const total = median(runs.total);
    const store = median(runs.store);
    const base = median(runs.base);
    rows.push([
      engine.label,
      scenario.name,
      perSecond(total).toFixed(0),
      `${ms(total)} ms`,
      `${ms(median(runs.validate))} ms`,
      perSecond(store).toFixed(0),
      perSecond(base).toFixed(0),
      `${ms(base)} ms`,
      `${(base / total).toFixed(2)}×`,
      `${(base / store).toFixed(2)}×`,
    ]);
    console.error(
      `  ${engine.label} ${scenario.name}: ${perSecond(total).toFixed(0)} ev/s (validate ${ms(median(runs.validate))} ms, store ${ms(store)} ms) vs ${perSecond(base).toFixed(0)} (${(base / total).toFixed(2)}×)`,
    );
  }
  return rows;
}

// --- MATCH_epc over a large repository ------------------------------------------------------------

/** Lifecycle of each pair of items: 4 events, in this order. */
const LIFECYCLE = [
  { bizStep: 'commissioning', disposition: 'active', action: 'ADD' },
  { bizStep: 'packing', disposition: 'in_progress', action: 'OBSERVE' },
  { bizStep: 'shipping', disposition: 'in_transit', action: 'OBSERVE' },
  { bizStep: 'receiving', disposition: 'in_progress', action: 'OBSERVE' },
];
/** Pairs per load statement (4 events each): a multiple of the 10 load GTINs. */
const PAIRS_PER_CHUNK = 12_500;
const LOAD_SPAN_SECONDS = 540 * 86_400;

interface Loaded {
  pairs: number;
  events: number;
  loadMs: number;
  analyzeMs: number;
  stoppedEarly: boolean;
}

/**
 * Stores `wanted` events (rounded to whole pairs of items) straight into the tables: pair p of
 * items (SGTINs serial B{2p}, B{2p+1} of GTIN p mod 10) has 4 events — commissioned, packed,
 * shipped, received — 2 days apart, pairs spread over 540 days from 2025-01-01 (two yearly
 * partitions), recorded 15 minutes after. Each event's document is one the platform stored for
 * the same step (captured first, through capture()), with its own eventID, times, EPCs and places;
 * its chain fields follow its producer's chain (10 chains). One capture job per 1,000 events.
 */
async function loadEvents(engine: Engine, wanted: number, budgetMs: number): Promise<Loaded> {
  const db = engine.database.db;
  const gtins = engine.loadGtins;
  const G = gtins.length;
  // templates: the 4 lifecycle events of one pair, captured by the platform
  const templateBody = captureBody(nextTag(), engine.captureGtins, 1, true);
  const base = (templateBody.epcisBody as { eventList: JsonObject[] }).eventList[0]!;
  (templateBody.epcisBody as { eventList: JsonObject[] }).eventList = LIFECYCLE.map((step) => ({
    ...base,
    eventID: `urn:uuid:${randomUUID()}`,
    ...step,
  }));
  const captured = await engine.app.traceability.capture.capture(
    engine.principal,
    readOrThrow(templateBody),
    'rollback',
  );
  const { rows: templates } = await sql<{
    document: JsonObject;
    biz_step: string;
    disposition: string;
    action: string;
  }>`select document, biz_step, disposition, action from traceability.event
     where event_id in (${sql.join(captured.stored)}) order by seq`.execute(db);
  const steps = templates.map((t, k) => ({
    k,
    template: t.document,
    biz_step: t.biz_step,
    disposition: t.disposition,
    action: t.action,
  }));
  const places = gtins.map((g, i) => ({
    g: i,
    urn: g.sgtinUrn,
    dl: canonicalIdentifier(`${g.sgtinUrn}B1`).replace(/B1$/, ''),
    producer: g.producerId,
    province: g.provinceCode,
    chain: `producer:${g.producerId}`,
    rp: canonicalIdentifier(g.readPoint),
    rp_doc: g.readPoint,
    bl: canonicalIdentifier(g.bizLocation),
    bl_doc: g.bizLocation,
    bt: `urn:epcglobal:cbv:bt:${g.gln}:PO-`,
  }));
  if (!places[0]!.dl.startsWith('https://id.gs1.org/01/'))
    throw new Error(`bench epcis: unexpected canonical form ${places[0]!.dl}`);
  const existingChains = await db
    .selectFrom('traceability.chain_head')
    .select('chain_key')
    .where(
      'chain_key',
      'in',
      places.map((p) => p.chain),
    )
    .execute();
  if (existingChains.length > 0) throw new Error('bench epcis: the load producers have events already');

  const pairsWanted = Math.max(G, Math.floor(wanted / 4 / G) * G);
  const { rows: seqRows } = await sql<{
    base: number;
  }>`select nextval('traceability.event_seq') as base`.execute(db);
  const seqBase = Number(seqRows[0]!.base);
  const userId = engine.principal.userId;
  const started = performance.now();
  let loadedPairs = 0;
  let stoppedEarly = false;
  while (loadedPairs < pairsWanted) {
    if (performance.now() - started > budgetMs) {
      stoppedEarly = true;
      break;
    }
    const from = loadedPairs;
    const to = Math.min(pairsWanted, from + PAIRS_PER_CHUNK);
    await sql`
      with gs as (
        select * from jsonb_to_recordset(${JSON.stringify(places)}::jsonb) as t(
          g int, urn text, dl text, producer uuid, province text, chain text, rp text, rp_doc text,
          bl text, bl_doc text, bt text)
      ),
      ks as (
        select * from jsonb_to_recordset(${JSON.stringify(steps)}::jsonb) as t(
          k int, template jsonb, biz_step text, disposition text, action text)
      ),
      r0 as (
        select p, ks.k, ${seqBase}::bigint + 4 * p + ks.k as seq,
          timestamptz '2025-01-01T00:00:00Z'
            + (p::float8 * ${LOAD_SPAN_SECONDS} / ${pairsWanted}) * interval '1 second'
            + ks.k * interval '2 days' as event_time,
          (p / ${G}) * 4 + ks.k + 1 as chain_seq,
          gs.*, ks.template, ks.biz_step, ks.disposition, ks.action
        from generate_series(${from}::int, ${to - 1}::int) p
          cross join ks
          join gs on gs.g = p % ${G}
      ),
      r as (
        select r0.*, r0.event_time + interval '15 minutes' as record_time,
          'urn:uuid:' || md5('ocop-bench-event:' || r0.seq)::uuid as event_id,
          md5(r0.chain || ':' || r0.chain_seq) || md5(r0.chain_seq || ':' || r0.chain) as hash,
          case when r0.chain_seq = 1 then null
            else md5(r0.chain || ':' || (r0.chain_seq - 1)) || md5((r0.chain_seq - 1) || ':' || r0.chain) end
            as prev_hash,
          md5('ocop-bench-job:' || ((4 * r0.p + r0.k) / 1000))::uuid as capture_id
        from r0
      ),
      e as (
        insert into traceability.event (seq, event_id, event_type, event_time, event_time_zone_offset,
          record_time, action, biz_step, disposition, read_point, biz_location, document, capture_id,
          owner_producer_id, province_code, chain_key, chain_seq, prev_hash, hash)
        select seq, event_id, 'ObjectEvent', event_time, '+07:00', record_time, action, biz_step,
          disposition, rp, bl,
          template || jsonb_build_object(
            'eventID', event_id,
            'eventTime', to_char((event_time at time zone 'UTC') + interval '7 hours',
              'YYYY-MM-DD"T"HH24:MI:SS.MS"+07:00"'),
            'recordTime', to_char(record_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'epcList', jsonb_build_array(urn || 'B' || (2 * p), urn || 'B' || (2 * p + 1)),
            'readPoint', jsonb_build_object('id', rp_doc),
            'bizLocation', jsonb_build_object('id', bl_doc),
            'bizTransactionList', jsonb_build_array(
              jsonb_build_object('type', 'po', 'bizTransaction', bt || (p / 100)))),
          capture_id, producer, province, chain, chain_seq, prev_hash, hash
        from r
      ),
      key as (
        insert into traceability.event_key (event_id, seq, record_time)
        select event_id, seq, record_time from r
      )
      insert into traceability.event_identifier (seq, record_time, role, identifier)
      select seq, record_time, 'epc', dl || 'B' || (2 * p) from r
      union all
      select seq, record_time, 'epc', dl || 'B' || (2 * p + 1) from r`.execute(db);
    loadedPairs = to;
    const elapsed = performance.now() - started;
    console.error(
      `  ${engine.label}: ${count(loadedPairs * 4)} events stored (${seconds(elapsed)}, ${count(Math.round((loadedPairs * 4 * 1000) / elapsed))} ev/s)`,
    );
  }
  const events = loadedPairs * 4;
  await sql`select setval('traceability.event_seq', ${seqBase + events})`.execute(db);
  const perChain = (loadedPairs / G) * 4;
  await sql`
    insert into traceability.chain_head (chain_key, chain_seq, hash)
    select chain, ${perChain}::bigint,
      md5(chain || ':' || ${perChain}::bigint) || md5(${perChain}::bigint || ':' || chain)
    from jsonb_to_recordset(${JSON.stringify(places)}::jsonb) as t(chain text)`.execute(db);
  await sql`
    insert into traceability.capture_job (id, error_behaviour, running, success, event_count, stored_count,
      user_id, created_at, finished_at)
    select md5('ocop-bench-job:' || j)::uuid, 'rollback', false, true, 1000, 1000, ${userId}::uuid, now(), now()
    from generate_series(0, ${Math.ceil(events / 1000) - 1}::int) j`.execute(db);
  const loadMs = performance.now() - started;
  for (const table of ['traceability.event', 'traceability.event_identifier', 'traceability.event_key'])
    await sql.raw(`vacuum analyze ${table}`).execute(db);
  return {
    pairs: loadedPairs,
    events,
    loadMs,
    analyzeMs: performance.now() - started - loadMs,
    stoppedEarly,
  };
}

/** A deterministic PRNG (mulberry32): every run asks for the same EPCs. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASELINE_QUERY = `select e.* from traceability.event_identifier i
  join traceability.event e on e.seq = i.seq and e.record_time = i.record_time
  where i.identifier = $1 and i.role = 'epc'
  order by e.event_time, e.seq limit 31`;

async function benchQueries(
  engine: Engine,
  loaded: Loaded,
  options: EpcisOptions,
  only: (name: string) => boolean,
): Promise<string[][]> {
  const rows: string[][] = [];
  const { query } = engine.app.traceability;
  const gtins = engine.loadGtins;
  const random = prng(2025);
  /** an EPC URN of a stored item, or of one never stored (same GTIN, another serial) */
  const epcOf = (stored: boolean) => {
    const p = Math.floor(random() * loaded.pairs);
    const g = gtins[p % gtins.length]!;
    return stored
      ? `${g.sgtinUrn}B${2 * p + (random() < 0.5 ? 0 : 1)}`
      : `${g.sgtinUrn}Z${Math.floor(random() * 1e9)}`;
  };
  // the platform is asked the URN; the baseline the canonical form (worked out before its timing)
  const platform = async (urn: string) =>
    (await query.events(engine.principal, { MATCH_epc: urn }, 'Always_GS1_Digital_Link')).events.length;
  const baseline = async (canonical: string) =>
    (await engine.database.db.executeQuery(CompiledQuery.raw(BASELINE_QUERY, [canonical]))).rows.length;

  for (const scenario of QUERY_SCENARIOS.filter((s) => only(s.name))) {
    // both sides find the same events
    for (let i = 0; i < 5; i++) {
      const epc = epcOf(scenario.stored);
      const [a, b] = [await platform(epc), await baseline(canonicalIdentifier(epc))];
      if (a !== b || (scenario.stored ? a !== 4 : a !== 0))
        throw new Error(`bench epcis: ${epc}: platform ${a} events, baseline ${b}`);
    }
    const perRound = Math.max(1, Math.round(options.requests / options.rounds));
    for (let i = 0; i < Math.max(10, perRound / 4); i++) {
      await baseline(canonicalIdentifier(epcOf(scenario.stored)));
      await platform(epcOf(scenario.stored));
    }
    const timed = { platform: [] as number[], baseline: [] as number[] };
    let found = 0;
    for (let round = 0; round < options.rounds; round++) {
      for (const [side, fn] of [
        ['baseline', baseline],
        ['platform', platform],
      ] as const) {
        for (let i = 0; i < perRound; i++) {
          const epc =
            side === 'baseline' ? canonicalIdentifier(epcOf(scenario.stored)) : epcOf(scenario.stored);
          const t = performance.now();
          const n = await fn(epc);
          timed[side].push(performance.now() - t);
          if (side === 'platform') found += n;
        }
      }
    }
    const p = timed.platform.sort((a, b) => a - b);
    const b = timed.baseline.sort((a, b) => a - b);
    rows.push([
      engine.label,
      scenario.name,
      count(loaded.events),
      String(p.length),
      (found / p.length).toFixed(1),
      `${ms(percentile(p, 50))} ms`,
      `${ms(percentile(p, 95))} ms`,
      `${ms(percentile(p, 99))} ms`,
      `${ms(percentile(b, 50))} ms`,
      `${ms(percentile(b, 95))} ms`,
      `${ms(percentile(b, 99))} ms`,
      `${(percentile(p, 95) / percentile(b, 95)).toFixed(2)}×`,
    ]);
    console.error(
      `  ${engine.label} ${scenario.name}: p95 ${ms(percentile(p, 95))} ms vs ${ms(percentile(b, 95))} ms (p50 ${ms(percentile(p, 50))} vs ${ms(percentile(b, 50))})`,
    );
  }
  return rows;
}

// --- both engines --------------------------------------------------------------------------------

async function benchEngine(
  label: string,
  database: Database,
  dataDir: string,
  options: EpcisOptions,
  budgetMs: number,
) {
  const only = (name: string) => !options.only || options.only.some((o) => name.includes(o));
  const engine = await prepareEngine(label, database, dataDir);
  const notes: string[] = [];
  try {
    console.error(`  ${label}: migrated, seeded, registry and token in ${seconds(engine.setupMs)}`);
    const capture = await benchCapture(engine, options, only);
    let query: string[][] = [];
    if (QUERY_SCENARIOS.some((s) => only(s.name))) {
      const loaded = await loadEvents(engine, options.events, budgetMs);
      notes.push(
        `${label}: ${count(loaded.events)} events (${count(loaded.events * 2)} identifier rows, ${count(loaded.pairs * 2)} EPCs` +
          ` in 4 events each) stored in ${seconds(loaded.loadMs)} (${count(Math.round((loaded.events * 1000) / loaded.loadMs))} ev/s),` +
          ` VACUUM ANALYZE ${seconds(loaded.analyzeMs)}` +
          (loaded.stoppedEarly
            ? `; stopped before the ${count(options.events)} asked: the ${seconds(budgetMs)} load budget was spent`
            : ''),
      );
      console.error(`  ${notes.at(-1)}`);
      query = await benchQueries(engine, loaded, options, only);
    }
    return { capture, query, notes };
  } finally {
    await engine.app.server.close();
  }
}

/** Runs the group on PGlite and, when a URL is given, on PostgreSQL. */
export async function runEpcisBench(
  options: EpcisOptions,
): Promise<{ capture: string[][]; query: string[][]; notes: string[] }> {
  const out = { capture: [] as string[][], query: [] as string[][], notes: [] as string[] };
  const only = (name: string) => !options.only || options.only.some((o) => name.includes(o));
  if (![...captureScenarios(options.batch), ...QUERY_SCENARIOS].some((s) => only(s.name))) return out;
  console.error(
    `bench epcis: in-process; capture ${options.batch}-event documents × ${options.rounds} rounds × ${DOCUMENTS_PER_ROUND}, MATCH_epc over ${count(options.events)} events × ${options.requests} queries`,
  );
  const add = (r: Awaited<ReturnType<typeof benchEngine>>) => {
    out.capture.push(...r.capture);
    out.query.push(...r.query);
    out.notes.push(...r.notes);
  };

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-epcis-'));
  await withCleanup(
    () => fs.rmSync(root, { recursive: true, force: true }),
    async () => {
      const database = await openDatabase({ engine: 'pglite', dataDir: path.join(root, 'pglite') });
      try {
        add(await benchEngine('pglite', database, root, options, options.pgliteLoadBudget * 1000));
      } finally {
        await database.close();
      }
    },
  );

  const pgUrl = postgresUrl();
  if (pgUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-epcis-'));
    await withCleanup(
      () => fs.rmSync(dataDir, { recursive: true, force: true }),
      () =>
        withPostgresDatabase(pgUrl, `ocop_bench_epcis_${process.pid}`, async (url) => {
          const database = await openDatabase({ engine: 'postgres', url, poolSize: 2 });
          try {
            add(await benchEngine('postgres', database, dataDir, options, Number.POSITIVE_INFINITY));
          } finally {
            await database.close();
          }
        }),
    );
  } else {
    console.error('bench epcis: PostgreSQL skipped (set DATABASE_URL or TEST_DATABASE_URL to include it)');
  }
  return out;
}
