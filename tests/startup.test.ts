/**
 * The platform as an operator runs it: a real process started the way `npm start` starts it,
 * on PGlite in a data directory and on PostgreSQL, stopped by SIGTERM.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { projectRoot } from '../src/platform/paths.ts';
import { databaseUrl, dropPostgresDatabase, postgresUrl } from './support/db.ts';
import { CLI, cleanEnv, MAIN, run, start, stop } from './support/process.ts';

test('a bad setting stops the start with the variable named and exit code 78', () => {
  const result = run(MAIN, [], { ...cleanEnv(), PORT: 'eighty' });
  assert.equal(result.status, 78);
  assert.match(result.stderr, /^ocop: PORT must be a whole number from 0 to 65535, got "eighty"/);
});

test('a database that cannot be reached: one clear line and exit code 69, no stack trace', () => {
  const result = run(MAIN, [], { ...cleanEnv(), DATABASE_URL: 'postgres://ocop@127.0.0.1:9/ocop' });
  assert.equal(result.status, 69);
  assert.match(
    result.stderr,
    /ocop: Cannot reach PostgreSQL at postgres:\/\/ocop@127\.0\.0\.1:9\/ocop: connect ECONNREFUSED/,
  );
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('the CLI lists its commands, explains each, and refuses unknown ones', () => {
  const help = run(CLI, ['--help'], cleanEnv());
  assert.equal(help.status, 0);
  for (const command of ['serve', 'migrate', 'seed'])
    assert.match(help.stdout, new RegExp(`\\n  ${command}\\s`));
  const migrateHelp = run(CLI, ['migrate', '--help'], cleanEnv());
  assert.match(migrateHelp.stdout, /Usage: ocop migrate \[--status\]/);
  const unknown = run(CLI, ['frobnicate'], cleanEnv());
  assert.equal(unknown.status, 64);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const badFlag = run(CLI, ['migrate', '--nope'], cleanEnv());
  assert.equal(badFlag.status, 64);
});

test('a port already in use: one clear line naming PORT, exit code 69', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = String((blocker.address() as net.AddressInfo).port);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-port-'));
  try {
    const result = run(MAIN, [], { ...cleanEnv(), OCOP_DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1' });
    assert.equal(result.status, 69, result.stderr);
    assert.match(result.stderr, new RegExp(`ocop: Port ${port} is already in use .*set PORT`));
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  } finally {
    blocker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('npm start on PGlite: creates the data dir, serves, stops cleanly on SIGTERM, keeps the data', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-data-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...cleanEnv(), OCOP_DATA_DIR: dataDir };

  const first = await start(env);
  const home = await fetch(first.url, { headers: { accept: 'text/html' } });
  assert.equal(home.status, 200);
  assert.match(await home.text(), /<html lang="vi">/);
  assert.equal((await fetch(`${first.url}/readyz`)).status, 200);
  assert.ok(fs.existsSync(path.join(dataDir, 'pglite.lock')));
  assert.equal(await stop(first.child), 0);
  assert.match(first.output(), /shutting down/);
  assert.ok(!fs.existsSync(path.join(dataDir, 'pglite.lock')), 'the lock is released');

  // users and tokens from the shell
  const add = run(
    CLI,
    [
      'user',
      'add',
      '--email',
      'vp@camau.gov.vn',
      '--password',
      'mat-khau-dai-du',
      '--role',
      'province_office',
      '--scope',
      '96',
    ],
    env,
  );
  assert.equal(add.status, 0, add.stderr);
  assert.match(add.stdout, /Created province_office vp@camau\.gov\.vn for 96/);
  const badRole = run(
    CLI,
    ['user', 'add', '--email', 'x@y.vn', '--password', 'mat-khau-dai-du', '--role', 'king'],
    env,
  );
  assert.equal(badRole.status, 64);
  const token = run(CLI, ['token', 'create', '--email', 'vp@camau.gov.vn', '--name', 'đồng bộ'], env);
  assert.equal(token.status, 0, token.stderr);
  const lastLine = token.stdout.trim().split('\n').at(-1)!;
  assert.match(lastLine, /^ocop_[A-Za-z0-9_-]{43}$/);

  // a new criteria version is published once; the same name again is refused
  const bundleFile = path.join(dataDir, 'tieu-chi.json');
  const form = JSON.parse(fs.readFileSync(path.join(projectRoot, 'data/criteria/26-2026/08.json'), 'utf8'));
  fs.writeFileSync(
    bundleFile,
    JSON.stringify({ slug: '26-2026-cli', title: '26/2026/QĐ-TTg', sets: [form] }),
  );
  const published = run(CLI, ['criteria', 'import', bundleFile], env);
  assert.equal(published.status, 0, published.stderr);
  assert.match(published.stdout, /26-2026-cli .* published: 1 sets/);
  const republished = run(CLI, ['criteria', 'import', bundleFile], env);
  assert.equal(republished.status, 64);
  assert.match(republished.stderr, /criteria_version_exists/);

  const status = run(CLI, ['migrate', '--status'], env);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /applied {2}0001_extensions\.sql/);
  assert.doesNotMatch(status.stdout, /pending/);

  const second = await start(env);
  assert.doesNotMatch(second.output(), /creating the embedded database/);
  assert.doesNotMatch(
    second.output(),
    /administrative units loaded/,
    'the seed is skipped when nothing changed',
  );
  const me = await fetch(`${second.url}/api/v1/auth/me`, {
    headers: { authorization: `Bearer ${lastLine}` },
  });
  assert.equal(((await me.json()) as { email: string }).email, 'vp@camau.gov.vn', 'the CLI token works');
  assert.match(first.output(), /no administrator existed: created one/);
  assert.doesNotMatch(second.output(), /no administrator existed/, 'the bootstrap runs once');
  const units = await fetch(`${second.url}/api/v1/admin-units?level=province`);
  assert.equal(((await units.json()) as { total: number }).total, 34);
  assert.equal(await stop(second.child, 'SIGINT'), 0);

  // Backup, then restore into an empty data directory; restoring over a database is refused.
  const file = path.join(dataDir, 'backup.tar.gz');
  const backup = run(CLI, ['backup', '--out', file], env);
  assert.equal(backup.status, 0, backup.stderr);
  const restoredDir = path.join(dataDir, 'restored');
  const restore = run(CLI, ['restore', '--from', file], { ...env, OCOP_DATA_DIR: restoredDir });
  assert.equal(restore.status, 0, restore.stderr);
  const restoredStatus = run(CLI, ['migrate', '--status'], { ...env, OCOP_DATA_DIR: restoredDir });
  assert.match(restoredStatus.stdout, /applied {2}0002_admin_units\.sql/);
  const again = run(CLI, ['restore', '--from', file], { ...env, OCOP_DATA_DIR: restoredDir });
  assert.equal(again.status, 64);
  assert.match(again.stderr, /already holds a database/);
});

test('npm start on PostgreSQL with DATABASE_URL', async (t) => {
  const base = postgresUrl();
  if (!base) {
    t.skip('needs PostgreSQL (TEST_DATABASE_URL or DATABASE_URL)');
    return;
  }
  const name = `ocop_start_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  after(() => dropPostgresDatabase(name));

  const server = await start({ ...cleanEnv(), DATABASE_URL: databaseUrl(base, name) });
  try {
    assert.match(server.output(), /"engine":"postgres"/);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    const units = await fetch(`${server.url}/api/v1/admin-units?level=commune&parent=96`);
    assert.equal(((await units.json()) as { total: number }).total, 64);
  } finally {
    assert.equal(await stop(server.child), 0);
  }
});
