/**
 * EPCIS capture survives a crash: the platform process captures documents through the REST API,
 * is killed with SIGKILL while a capture is in flight, and restarts. Every document that was
 * acknowledged (202) is stored whole; the one in flight is stored whole or not at all — never half.
 * On PGlite in a data directory, and on PostgreSQL when a database is given.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { databaseUrl, dropPostgresDatabase, postgresUrl } from './support/db.ts';
import { CLI, cleanEnv, run, start, stop } from './support/process.ts';

const PER_DOCUMENT = 400;

/** A document of ObjectEvents, all at one read point that names the document. */
function document(name: string) {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      eventList: Array.from({ length: PER_DOCUMENT }, (_v, i) => ({
        type: 'ObjectEvent',
        eventID: `urn:uuid:${randomUUID()}`,
        eventTime: new Date(Date.UTC(2026, 10, 1, 8, 0, i)).toISOString(),
        eventTimeZoneOffset: '+07:00',
        action: 'OBSERVE',
        bizStep: 'shipping',
        epcList: [`urn:epc:id:sgtin:8930000.012345.${name}-${i}`],
        readPoint: { id: `urn:example:ocop:crash:${name}` },
      })),
    },
  };
}

async function storedOf(url: string, token: string, name: string): Promise<number> {
  let count = 0;
  let next: string | null =
    `${url}/epcis/events?EQ_readPoint=${encodeURIComponent(`urn:example:ocop:crash:${name}`)}&perPage=1000`;
  while (next) {
    const response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as {
      epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } };
    };
    count += body.epcisBody.queryResults.resultsBody.eventList.length;
    const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    next = link ? new URL(link, url).toString() : null;
  }
  return count;
}

async function crashAndRecover(env: NodeJS.ProcessEnv) {
  const email = `crash-${randomUUID().slice(0, 8)}@ocop.vn`;
  const add = run(
    CLI,
    ['user', 'add', '--email', email, '--password', 'mat-khau-dai-du', '--role', 'admin'],
    env,
  );
  assert.equal(add.status, 0, add.stderr);
  const tokenRun = run(CLI, ['token', 'create', '--email', email, '--name', 'crash test'], env);
  assert.equal(tokenRun.status, 0, tokenRun.stderr);
  const token = tokenRun.stdout.trim().split('\n').at(-1)!.trim();

  const first = await start(env);
  const acknowledged: string[] = [];
  const capture = (name: string) =>
    fetch(`${first.url}/epcis/capture`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/ld+json' },
      body: JSON.stringify(document(name)),
    });
  for (const name of ['a', 'b', 'c']) {
    const response = await capture(name);
    assert.equal(response.status, 202, await response.text());
    acknowledged.push(name);
  }
  // one more capture, and the process killed while it runs
  const inFlight = capture('d').then(
    (r) => r.status,
    () => 'cut',
  );
  await new Promise((resolve) => setTimeout(resolve, 150));
  await stop(first.child, 'SIGKILL');
  const outcome = await inFlight;

  const second = await start(env);
  try {
    for (const name of acknowledged)
      assert.equal(await storedOf(second.url, token, name), PER_DOCUMENT, name);
    const d = await storedOf(second.url, token, 'd');
    assert.ok(d === 0 || d === PER_DOCUMENT, `the document in flight is whole or absent, not ${d} events`);
    if (outcome === 202) assert.equal(d, PER_DOCUMENT, 'acknowledged, so stored');
    // and the chain it extended is intact
    const integrity = await fetch(`${second.url}/epcis/integrity`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(integrity.status, 200);
    assert.equal(((await integrity.json()) as { intact: boolean }).intact, true);
  } finally {
    await stop(second.child);
  }
}

test('SIGKILL during an EPCIS capture on PGlite: acknowledged documents stored whole, none half', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-crash-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  await crashAndRecover({ ...cleanEnv(), OCOP_DATA_DIR: dataDir });
});

test('SIGKILL during an EPCIS capture on PostgreSQL', async (t) => {
  const base = postgresUrl();
  if (!base) {
    t.skip('needs PostgreSQL (TEST_DATABASE_URL or DATABASE_URL)');
    return;
  }
  const name = `ocop_crash_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  after(() => dropPostgresDatabase(name));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-crash-pg-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  await crashAndRecover({ ...cleanEnv(), OCOP_DATA_DIR: dataDir, DATABASE_URL: databaseUrl(base, name) });
});
