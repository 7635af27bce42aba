/**
 * `npm run bench [-- GROUP…] [options]`, four groups (all by default):
 *
 * - `http`: the platform against a bare node:http server returning the same bytes, loaded side by
 *   side (alternating rounds, after a 2 s warm-up) with autocannon; req/s, p99 and the ratio to the
 *   baseline per scenario. Options: --duration=S (per round, default 3) --connections=C (default 32).
 * - `registry`: the platform on the national data set (15,000 producers, 20,000 products; see
 *   bench/registry.ts and bench/registry-data.ts) answering searches and lists, against the same
 *   SQL behind a bare node:http server; p50/p95/p99 from every request's latency, req/s, ratios.
 *   Options: --requests=N (per scenario and side, default 300) --concurrency=C (default 4)
 *   --extra-sql='create index …' (run on the data set before VACUUM ANALYZE: try an index)
 *   --no-vacuum (no VACUUM ANALYZE after the load: PGlite as bulk writes leave it).
 * - `epcis`: the EPCIS repository (src/modules/traceability) called in-process, no HTTP (see
 *   bench/epcis.ts): capture of a document of ObjectEvents (validation + storage, eventIDs given or
 *   hashed) in events/s against a plain batched INSERT of the same rows into the same tables, and
 *   validation alone; then MATCH_epc queries over a large repository (bulk-loaded in SQL) against
 *   the same lookup as one raw SQL statement, p50/p95/p99. Options: --batch=N (events per document,
 *   default 1000) --events=N (stored for the queries, default 100000; the issue asks 1000000)
 *   --pglite-load-budget=S (PGlite stops loading after S seconds, default 180) --requests=N
 *   (MATCH_epc queries per scenario and side, default 300).
 * - `trace`: a shopper's QR scan (see bench/trace.ts): the GS1 Digital Link resolver
 *   (`/01/{gtin}/10/{lot}` → 307) and the public trace page (`/trace/01/{gtin}/10/{lot}`, HTML) of
 *   lots with a 6-step journey, spread over every lot and on one hot lot, against a bare node:http
 *   server sending the same status, headers and body; autocannon, alternating rounds, req/s,
 *   p50/p95/p99, ratio and the targets. Options: --duration=S (per round and side, default
 *   1 here) --connections=C (default 32) --lots=N (batches written, default 200).
 *
 * All: --rounds=N (default 3) --only=text,text (scenarios whose name contains one of them).
 * On PGlite and, when DATABASE_URL or TEST_DATABASE_URL is set, on PostgreSQL (in a database the
 * bench creates and drops). http, registry: each server runs in its own process; the load generator
 * in this one.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { databaseTarget } from '../src/platform/db/target.ts';
import { createLogger } from '../src/platform/logger.ts';
import { DOCUMENTS_PER_ROUND, EPCIS_CAPTURE_HEADER, EPCIS_QUERY_HEADER, runEpcisBench } from './epcis.ts';
import { REGISTRY_HEADER, runRegistryBench } from './registry.ts';
import {
  median,
  postgresUrl,
  printTable,
  startPlatform,
  startProcess,
  stopProcess,
  withCleanup,
  withPostgresDatabase,
} from './support.ts';
import { runTraceBench, TRACE_HEADER } from './trace.ts';

interface Scenario {
  name: string;
  /** The path, or how to find it on the running platform (e.g. a certificate of the demo data). */
  path: string | ((demo: Demo) => string);
  headers?: Record<string, string>;
  /** What the row measures, for the reader. */
  note: string;
}

/** Later issues add their scenarios here. */
const SCENARIOS: Scenario[] = [
  { name: 'healthz', path: '/healthz', note: 'JSON, no database' },
  {
    name: 'home',
    path: '/',
    headers: { accept: 'text/html', 'accept-language': 'vi' },
    note: 'server-rendered HTML page',
  },
  {
    name: 'communes-of-96',
    path: '/api/v1/admin-units?level=commune&parent=96',
    note: 'JSON list of 64 rows: the database on the first request, the reference-data cache after',
  },
  {
    name: 'verify-certificate',
    path: (demo) => `/verify/${demo.certificateId}`,
    headers: { accept: 'text/html', 'accept-language': 'vi' },
    note: 'public verification page of a demo certificate (register lookup, product history, photo; no cache)',
  },
  {
    name: 'verify-signed-qr',
    path: (demo) => demo.signedPath,
    headers: { accept: 'text/html', 'accept-language': 'vi' },
    note: 'the same page reached by the QR code: the Ed25519 signature checked as well',
  },
  {
    name: 'open-data-csv',
    path: '/open-data/certificates.csv',
    note: "the whole certificate register with today's statuses (built once per day and write)",
  },
];

/** What the scenarios find in the demo data loaded before the platform starts. */
interface Demo {
  certificateId: string;
  /** The path and query a certificate's QR code holds (signed with the platform's key). */
  signedPath: string;
}

const pathOf = (scenario: Scenario, demo: Demo) =>
  typeof scenario.path === 'string' ? scenario.path : scenario.path(demo);

/**
 * Loads the demo data (`ocop demo`) into the engine the platform will use, then reads a valid 4★
 * certificate and signs its QR path with the platform's active key, as the PDF would.
 */
async function loadDemo(env: NodeJS.ProcessEnv): Promise<Demo> {
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'demo'], { env, stdio: 'ignore' });
  const database = await openDatabase(databaseTarget(loadConfig(env)));
  try {
    const app = await buildApp({ config: loadConfig(env), database, logger: createLogger('warn') });
    const page = await app.certification.certificates.list({ status: ['valid'], stars: 4, limit: 1 });
    const c = page.items[0];
    if (!c) throw new Error('bench: the demo data has no valid 4★ certificate');
    const url = new URL(
      await app.certification.keys.signedUrl({
        id: c.id,
        stars: c.stars,
        issuedOn: c.issuedOn,
        validUntil: c.validUntil,
      }),
    );
    await app.server.close();
    return { certificateId: c.id, signedPath: `${url.pathname}${url.search}` };
  } finally {
    await database.close();
  }
}

const GROUPS = ['http', 'registry', 'epcis', 'trace'];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    requests: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '4' },
    only: { type: 'string' },
    'extra-sql': { type: 'string' },
    'no-vacuum': { type: 'boolean' },
    batch: { type: 'string', default: '1000' },
    events: { type: 'string', default: '100000' },
    'pglite-load-budget': { type: 'string', default: '180' },
    lots: { type: 'string', default: '200' },
  },
});
const unknown = positionals.filter((g) => !GROUPS.includes(g));
if (unknown.length > 0) {
  console.error(`bench: unknown group ${unknown.join(', ')} (groups: ${GROUPS.join(', ')})`);
  process.exit(64);
}
const groups = positionals.length > 0 ? positionals : GROUPS;
const duration = Number(values.duration ?? 3);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const only = values.only?.split(',');
const scenarios = only ? SCENARIOS.filter((s) => only.some((o) => s.name.includes(o))) : SCENARIOS;

async function load(
  url: string,
  path: string,
  scenario: Scenario,
  seconds = duration,
): Promise<{ rps: number; p99: number; errors: number }> {
  const result = await autocannon({
    url: `${url}${path}`,
    headers: scenario.headers ?? {},
    connections,
    duration: seconds,
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function benchEngine(label: string, env: NodeJS.ProcessEnv) {
  const demo = await loadDemo(env);
  const platform = await startPlatform(env);
  // Capture the platform's exact bytes for the baseline.
  const fixtures: Record<string, { type: string; body: string }> = {};
  for (const scenario of scenarios) {
    const res = await fetch(`${platform.url}${pathOf(scenario, demo)}`, { headers: scenario.headers });
    if (!res.ok) throw new Error(`${pathOf(scenario, demo)} answered ${res.status}`);
    fixtures[pathOf(scenario, demo)] = {
      type: res.headers.get('content-type') ?? 'application/octet-stream',
      body: Buffer.from(await res.arrayBuffer()).toString('base64'),
    };
  }
  const fixtureFile = path.join(os.tmpdir(), `ocop-bench-${process.pid}.json`);
  fs.writeFileSync(fixtureFile, JSON.stringify(fixtures));
  const bare = await startProcess(
    ['bench/bare-server.ts', fixtureFile],
    process.env,
    /listening (http:\/\/127\.0\.0\.1:\d+)/,
  );

  const rows: string[][] = [];
  try {
    for (const scenario of scenarios) {
      const path = pathOf(scenario, demo);
      await load(platform.url, path, scenario, Math.min(2, duration)); // warm-up, not counted
      const runs = {
        platform: [] as { rps: number; p99: number; errors: number }[],
        bare: [] as { rps: number; p99: number; errors: number }[],
      };
      for (let round = 0; round < rounds; round++) {
        runs.bare.push(await load(bare.url, path, scenario));
        runs.platform.push(await load(platform.url, path, scenario));
      }
      const p = {
        rps: median(runs.platform.map((r) => r.rps)),
        p99: median(runs.platform.map((r) => r.p99)),
      };
      const b = { rps: median(runs.bare.map((r) => r.rps)), p99: median(runs.bare.map((r) => r.p99)) };
      const errors = runs.platform.reduce((sum, r) => sum + r.errors, 0);
      rows.push([
        label,
        scenario.name,
        `${(Buffer.from(fixtures[path]!.body, 'base64').length / 1024).toFixed(1)} KB`,
        p.rps.toFixed(0),
        `${p.p99} ms`,
        b.rps.toFixed(0),
        `${b.p99} ms`,
        `${(p.rps / b.rps).toFixed(2)}×`,
        errors ? String(errors) : '0',
      ]);
      console.error(
        `  ${label} ${scenario.name}: ${p.rps.toFixed(0)} req/s vs ${b.rps.toFixed(0)} (${(p.rps / b.rps).toFixed(2)}×)`,
      );
    }
  } finally {
    await stopProcess(bare.child);
    await stopProcess(platform.child);
    fs.rmSync(fixtureFile, { force: true });
  }
  return rows;
}

const header = [
  'engine',
  'scenario',
  'body',
  'platform req/s',
  'platform p99',
  'bare req/s',
  'bare p99',
  'ratio',
  'errors',
];

async function runHttpGroup(): Promise<string[][]> {
  const all: string[][] = [];
  if (scenarios.length === 0) return all;
  console.error(
    `bench http: ${scenarios.length} scenarios × ${rounds} rounds × ${duration} s, ${connections} connections, node ${process.version}`,
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-data-'));
  await withCleanup(
    () => fs.rmSync(dataDir, { recursive: true, force: true }),
    async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, OCOP_DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      all.push(...(await benchEngine('pglite', env)));
    },
  );
  const pgUrl = postgresUrl();
  if (pgUrl) {
    await withPostgresDatabase(pgUrl, `ocop_bench_${process.pid}`, async (url) => {
      all.push(...(await benchEngine('postgres', { ...process.env, DATABASE_URL: url })));
    });
  } else {
    console.error('bench http: PostgreSQL skipped (set DATABASE_URL or TEST_DATABASE_URL to include it)');
  }
  return all;
}

const started = performance.now();
if (groups.includes('http')) {
  const rows = await runHttpGroup();
  if (rows.length > 0) {
    console.log('## http\n');
    printTable(header, rows);
    console.log(
      '\nratio = platform req/s ÷ bare node:http req/s serving the same bytes (medians, same run).',
    );
    for (const s of scenarios) console.log(`${s.name}: ${s.path} (${s.note})`);
  }
}
if (groups.includes('registry')) {
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const { rows, notes } = await runRegistryBench({
    requests,
    concurrency,
    rounds,
    only,
    extraSql: values['extra-sql'],
    settle: !values['no-vacuum'],
  });
  if (rows.length > 0) {
    console.log(`${groups.includes('http') ? '\n' : ''}## registry\n`);
    printTable(REGISTRY_HEADER, rows);
    console.log(
      [
        '',
        `${requests} requests per scenario and side in ${rounds} rounds (alternating baseline, platform), ${concurrency} at a time, after a warm-up;`,
        'p50/p95/p99 over every request of the rounds (nearest rank), req/s the median of the rounds.',
        'baseline = a bare node:http server running the same SQL statements as the platform for its data (the',
        "modules' query functions: the list, the fuzzy retry, GTINs and producer names) and answering the platform's",
        'bytes; what it leaves out is what the platform adds (routing, validation, the API-token lookup, presenting',
        'and serialising). ratio = platform req/s ÷ baseline req/s; p95 × = platform p95 ÷ baseline p95.',
        `callers: office-96 = an API token of the province office of Cà Mau; admin = an administrator's token.`,
        'data set:',
        ...notes.map((n) => `  ${n}`),
      ].join('\n'),
    );
  }
}
if (groups.includes('epcis')) {
  const requests = Number(values.requests);
  const batch = Number(values.batch);
  const { capture, query, notes } = await runEpcisBench({
    rounds,
    only,
    batch,
    events: Number(values.events),
    pgliteLoadBudget: Number(values['pglite-load-budget']),
    requests,
  });
  if (capture.length > 0 || query.length > 0) {
    console.log(
      `${groups.some((g) => g !== 'epcis') ? '\n' : ''}## epcis (in-process: the services, no HTTP)\n`,
    );
    if (capture.length > 0) {
      printTable(EPCIS_CAPTURE_HEADER, capture);
      console.log(
        [
          '',
          `Capture: a document of ${batch} ObjectEvents (2 SGTINs each, bizStep, disposition, readPoint, bizLocation,`,
          'eventTime at +07:00, a purchase order; the GTINs of 8 registered producers) from an administrator,',
          `${rounds} rounds of ${DOCUMENTS_PER_ROUND} documents per side, alternating baseline and platform, after a warm-up;`,
          `times are medians over the ${rounds * DOCUMENTS_PER_ROUND} documents.`,
          'capture = readCaptureDocument (validation, canonical identifiers, event hash) + capture(…, rollback)',
          '(ownership, capture job, duplicate check, hash chain, inserts) on an object already parsed; validate =',
          'readCaptureDocument alone; store = capture() alone. baseline = the same rows (events, event keys,',
          'identifiers, ready beforehand) as one multi-row INSERT per chunk into the same tables, in one transaction.',
          'ratio = capture ev/s ÷ baseline ev/s (the issue asks ≥ 0.5×); store ratio = store ev/s ÷ baseline ev/s.',
        ].join('\n'),
      );
    }
    if (query.length > 0) {
      console.log('');
      printTable(EPCIS_QUERY_HEADER, query);
      console.log(
        [
          '',
          `MATCH_epc: query.events(admin, { MATCH_epc: <EPC URN> }, Always_GS1_Digital_Link) for random EPCs, ${requests}`,
          'per scenario and side in rounds alternating baseline and platform, one at a time, after a warm-up;',
          'p50/p95/p99 over every query (nearest rank). baseline = one raw SQL statement on the same database:',
          "event_identifier (identifier = $1, role = 'epc') joined to event, ordered by eventTime, 31 rows.",
          'p95 × = platform p95 ÷ baseline p95. Stored events (set-based SQL straight into the tables):',
          ...notes.map((n) => `  ${n}`),
        ].join('\n'),
      );
    }
  }
}
if (groups.includes('trace')) {
  const traceDuration = Number(values.duration ?? 1);
  const { rows, notes } = await runTraceBench({
    duration: traceDuration,
    rounds,
    connections,
    lots: Number(values.lots),
    only,
  });
  if (rows.length > 0) {
    console.log(`${groups.some((g) => g !== 'trace') ? '\n' : ''}## trace\n`);
    printTable(TRACE_HEADER, rows);
    console.log(
      [
        '',
        `${rounds} rounds of ${traceDuration} s per side, alternating bare and platform, after a warm-up of each (0.5 s, 1 s); ${connections}`,
        'connections (autocannon, keep-alive); req/s = median of the rounds; p50/p95/p99 over every answer of the',
        "rounds (nearest rank). bare = a node:http server sending the platform's captured answer to the same request",
        '(status, every header but date/connection, body). ratio = platform req/s ÷ bare req/s. CPU/req = CPU time',
        "(user + system, /proc) of the server's process over the rounds ÷ answers: steadier than req/s when the",
        "machine is shared; the platform's includes its background work (scan writes; PGlite's queries). Requests as a phone",
        'browser sends them after a scan (Accept text/html, Accept-Language vi, a mobile User-Agent); "all lots":',
        'spread over every lot (each connection starting at another one), "hot lot": one lot; gzip/br: with',
        'Accept-Encoding: gzip, deflate, br. target (the issue, for the trace page): PostgreSQL ≥ 0.5× with p99 < 20 ms,',
        'PGlite ≥ 0.3×; the resolver rows are held to the same bar. Data:',
        ...notes.map((n) => `  ${n}`),
      ].join('\n'),
    );
  }
}
console.error(`bench: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
