/**
 * The "registry" bench group: the real platform on the national data set (bench/registry-data.ts:
 * 15,000 producers, 20,000 products, 34 provinces) answering searches and lists, against the
 * baseline of bench/registry-baseline.ts (the same SQL statements behind a bare node:http server
 * that answers the platform's bytes). Each scenario: a warm-up, then rounds alternating baseline
 * and platform, each round a fixed number of requests at a fixed concurrency, every latency kept.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ListScope } from '../src/modules/producers/policy.ts';
import { type DatabaseTarget, openDatabase } from '../src/platform/db/database.ts';
import { fixedLoad, type LoadResult, percentile } from './load.ts';
import type { BaselineConfig } from './registry-baseline.ts';
import { BENCH_PROVINCE, type BuildResult, prepareRegistryDatabase } from './registry-data.ts';
import {
  median,
  postgresUrl,
  startPlatform,
  startProcess,
  stopProcess,
  withCleanup,
  withPostgresDatabase,
} from './support.ts';

type Caller = 'public' | 'office' | 'admin';

interface RegistryScenario {
  name: string;
  path: string;
  as: Caller;
  /** Measure page N of the list, reached by following nextCursor N − 1 times. */
  page?: number;
}

const office = `office-${BENCH_PROVINCE}`;
/** Later issues add their registry scenarios here. */
export const REGISTRY_SCENARIOS: RegistryScenario[] = [
  ...(['office', 'public'] as const).flatMap((as) => [
    {
      name: `products?q=kho ca boi (${as === 'office' ? office : as})`,
      path: '/api/v1/products?q=kho%20ca%20boi',
      as,
    },
    {
      name: `products?q=muoi bac lieu (${as === 'office' ? office : as})`,
      path: '/api/v1/products?q=muoi%20bac%20lieu',
      as,
    },
    {
      name: `products?q=mat ong rung u minhh, fuzzy (${as === 'office' ? office : as})`,
      path: '/api/v1/products?q=mat%20ong%20rung%20u%20minhh',
      as,
    },
  ]),
  { name: `producers?q=hop tac xa (${office})`, path: '/api/v1/producers?q=hop%20tac%20xa', as: 'office' },
  { name: `products?limit=50 (${office})`, path: '/api/v1/products?limit=50', as: 'office' },
  { name: 'products?limit=50 (public)', path: '/api/v1/products?limit=50', as: 'public' },
  {
    name: 'products?provinceCode=96&productSet=8 (public)',
    path: '/api/v1/products?provinceCode=96&productSet=8&limit=50',
    as: 'public',
  },
  { name: `producers?limit=50 (${office})`, path: '/api/v1/producers?limit=50', as: 'office' },
  { name: 'products page 20 (public)', path: '/api/v1/products?limit=50', as: 'public', page: 20 },
  { name: 'producers page 20 (admin)', path: '/api/v1/producers?limit=50', as: 'admin', page: 20 },
];

export interface RegistryOptions {
  /** Requests per scenario and side (platform, baseline), split over the rounds. */
  requests: number;
  concurrency: number;
  rounds: number;
  only?: string[] | undefined;
  /** Run after the data set is written (e.g. an index to try). */
  extraSql?: string | undefined;
  /** false: no VACUUM ANALYZE after the bulk load (PGlite as imports leave it: it has no autovacuum). */
  settle?: boolean;
}

export const REGISTRY_HEADER = [
  'engine',
  'scenario',
  'rows',
  'body',
  'req/s',
  'p50',
  'p95',
  'p99',
  'base req/s',
  'base p95',
  'ratio',
  'p95 ×',
  'errors',
];

const ms = (x: number) =>
  Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);

interface Summary {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function summarise(runs: LoadResult[]): Summary {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    rps: median(runs.map((r) => r.latencies.length / r.seconds)),
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

interface EngineSetup {
  label: string;
  /** The platform's environment. */
  env: NodeJS.ProcessEnv;
  /** Where the baseline reads the same data. */
  baseline: DatabaseTarget;
  tokens: { admin: string; office: string };
}

async function benchEngine(setup: EngineSetup, scenarios: RegistryScenario[], options: RegistryOptions) {
  const { label } = setup;
  const headersOf = (as: Caller): Record<string, string> =>
    as === 'public' ? {} : { authorization: `Bearer ${setup.tokens[as]}` };
  let platform: { child: ChildProcess; url: string } | undefined;
  let baseline: { child: ChildProcess; url: string } | undefined;
  const fixtureFile = path.join(os.tmpdir(), `ocop-bench-registry-${process.pid}.json`);
  const rows: string[][] = [];
  try {
    const started = performance.now();
    platform = await startPlatform(setup.env);
    console.error(`  ${label}: platform ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Resolve deep pages, capture the platform's answers (the baseline sends the same bytes)
    const resolved: (RegistryScenario & { url: string; items: string[]; bytes: number })[] = [];
    const fixtures: BaselineConfig['fixtures'] = {};
    for (const scenario of scenarios) {
      let url = scenario.path;
      for (let page = 1; page < (scenario.page ?? 1); page++) {
        const res = await fetch(`${platform.url}${url}`, { headers: headersOf(scenario.as) });
        const body = (await res.json()) as { nextCursor: string | null };
        if (!body.nextCursor) throw new Error(`${scenario.name}: no page ${page + 1}`);
        url = `${scenario.path}&cursor=${body.nextCursor}`;
      }
      const res = await fetch(`${platform.url}${url}`, { headers: headersOf(scenario.as) });
      const bytes = Buffer.from(await res.arrayBuffer());
      if (!res.ok) throw new Error(`${scenario.name}: ${url} answered ${res.status} ${bytes.toString()}`);
      const items = (JSON.parse(bytes.toString()) as { items: { id: string }[] }).items.map((i) => i.id);
      if (items.length === 0) throw new Error(`${scenario.name}: no rows; the data set should have some`);
      fixtures[url] = {
        type: res.headers.get('content-type') ?? 'application/json',
        body: bytes.toString('base64'),
      };
      resolved.push({ ...scenario, url, items, bytes: bytes.length });
    }
    const scopes: Record<string, ListScope> = {
      [setup.tokens.admin]: { kind: 'all' },
      [setup.tokens.office]: { kind: 'province', code: BENCH_PROVINCE },
    };
    fs.writeFileSync(
      fixtureFile,
      JSON.stringify({ target: setup.baseline, scopes, fixtures } satisfies BaselineConfig),
    );
    baseline = await startProcess(
      ['bench/registry-baseline.ts', fixtureFile],
      process.env,
      /listening (http:\/\/127\.0\.0\.1:\d+)/,
    );
    // the baseline must find the very rows the platform answered
    for (const s of resolved) {
      const res = await fetch(`${baseline.url}${s.url}`, {
        headers: { ...headersOf(s.as), 'x-bench-check': '1' },
      });
      const ids = (await res.json()) as string[];
      if (ids.join() !== s.items.join()) throw new Error(`${s.name}: the baseline found other rows`);
    }

    const perRound = Math.max(1, Math.round(options.requests / options.rounds));
    const warmUp = Math.max(options.concurrency, Math.round(perRound / 4));
    for (const s of resolved) {
      const headers = headersOf(s.as);
      await fixedLoad(`${baseline.url}${s.url}`, headers, warmUp, options.concurrency);
      await fixedLoad(`${platform.url}${s.url}`, headers, warmUp, options.concurrency);
      const runs = { platform: [] as LoadResult[], baseline: [] as LoadResult[] };
      for (let round = 0; round < options.rounds; round++) {
        runs.baseline.push(
          await fixedLoad(`${baseline.url}${s.url}`, headers, perRound, options.concurrency),
        );
        runs.platform.push(
          await fixedLoad(`${platform.url}${s.url}`, headers, perRound, options.concurrency),
        );
      }
      for (const [who, proc] of [
        ['platform', platform],
        ['baseline', baseline],
      ] as const) {
        const { exitCode, signalCode } = proc.child;
        if (exitCode !== null || signalCode !== null)
          throw new Error(`the ${who} exited (${exitCode ?? signalCode}) during ${label} ${s.name}`);
      }
      const p = summarise(runs.platform);
      const b = summarise(runs.baseline);
      rows.push([
        label,
        s.name,
        String(s.items.length),
        `${(s.bytes / 1024).toFixed(1)} KB`,
        p.rps.toFixed(0),
        `${ms(p.p50)} ms`,
        `${ms(p.p95)} ms`,
        `${ms(p.p99)} ms`,
        b.rps.toFixed(0),
        `${ms(b.p95)} ms`,
        `${(p.rps / b.rps).toFixed(2)}×`,
        `${(p.p95 / b.p95).toFixed(2)}×`,
        String(p.errors + b.errors),
      ]);
      console.error(
        `  ${label} ${s.name}: ${p.rps.toFixed(0)} req/s, p95 ${ms(p.p95)} ms vs ${b.rps.toFixed(0)}, ${ms(b.p95)} ms`,
      );
    }
  } finally {
    if (baseline) await stopProcess(baseline.child);
    if (platform) await stopProcess(platform.child);
    fs.rmSync(fixtureFile, { force: true });
  }
  return rows;
}

const seconds = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;

function describeBuild(
  label: string,
  build: BuildResult & { migrateAndSeedMs: number; copyMs?: number },
): string {
  const t = build.timings;
  return (
    `${label}: ${build.producers} producers, ${build.products} products (${build.recognised} recognised), ` +
    `${build.gtins} GTINs in ${seconds(t.total)} (generate ${seconds(t.generate)}, insert ${seconds(t.insert)}, ` +
    `vacuum analyze ${seconds(t.analyze)}); migrate + seed before it ${seconds(build.migrateAndSeedMs)}` +
    (build.copyMs !== undefined ? `; copy for the baseline ${seconds(build.copyMs)}` : '')
  );
}

/** Runs the group on PGlite and, when a URL is given, on PostgreSQL. Returns rows and notes. */
export async function runRegistryBench(
  options: RegistryOptions,
): Promise<{ rows: string[][]; notes: string[] }> {
  const scenarios = options.only
    ? REGISTRY_SCENARIOS.filter((s) => options.only!.some((o) => s.name.includes(o)))
    : REGISTRY_SCENARIOS;
  const rows: string[][] = [];
  const notes: string[] = [];
  if (scenarios.length === 0) return { rows, notes };
  console.error(
    `bench registry: ${scenarios.length} scenarios × ${options.rounds} rounds × ${Math.round(options.requests / options.rounds)} requests, concurrency ${options.concurrency}`,
  );

  if (options.settle === false) notes.push('no VACUUM ANALYZE after the bulk load (--no-vacuum)');
  if (options.extraSql)
    notes.push(`extra SQL run on the data set before VACUUM ANALYZE: ${options.extraSql}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-registry-'));
  await withCleanup(
    () => fs.rmSync(root, { recursive: true, force: true }),
    async () => {
      const dataDir = path.join(root, 'platform');
      const baselineDir = path.join(root, 'baseline');
      const database = await openDatabase({ engine: 'pglite', dataDir });
      let prepared: Awaited<ReturnType<typeof prepareRegistryDatabase>>;
      try {
        prepared = await prepareRegistryDatabase(database, {
          extraSql: options.extraSql,
          settle: options.settle !== false,
        });
      } finally {
        await database.close();
      }
      const copyStart = performance.now();
      fs.cpSync(path.join(dataDir, 'pglite'), path.join(baselineDir, 'pglite'), { recursive: true });
      const build = {
        ...prepared.build,
        migrateAndSeedMs: prepared.migrateAndSeedMs,
        copyMs: Math.round(performance.now() - copyStart),
      };
      notes.push(describeBuild('pglite', build));
      console.error(`  ${notes.at(-1)}`);
      const env: NodeJS.ProcessEnv = { ...process.env, OCOP_DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      rows.push(
        ...(await benchEngine(
          {
            label: 'pglite',
            env,
            baseline: { engine: 'pglite', dataDir: baselineDir },
            tokens: prepared.tokens,
          },
          scenarios,
          options,
        )),
      );
    },
  );

  const pgUrl = postgresUrl();
  if (pgUrl) {
    await withPostgresDatabase(pgUrl, `ocop_bench_registry_${process.pid}`, async (url) => {
      const database = await openDatabase({ engine: 'postgres', url, poolSize: 2 });
      let prepared: Awaited<ReturnType<typeof prepareRegistryDatabase>>;
      try {
        prepared = await prepareRegistryDatabase(database, {
          extraSql: options.extraSql,
          settle: options.settle !== false,
        });
      } finally {
        await database.close();
      }
      const build = { ...prepared.build, migrateAndSeedMs: prepared.migrateAndSeedMs };
      notes.push(describeBuild('postgres', build));
      console.error(`  ${notes.at(-1)}`);
      rows.push(
        ...(await benchEngine(
          {
            label: 'postgres',
            env: { ...process.env, DATABASE_URL: url },
            baseline: { engine: 'postgres', url, poolSize: 10 },
            tokens: prepared.tokens,
          },
          scenarios,
          options,
        )),
      );
    });
  } else {
    console.error('bench registry: PostgreSQL skipped (set DATABASE_URL or TEST_DATABASE_URL to include it)');
  }
  return { rows, notes };
}
