/**
 * The "trace" bench group: what a shopper's QR scan costs. The GS1 Digital Link resolver
 * (`GET /01/{gtin}/10/{lot}` → 307 to the trace page) and the public trace page
 * (`GET /trace/01/{gtin}/10/{lot}`, HTML) of the real platform (src/main.ts in its own process),
 * loaded with autocannon against a bare node:http server answering the very same bytes (status,
 * headers, body captured from the platform; see `serveBare` below, this file run with `--bare`).
 *
 * Data, written through the services (as src/modules/traceability/trace.test.ts does over HTTP):
 * 4 cooperatives, each with a product carrying a GTIN and a valid 4★ certificate, an ingredient
 * product and lot, a raw-material area (coordinates, VietGAP), a processing facility, a warehouse
 * and an OCOP point of sale; `lots` batches spread over them, each with its 6-step journey
 * (harvest, processing, packing, shipping, receiving, sale) recorded by an administrator.
 *
 * Scenarios: requests spread over every lot (each connection starts at another lot) and a single
 * hot lot; as a phone browser asks (Accept text/html, Accept-Language vi, a mobile User-Agent),
 * and once with Accept-Encoding too. Each: its answers captured from the platform (the first
 * request of each URL, timed: what a lot costs when nothing is cached), a warm-up of both servers,
 * then rounds alternating bare and platform; req/s the median of the rounds, p50/p95/p99 over
 * every request of the rounds (nearest rank, autocannon's per-response times), and the CPU time
 * each server process used per answer (/proc, Linux). The platform keeps answers 60 s: the
 * scenarios are ordered so that none runs on answers older than that.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.ts';
import { zonedTime } from '../src/modules/traceability/batches.service.ts';
import type { CapturedEvent } from '../src/modules/traceability/epcis/index.ts';
import { readSingleEvent } from '../src/modules/traceability/epcis/index.ts';
import { journeyEvent } from '../src/modules/traceability/journey-events.ts';
import type { Principal } from '../src/platform/auth.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { databaseTarget } from '../src/platform/db/target.ts';
import { withGs1CheckDigit } from '../src/platform/gs1/index.ts';
import { isMain } from '../src/platform/is-main.ts';
import { createLogger } from '../src/platform/logger.ts';
import { addDays, todayInVietnam } from '../src/platform/time.ts';
import { percentile } from './load.ts';
import { createBenchTokens } from './registry-data.ts';
import {
  median,
  postgresUrl,
  startPlatform,
  startProcess,
  stopProcess,
  withCleanup,
  withPostgresDatabase,
} from './support.ts';

export interface TraceOptions {
  /** Seconds per round and side. */
  duration: number;
  rounds: number;
  connections: number;
  /** Batches (lots) written, each with its 6-step journey. */
  lots: number;
  only?: string[] | undefined;
}

/** What the issue asks, by engine: the trace page's req/s ÷ the bare server's, and its p99. */
export const TRACE_TARGETS: Record<string, { ratio: number; p99Ms?: number }> = {
  postgres: { ratio: 0.5, p99Ms: 20 },
  pglite: { ratio: 0.3 },
};

export const TRACE_HEADER = [
  'engine',
  'scenario',
  'answer',
  'req/s',
  'p50',
  'p95',
  'p99',
  'CPU/req',
  'bare req/s',
  'bare p99',
  'bare CPU/req',
  'ratio',
  'target',
  'met',
  'errors',
];

interface Lot {
  gtin: string;
  lot: string;
}

interface TraceScenario {
  name: string;
  /** The request targets, spread over the connections. */
  paths: (lots: Lot[]) => string[];
  headers: Record<string, string>;
  /** The status every answer must have. */
  status: number;
}

/** What a phone's browser sends after scanning a QR code. */
const BROWSER = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'vi',
  'user-agent':
    'Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
};
const resolverPath = (l: Lot) => `/01/${l.gtin}/10/${encodeURIComponent(l.lot)}`;
const tracePath = (l: Lot) => `/trace${resolverPath(l)}`;

/** Later issues add their trace scenarios here. */
export const TRACE_SCENARIOS: TraceScenario[] = [
  {
    name: 'resolve → 307, all lots',
    paths: (lots) => lots.map(resolverPath),
    headers: BROWSER,
    status: 307,
  },
  {
    name: 'trace page, hot lot',
    paths: (lots) => [tracePath(lots[0]!)],
    headers: BROWSER,
    status: 200,
  },
  {
    name: 'trace page, hot lot, gzip/br',
    paths: (lots) => [tracePath(lots[0]!)],
    headers: { ...BROWSER, 'accept-encoding': 'gzip, deflate, br' },
    status: 200,
  },
  {
    name: 'trace page, all lots',
    paths: (lots) => lots.map(tracePath),
    headers: BROWSER,
    status: 200,
  },
];

const ms = (x: number) =>
  Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;
const us = (x: number | null) => (x === null ? '–' : `${x.toFixed(0)} µs`);

// --- the data -----------------------------------------------------------------------------------

const COOPERATIVES = [
  { name: 'Hợp tác xã Tôm khô Tân Ân', product: 'Tôm khô Tân Ân', ingredient: 'Muối hạt Tân Ân' },
  {
    name: 'Hợp tác xã Khô cá bổi Sông Đốc',
    product: 'Khô cá bổi Sông Đốc',
    ingredient: 'Muối biển Sông Đốc',
  },
  { name: 'Hợp tác xã Mắm Năm Căn', product: 'Mắm ba khía Năm Căn', ingredient: 'Muối hạt Năm Căn' },
  {
    name: 'Hợp tác xã Bánh phồng tôm Cà Mau',
    product: 'Bánh phồng tôm Cà Mau',
    ingredient: 'Tôm đất sấy Cà Mau',
  },
] as const;
const COMMUNE = '32002';

/** Lots whose journey goes through batches.recordStep, one step at a time (the others: see below). */
export const RECORDED_LOTS = 8;
/** Lots whose events go in one capture call (60 events). */
const LOTS_PER_CAPTURE = 10;

/** What prepareTraceDatabase wrote. */
export interface TraceData {
  lots: Lot[];
  /** How many lots' journeys went step by step through recordStep. */
  recorded: number;
  setupMs: number;
  journeyMs: number;
}

/**
 * Migrates and seeds the database the platform will use (`env`), then writes the cooperatives,
 * their places, certificates and `lots` batches with their 6-step journeys. The first
 * RECORDED_LOTS journeys go through `batches.recordStep` (checks, one capture and one audit entry
 * per step); the others are the same events — built by the same `journeyEvent` from the same
 * step inputs — stored by `capture.capture`, LOTS_PER_CAPTURE lots at a time: recordStep's checks
 * plan the lot's event query over the 2 × 22 partitions of event and event_identifier (~20 ms a
 * step on PGlite: 200 lots would take a minute to write).
 */
export async function prepareTraceDatabase(env: NodeJS.ProcessEnv, lots: number): Promise<TraceData> {
  const started = performance.now();
  const config = loadConfig(env);
  const database = await openDatabase(databaseTarget(config));
  try {
    await migrate(database);
    // 'error': the first seed names the bootstrap administrator's password at 'warn'
    const app = await buildApp({ config, database, logger: createLogger('error') });
    await app.seed();
    const tokens = await createBenchTokens(database);
    const admin: Principal | null = await app.identity.authenticateToken(tokens.admin);
    if (admin?.role !== 'admin') throw new Error('bench trace: the admin token does not sign in');
    const context = { actor: { type: 'system' as const, label: 'bench' } };
    const today = todayInVietnam();

    interface Place {
      id: string;
      identifier: string;
    }
    interface Cooperative {
      producerId: string;
      productId: string;
      ingredient: { id: string; gtin: string; lot: string };
      pond: Place;
      facility: Place;
      warehouse: Place;
      shop: Place;
    }
    const cooperatives: Cooperative[] = [];
    for (const [i, c] of COOPERATIVES.entries()) {
      const values = await app.producers.valuesOf({
        legalType: 'cooperative',
        legalName: c.name,
        registrationNumber: `61A81${String(i + 1).padStart(5, '0')}`,
        communeCode: COMMUNE,
      });
      const [producer] = await database.db
        .transaction()
        .execute((trx) => app.producers.saveMany(trx, context, [{ id: null, values }]));
      const producerId = producer!.id;
      const gtin = `0${withGs1CheckDigit(`89385${String(i + 1).padStart(2, '0')}00101`)}`;
      const ingredientGtin = `0${withGs1CheckDigit(`89385${String(i + 1).padStart(2, '0')}00202`)}`;
      const create = async (name: string, g: string) =>
        (await app.products.products.create(context, admin, { producerId, name, productSet: 8, gtins: [g] }))
          .id;
      const productId = await create(c.product, gtin);
      const ingredientId = await create(c.ingredient, ingredientGtin);
      await app.certification.certificates.create(context, admin, {
        productId,
        level: 'province',
        stars: 4,
        decisionNumber: `${96 + i}/QĐ-UBND`,
        decisionDate: addDays(today, -300),
        decisionSigner: 'Chủ tịch UBND tỉnh Cà Mau',
      });
      const add = (input: Parameters<typeof app.traceability.locations.add>[3]) =>
        app.traceability.locations.add(context, admin, producerId, input);
      const pond = await add({
        name: 'Vùng nguyên liệu số 3',
        kind: 'raw_material_area',
        communeCode: COMMUNE,
        latitude: 8.95 + i / 100,
        longitude: 105.1,
        certifications: 'VietGAP 2025',
      });
      const facility = await add({
        name: 'Xưởng chế biến',
        kind: 'processing_facility',
        communeCode: COMMUNE,
      });
      const warehouse = await add({ name: 'Kho thành phẩm', kind: 'warehouse', communeCode: COMMUNE });
      const shop = await app.traceability.locations.addPartner(context, admin, producerId, {
        name: 'Điểm bán OCOP Cà Mau',
        kind: 'ocop_point_of_sale',
        communeCode: COMMUNE,
      });
      const ingredientLot = await app.traceability.batches.create(context, admin, {
        productId: ingredientId,
        lot: `M${today.slice(2, 4)}01`,
        productionDate: addDays(today, -90),
        quantity: 50,
        unit: 'kg',
      });
      cooperatives.push({
        producerId,
        productId,
        ingredient: { id: ingredientLot.id, gtin: ingredientLot.gtin, lot: ingredientLot.lot },
        pond,
        facility,
        warehouse,
        shop,
      });
    }

    const setupDone = performance.now();
    const written: Lot[] = [];
    let pending: CapturedEvent[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const events = pending.map((e, index) => ({ ...e, index }));
      pending = [];
      const result = await app.traceability.capture.capture(admin, events, 'rollback');
      if (result.stored.length !== events.length)
        throw new Error(`bench trace: events not stored: ${JSON.stringify(result.job.errors)}`);
    };
    for (let k = 0; k < lots; k++) {
      const c = cooperatives[k % cooperatives.length]!;
      const production = addDays(today, -(8 + (k % 60)));
      const expiry = addDays(production, 365);
      const batch = await app.traceability.batches.create(context, admin, {
        productId: c.productId,
        lot: `L${production.slice(2).replace(/-/g, '')}-${String(k).padStart(3, '0')}`,
        productionDate: production,
        expiryDate: expiry,
        quantity: 120,
        unit: 'hộp',
        rawMaterialLocationId: c.pond.id,
        inputBatchIds: [c.ingredient.id],
      });
      const steps = [
        { step: 'harvest', at: `${addDays(production, -1)}T05:30`, place: c.pond, quantity: 38, unit: 'kg' },
        {
          step: 'processing',
          at: `${production}T07:00`,
          place: c.facility,
          quantity: 30,
          unit: 'kg',
          note: 'Luộc, phơi nắng 2 ngày',
        },
        {
          step: 'packing',
          at: `${addDays(production, 2)}T09:15`,
          place: c.facility,
          quantity: 120,
          unit: 'hộp',
        },
        {
          step: 'shipping',
          at: `${addDays(production, 3)}T07:45`,
          place: c.warehouse,
          partner: c.shop,
          quantity: 60,
          unit: 'hộp',
          document: `PX-${k}`,
        },
        {
          step: 'receiving',
          at: `${addDays(production, 3)}T15:00`,
          place: c.shop,
          partner: c.warehouse,
          quantity: 60,
          unit: 'hộp',
        },
        { step: 'sale', at: `${addDays(production, 5)}T10:00`, place: c.shop, quantity: 2, unit: 'hộp' },
      ] as const;
      if (k < RECORDED_LOTS) {
        for (const s of steps)
          await app.traceability.batches.recordStep(context, admin, batch.id, {
            step: s.step,
            eventTime: s.at,
            placeId: s.place.id,
            partnerId: 'partner' in s ? s.partner.id : null,
            quantity: s.quantity,
            unit: s.unit,
            document: 'document' in s ? s.document : null,
            note: 'note' in s ? s.note : null,
          });
      } else {
        // what recordStep would capture for these steps
        const events = steps.map((s) => {
          const event = journeyEvent(
            { gtin: batch.gtin, lot: batch.lot, productionDate: production, expiryDate: expiry },
            {
              step: s.step,
              eventTime: zonedTime(s.at)!,
              place: s.place.identifier,
              partner: 'partner' in s ? s.partner.identifier : null,
              quantity: s.quantity,
              unit: s.unit,
              inputs: s.step === 'processing' ? [{ gtin: c.ingredient.gtin, lot: c.ingredient.lot }] : [],
              sscc: null,
              attachment: null,
              document: 'document' in s ? s.document : null,
              note: 'note' in s ? s.note : null,
              producerParty: new URL(`/id/producer/${c.producerId}`, config.publicUrl).toString(),
            },
          );
          const read = readSingleEvent(event);
          if (!read.ok) throw new Error(`bench trace: ${s.step} refused: ${JSON.stringify(read.problems)}`);
          return read.events[0] as CapturedEvent;
        });
        pending.push(...events);
      }
      written.push({ gtin: batch.gtin, lot: batch.lot });
      if (pending.length >= 6 * LOTS_PER_CAPTURE || k === lots - 1) await flush();
    }
    await app.server.close();
    return {
      lots: written,
      recorded: Math.min(lots, RECORDED_LOTS),
      setupMs: setupDone - started,
      journeyMs: performance.now() - setupDone,
    };
  } finally {
    await database.close();
  }
}

// --- the bare server and the bytes it sends ---------------------------------------------------------

/** One answer as received: status, raw headers (name, value, …) and body bytes. */
interface Answer {
  status: number;
  headers: string[];
  body: Buffer;
}

/** Headers that belong to the connection or the moment, not to the answer. */
const TRANSIENT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

const fixtureKey = (url: string, acceptEncoding: string | undefined) => `${url}\n${acceptEncoding ?? ''}`;

function rawGet(base: string, target: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${target}`, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.rawHeaders, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The headers the bare server repeats: all but the transient ones, with the body's length. */
function replayHeaders(answer: Answer): string[] {
  const out: string[] = [];
  for (let i = 0; i < answer.headers.length; i += 2) {
    const name = answer.headers[i]!;
    const lower = name.toLowerCase();
    if (TRANSIENT.has(lower) || lower === 'content-length') continue;
    out.push(name, answer.headers[i + 1]!);
  }
  out.push('content-length', String(answer.body.length));
  return out;
}

const headerMap = (answer: Answer) => {
  const map = new Map<string, string>();
  for (let i = 0; i < answer.headers.length; i += 2) {
    const name = answer.headers[i]!.toLowerCase();
    if (!TRANSIENT.has(name) && name !== 'content-length') map.set(name, answer.headers[i + 1]!);
  }
  return map;
};

type Fixtures = Record<string, { status: number; headers: string[]; body: string }>;

/**
 * `tsx bench/trace.ts --bare fixtures.json`: answers each captured request with its bytes (the file
 * is read again when a request is not in it: the group adds each scenario's answers as it goes).
 */
function serveBare(file: string) {
  const read = () =>
    new Map(
      Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Fixtures).map(([key, f]) => [
        key,
        { status: f.status, headers: f.headers, body: Buffer.from(f.body, 'base64') },
      ]),
    );
  let answers = read();
  const server = http.createServer((req, res) => {
    const key = fixtureKey(req.url ?? '', req.headers['accept-encoding']);
    if (!answers.has(key)) answers = read();
    const found = answers.get(key);
    if (!found) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(found.status, found.headers).end(found.body);
  });
  server.keepAliveTimeout = 72_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    console.log(`listening http://127.0.0.1:${address.port}`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

// --- load ---------------------------------------------------------------------------------------------

interface Run {
  /** Milliseconds, one per answer. */
  latencies: number[];
  rps: number;
  /** Connection errors, timeouts and answers with another status than expected. */
  errors: number;
  /** CPU time the server process used during the run (ms), where the OS says (Linux). */
  cpuMs: number | null;
}

let clockTicks: number | undefined;
/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux); null elsewhere.
 * Unlike req/s it hardly depends on what else the machine runs (the load generator included).
 */
function cpuMsOf(pid: number | undefined): number | null {
  if (!pid || process.platform !== 'linux') return null;
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after "pid (command) ": state is field 3 of the line; utime and stime are fields 14 and 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return null;
  }
}

/** autocannon over `paths` (connection i starts at path i × paths/connections), every latency kept. */
function cannon(
  base: string,
  paths: string[],
  headers: Record<string, string>,
  status: number,
  duration: number,
  connections: number,
): Promise<Run> {
  const latencies: number[] = [];
  let wrong = 0;
  let clients = 0;
  const requests = paths.map((p) => ({ method: 'GET' as const, path: p }));
  const step = Math.max(1, Math.floor(paths.length / connections));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: base,
        connections,
        duration,
        headers,
        requests,
        setupClient: (client) => {
          const offset = (clients++ * step) % requests.length;
          client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
        },
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (performance.now() - started) / 1000;
        resolve({
          latencies,
          rps: latencies.length / Math.min(elapsed, result.duration || elapsed),
          errors: result.errors + wrong,
          cpuMs: null,
        });
      },
    );
    instance.on('response', (_client, code, _bytes, time) => {
      latencies.push(time);
      if (code !== status) wrong++;
    });
  });
}

interface Summary {
  rps: number;
  /** Microseconds of the server's CPU per answer (null: not measured). */
  cpuPerRequest: number | null;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function summarise(runs: Run[]): Summary {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const cpu = runs.every((r) => r.cpuMs !== null) ? runs.reduce((sum, r) => sum + r.cpuMs!, 0) : null;
  return {
    rps: median(runs.map((r) => r.rps)),
    cpuPerRequest: cpu === null || all.length === 0 ? null : (cpu * 1000) / all.length,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

// --- one engine ---------------------------------------------------------------------------------------

async function benchEngine(
  label: string,
  env: NodeJS.ProcessEnv,
  scenarios: TraceScenario[],
  options: TraceOptions,
): Promise<{ rows: string[][]; notes: string[] }> {
  const prepared = await prepareTraceDatabase(env, options.lots);
  const notes = [
    `${label}: ${prepared.lots.length} lots × 6 steps in ${seconds(prepared.journeyMs)} (${prepared.recorded} by recordStep,` +
      ` the others as the same events by capture()); migrate, seed, 4 cooperatives with products,` +
      ` certificates, places before it: ${seconds(prepared.setupMs)}`,
  ];
  console.error(`  ${notes[0]}`);
  const platform = await startPlatform(env);
  const fixtureFile = path.join(os.tmpdir(), `ocop-bench-trace-${process.pid}.json`);
  let bare: Awaited<ReturnType<typeof startProcess>> | undefined;
  const rows: string[][] = [];
  const engineTarget = TRACE_TARGETS[label];
  // The platform's answers, byte for byte, captured just before each scenario: the first request of
  // a URL works the answer out (timed: one at a time, nothing cached), then the platform keeps it
  // 60 s, longer than a scenario runs (the scenarios are ordered so that none reuses older answers).
  const fixtures: Fixtures = {};
  const answers = new Map<string, Answer>();
  const cold = { resolver: [] as number[], page: [] as number[] };
  try {
    for (const s of scenarios) {
      const paths = s.paths(prepared.lots);
      for (const url of new Set(paths)) {
        const key = fixtureKey(url, s.headers['accept-encoding']);
        if (answers.has(key)) continue;
        const first = ![...answers.keys()].some((k) => k.startsWith(`${url}\n`));
        const asked = performance.now();
        const answer = await rawGet(platform.url, url, s.headers);
        if (first) cold[url.startsWith('/trace/') ? 'page' : 'resolver'].push(performance.now() - asked);
        if (answer.status !== s.status)
          throw new Error(`${s.name}: ${url} answered ${answer.status}: ${answer.body.toString()}`);
        answers.set(key, answer);
        fixtures[key] = {
          status: answer.status,
          headers: replayHeaders(answer),
          body: answer.body.toString('base64'),
        };
      }
      // the bare server reads the file again when asked for something it does not have
      fs.writeFileSync(fixtureFile, JSON.stringify(fixtures));
      bare ??= await startProcess(
        ['bench/trace.ts', '--bare', fixtureFile],
        process.env,
        /listening (http:\/\/127\.0\.0\.1:\d+)/,
      );
      // it sends what the platform sent: status, headers (all but date, connection), body
      for (const url of new Set(paths)) {
        const expected = answers.get(fixtureKey(url, s.headers['accept-encoding']))!;
        const got = await rawGet(bare.url, url, s.headers);
        const [e, g] = [headerMap(expected), headerMap(got)];
        const differs = [...e].filter(([k, v]) => g.get(k) !== v).map(([k]) => k);
        if (got.status !== expected.status || !got.body.equals(expected.body) || differs.length > 0)
          throw new Error(`${s.name}: the bare server answers ${url} otherwise (${differs.join(', ')})`);
      }

      const server = { bare, platform };
      const load = async (side: keyof typeof server, duration: number): Promise<Run> => {
        const pid = server[side].child.pid;
        const before = cpuMsOf(pid);
        const run = await cannon(server[side].url, paths, s.headers, s.status, duration, options.connections);
        const after = cpuMsOf(pid);
        return { ...run, cpuMs: before === null || after === null ? null : after - before };
      };
      await load('bare', 0.5);
      await load('platform', 1);
      const runs = { platform: [] as Run[], bare: [] as Run[] };
      for (let round = 0; round < options.rounds; round++) {
        runs.bare.push(await load('bare', options.duration));
        runs.platform.push(await load('platform', options.duration));
      }
      if (platform.child.exitCode !== null || platform.child.signalCode !== null)
        throw new Error(`the platform exited during ${label} ${s.name}`);
      const p = summarise(runs.platform);
      const b = summarise(runs.bare);
      const ratio = p.rps / b.rps;
      // the issue names its target for the trace page; the resolver's figures are reported as they are
      const target = s.name.startsWith('trace page') ? engineTarget : undefined;
      const misses = [
        ...(target && ratio < target.ratio ? ['ratio'] : []),
        ...(target?.p99Ms !== undefined && p.p99 >= target.p99Ms ? ['p99'] : []),
      ];
      const first = answers.get(fixtureKey(paths[0]!, s.headers['accept-encoding']))!;
      const encoding = headerMap(first).get('content-encoding');
      rows.push([
        label,
        s.name,
        `${first.status}${first.body.length > 0 ? ` ${(first.body.length / 1024).toFixed(1)} KB` : ''}${encoding ? ` ${encoding}` : ''}`,
        p.rps.toFixed(0),
        `${ms(p.p50)} ms`,
        `${ms(p.p95)} ms`,
        `${ms(p.p99)} ms`,
        us(p.cpuPerRequest),
        b.rps.toFixed(0),
        `${ms(b.p99)} ms`,
        us(b.cpuPerRequest),
        `${ratio.toFixed(2)}×`,
        target
          ? `≥ ${target.ratio.toFixed(2)}×${target.p99Ms !== undefined ? `, p99 < ${target.p99Ms} ms` : ''}`
          : '–',
        target ? (misses.length === 0 ? 'yes' : `no (${misses.join(', ')})`) : '–',
        String(p.errors + b.errors),
      ]);
      console.error(
        `  ${label} ${s.name}: ${p.rps.toFixed(0)} req/s, p99 ${ms(p.p99)} ms vs bare ${b.rps.toFixed(0)} req/s, p99 ${ms(b.p99)} ms (${ratio.toFixed(2)}×)`,
      );
    }
  } finally {
    if (bare) await stopProcess(bare.child);
    await stopProcess(platform.child);
    fs.rmSync(fixtureFile, { force: true });
  }
  const coldNote = (name: string, xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `${name} p50 ${ms(percentile(sorted, 50))} ms, p95 ${ms(percentile(sorted, 95))} ms, max ${ms(sorted.at(-1) ?? Number.NaN)} ms (${xs.length} URLs)`;
  };
  notes.push(
    `${label}, first request of each URL, one at a time (nothing cached: what each lot costs again once its ` +
      `answer is older than 60 s): ${[
        ...(cold.resolver.length > 0 ? [coldNote('resolver', cold.resolver)] : []),
        ...(cold.page.length > 0 ? [coldNote('trace page', cold.page)] : []),
      ].join('; ')}`,
  );
  console.error(`  ${notes.at(-1)}`);
  return { rows, notes };
}

/** Runs the group on PGlite and, when a URL is given, on PostgreSQL. Returns rows and notes. */
export async function runTraceBench(options: TraceOptions): Promise<{ rows: string[][]; notes: string[] }> {
  const scenarios = options.only
    ? TRACE_SCENARIOS.filter((s) => options.only!.some((o) => s.name.includes(o)))
    : TRACE_SCENARIOS;
  const rows: string[][] = [];
  const notes: string[] = [
    `machine: ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the start (the load generator, the server under test and PostgreSQL share them)`,
  ];
  if (scenarios.length === 0) return { rows, notes: [] };
  console.error(
    `bench trace: ${scenarios.length} scenarios × ${options.rounds} rounds × ${options.duration} s per side, ${options.connections} connections, ${options.lots} lots`,
  );
  // a fixed public URL: the resolver's Location and the minted place identifiers carry it
  const base = { ...process.env, OCOP_PUBLIC_URL: 'http://localhost:3000' };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-trace-'));
  await withCleanup(
    () => fs.rmSync(dataDir, { recursive: true, force: true }),
    async () => {
      const env: NodeJS.ProcessEnv = { ...base, OCOP_DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      const result = await benchEngine('pglite', env, scenarios, options);
      rows.push(...result.rows);
      notes.push(...result.notes);
    },
  );
  const pgUrl = postgresUrl();
  if (pgUrl) {
    const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-trace-'));
    await withCleanup(
      () => fs.rmSync(filesDir, { recursive: true, force: true }),
      () =>
        withPostgresDatabase(pgUrl, `ocop_bench_trace_${process.pid}`, async (url) => {
          const result = await benchEngine(
            'postgres',
            { ...base, OCOP_DATA_DIR: filesDir, DATABASE_URL: url },
            scenarios,
            options,
          );
          rows.push(...result.rows);
          notes.push(...result.notes);
        }),
    );
  } else {
    console.error('bench trace: PostgreSQL skipped (set DATABASE_URL or TEST_DATABASE_URL to include it)');
  }
  return { rows, notes };
}

if (isMain(import.meta.url)) {
  const at = process.argv.indexOf('--bare');
  if (at < 0 || !process.argv[at + 1]) {
    console.error('usage: tsx bench/trace.ts --bare <fixtures.json> (npm run bench -- trace runs the group)');
    process.exit(64);
  }
  serveBare(process.argv[at + 1]!);
}
