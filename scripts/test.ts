/**
 * `npm test`: every test that can run here, with node's test runner.
 *  - unit tests (src/**, scripts/**), integration tests on PGlite and, when TEST_DATABASE_URL or
 *    DATABASE_URL is set, on PostgreSQL; browser journeys (tests/e2e) in Debian's Chromium.
 *  - builds the migrated database templates once, hands them to the test processes, removes them.
 *  - with CI=true a missing PostgreSQL or Chromium fails the run instead of being skipped.
 * Arguments narrow the run to files containing them: `npm test -- admin-units`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../src/platform/paths.ts';
import { CHROMIUM_ENV, findChromium } from '../tests/support/browser.ts';
import {
  buildPgliteTemplate,
  buildPostgresTemplate,
  dropPostgresDatabase,
  PG_TEMPLATE_ENV,
  PGLITE_BLANK_ENV,
  PGLITE_TEMPLATE_ENV,
  postgresUrl,
} from '../tests/support/db.ts';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const filters = process.argv.slice(2);

function fail(message: string): never {
  console.error(`npm test: ${message}`);
  process.exit(1);
}

function collect(dir: string, out: string[] = []): string[] {
  const full = path.join(projectRoot, dir);
  if (!fs.existsSync(full)) return out;
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) collect(rel, out);
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(rel);
  }
  return out;
}

const files = ['src', 'scripts', 'tests']
  .flatMap((dir) => collect(dir))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) fail(`no test file matches ${filters.join(' ')}`);

// PostgreSQL: required under CI, used whenever a URL is given.
const pgUrl = postgresUrl();
if (!pgUrl && ci)
  fail('CI=true but neither TEST_DATABASE_URL nor DATABASE_URL is set: PostgreSQL tests cannot run');
if (pgUrl) {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    fail(`cannot reach PostgreSQL at the test database URL: ${(error as Error).message}`);
  }
}

// Chromium for the browser journeys.
const chromium = findChromium();
if (!chromium && ci)
  fail('CI=true but Chromium was not found (apt-get install chromium, or set CHROMIUM_PATH)');
if (!chromium)
  console.warn('npm test: Chromium not found: browser journeys will be skipped (apt-get install chromium)');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-test-'));
let pgTemplate: string | undefined;
const cleanup = async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (pgTemplate) await dropPostgresDatabase(pgTemplate).catch(() => {});
};

let code = 1;
try {
  const started = Date.now();
  const templates = await buildPgliteTemplate();
  const migratedFile = path.join(tmp, 'pglite-migrated.tar.gz');
  const blankFile = path.join(tmp, 'pglite-blank.tar.gz');
  fs.writeFileSync(migratedFile, Buffer.from(await templates.migrated.arrayBuffer()));
  fs.writeFileSync(blankFile, Buffer.from(await templates.blank.arrayBuffer()));
  if (pgUrl) pgTemplate = await buildPostgresTemplate();
  console.log(
    `npm test: ${files.length} files; engines: PGlite${pgUrl ? ' + PostgreSQL' : ''}; browser: ${chromium ?? 'none'}; templates ready in ${Date.now() - started} ms`,
  );

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${Math.max(2, os.availableParallelism())}`, ...files],
    {
      cwd: projectRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        [PGLITE_TEMPLATE_ENV]: migratedFile,
        [PGLITE_BLANK_ENV]: blankFile,
        ...(pgTemplate ? { [PG_TEMPLATE_ENV]: pgTemplate } : {}),
        ...(chromium ? { [CHROMIUM_ENV]: chromium } : { [CHROMIUM_ENV]: '' }),
      },
    },
  );
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  code = await new Promise<number>((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
} finally {
  await cleanup();
}
process.exit(code);
