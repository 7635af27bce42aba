/**
 * `npm run bench`: the platform against a bare node:http server returning the same bytes, loaded
 * side by side (alternating rounds) with autocannon; prints req/s, p99 and the ratio to the
 * baseline per scenario, on PGlite and, when DATABASE_URL or TEST_DATABASE_URL is set, on
 * PostgreSQL. Options: --duration=S (per round, default 5) --rounds=N (default 3)
 * --connections=C (default 32) --only=name,name.
 * Each server runs in its own process; the load generator runs in this one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { projectRoot } from '../src/platform/paths.ts';

interface Scenario {
  name: string;
  path: string;
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
];

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string' },
  },
});
const duration = Number(values.duration);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const scenarios = values.only ? SCENARIOS.filter((s) => values.only!.split(',').includes(s.name)) : SCENARIOS;

function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: projectRoot, env });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startPlatform(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the platform exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { child, url };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the platform did not become ready within 120 s');
}

async function load(url: string, scenario: Scenario): Promise<{ rps: number; p99: number; errors: number }> {
  const result = await autocannon({
    url: `${url}${scenario.path}`,
    headers: scenario.headers ?? {},
    connections,
    duration,
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function benchEngine(label: string, env: NodeJS.ProcessEnv) {
  const platform = await startPlatform(env);
  // Capture the platform's exact bytes for the baseline.
  const fixtures: Record<string, { type: string; body: string }> = {};
  for (const scenario of scenarios) {
    const res = await fetch(`${platform.url}${scenario.path}`, { headers: scenario.headers });
    if (!res.ok) throw new Error(`${scenario.path} answered ${res.status}`);
    fixtures[scenario.path] = {
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
      await load(platform.url, { ...scenario }); // warm-up, not counted
      const runs = {
        platform: [] as { rps: number; p99: number; errors: number }[],
        bare: [] as { rps: number; p99: number; errors: number }[],
      };
      for (let round = 0; round < rounds; round++) {
        runs.bare.push(await load(bare.url, scenario));
        runs.platform.push(await load(platform.url, scenario));
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
        `${(Buffer.from(fixtures[scenario.path]!.body, 'base64').length / 1024).toFixed(1)} KB`,
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
const all: string[][] = [];
console.error(
  `bench: ${scenarios.length} scenarios × ${rounds} rounds × ${duration} s, ${connections} connections, node ${process.version}`,
);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-data-'));
try {
  const env: NodeJS.ProcessEnv = { ...process.env, OCOP_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  all.push(...(await benchEngine('pglite', env)));
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const pgUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
if (pgUrl) {
  const name = `ocop_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    all.push(...(await benchEngine('postgres', { ...process.env, DATABASE_URL: url.toString() })));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
} else {
  console.error('bench: PostgreSQL skipped (set DATABASE_URL or TEST_DATABASE_URL to include it)');
}

const widths = header.map((h, i) => Math.max(h.length, ...all.map((row) => row[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of all) console.log(line(row));
console.log('\nratio = platform req/s ÷ bare node:http req/s serving the same bytes (medians, same run).');
for (const s of scenarios) console.log(`${s.name}: ${s.path} (${s.note})`);
