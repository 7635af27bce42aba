/**
 * The EPCIS 2.0 JSON examples of GS1 and OpenEPCIS kept in ../shared/standards/epcis (read at test
 * time, never copied into the project; skipped when the folder is absent), through the REST API on
 * both engines, as an administrator on a fresh platform:
 *  - every valid capture document is captured (POST /epcis/capture), every single event posted
 *    (POST /epcis/events), and each event read back (GET /epcis/events/{eventID}, GS1-EPC-Format:
 *    Never_Translates) equal to what was sent: same fields and values, plus the eventID (its CBV
 *    event hash ID when it had none) and the recordTime the server adds, and the @context it was
 *    captured under. Examples share events (the same event in full and simple context, or in both
 *    collections): a document holding a stored eventID is refused whole under `rollback`, and under
 *    `proceed` stores the rest;
 *  - query result documents are not captures (refused), but their events are, wrapped in a document;
 *  - every file under an Invalid/ folder is refused (4xx, an EPCIS exception) with nothing stored;
 *  - the query definitions run as GET /epcis/events (the invalid one refused).
 * Per folder, how many pass of how many is written as a test diagnostic.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { SYSTEM } from '../../../tests/support/dossiers.ts';
import { projectRoot } from '../../platform/paths.ts';
import { readCaptureDocument, readSingleEvent } from './epcis/index.ts';

after(dropOwnTemplates);

const EXAMPLES = path.join(projectRoot, '..', 'shared', 'standards', 'epcis', 'examples');
const skip = fs.existsSync(EXAMPLES) ? false : `${EXAMPLES} is not here`;

const HASH_ID = /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/;
const EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
];

/**
 * The folders of valid examples, in the order they are captured (later ones meet events of earlier
 * ones again); their Invalid/ subfolders are left to the folders of invalid examples.
 */
const VALID_FOLDERS = [
  'gs1-epcis/JSON',
  'gs1-epcis/JSON-simple-context',
  'openepcis-test-resources/JSON/Capture/Documents',
  'openepcis-test-resources/JSON/Capture/Events',
  'openepcis-test-resources/JSON/Query',
];
const INVALID_FOLDERS = [
  'openepcis-test-resources/JSON/Capture/Invalid',
  'openepcis-test-resources/JSON/Query',
];

/**
 * Examples the platform refuses on purpose, with the reason: GS1's JSON schema refuses this one too
 * (ilmd with action OBSERVE; EPCIS 2.0 allows ilmd on an ObjectEvent only with ADD; the full-context
 * version of the same example has ADD).
 */
const REFUSED_ON_PURPOSE: Record<string, RegExp> = {
  'gs1-epcis/JSON-simple-context/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld':
    /ilmd is only allowed when action is ADD/,
  // query results, whose events (wrapped in a capture document) name a GRAI with a wrong check
  // digit: AI 8003 "0 3001345000771 8765", where the check digit of 300134500077 is 6
  'openepcis-test-resources/JSON/Query/Combination_of_different_event.json':
    /AI \(8003\): \\"3001345000771\\" has an incorrect check digit/,
};

/** SimpleEventQuery parameters of the REST bindings the repository does not implement (refused). */
const UNSUPPORTED_QUERY_PARAMETERS = ['GE_quantity', 'LT_quantity'];

type Json = Record<string, unknown>;

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(json|jsonld)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

const filesOf = (folder: string) =>
  walk(path.join(EXAMPLES, folder)).map((file) => ({
    rel: path.relative(EXAMPLES, file).split(path.sep).join('/'),
    body: JSON.parse(fs.readFileSync(file, 'utf8')) as Json,
  }));

const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * JSON values equal as JSON-LD reads them: a list of one may come back for a single value (the
 * repository stores list fields as lists). `lifted` counts the places where that happened.
 */
function sameValue(sent: unknown, got: unknown, lifted: { count: number }): boolean {
  if (Array.isArray(got) && !Array.isArray(sent) && got.length === 1) {
    if (sameValue(sent, got[0], lifted)) {
      lifted.count++;
      return true;
    }
    return false;
  }
  if (Array.isArray(sent) || Array.isArray(got)) {
    if (!Array.isArray(sent) || !Array.isArray(got) || sent.length !== got.length) return false;
    return sent.every((v, i) => sameValue(v, got[i], lifted));
  }
  if (sent && got && typeof sent === 'object' && typeof got === 'object') {
    const a = Object.keys(sent as Json).sort();
    const b = Object.keys(got as Json).sort();
    if (a.join('\n') !== b.join('\n')) return false;
    return a.every((k) => sameValue((sent as Json)[k], (got as Json)[k], lifted));
  }
  return Object.is(sent, got);
}

/** What differs between an event as sent and as read back (empty: nothing). */
function differences(
  sent: Json,
  got: Json,
  expect: { eventID: string; context: unknown[] | null },
  lifted: { count: number },
): string[] {
  const out: string[] = [];
  if (got.eventID !== expect.eventID) out.push(`eventID ${String(got.eventID)}, expected ${expect.eventID}`);
  if (typeof got.recordTime !== 'string' || Number.isNaN(Date.parse(got.recordTime)))
    out.push('no recordTime');
  if (expect.context) {
    const carried = asList(got['@context']);
    for (const entry of expect.context)
      if (!carried.some((c) => sameValue(entry, c, { count: 0 })))
        out.push(`@context lacks ${JSON.stringify(entry)}`);
  }
  for (const [key, value] of Object.entries(sent)) {
    if (key === '@context' || key === 'recordTime') continue;
    if (!(key in got)) out.push(`${key} missing`);
    else if (!sameValue(value, got[key], lifted))
      out.push(`${key}: sent ${JSON.stringify(value)}, got ${JSON.stringify(got[key])}`);
  }
  for (const key of Object.keys(got))
    if (!['@context', 'eventID', 'recordTime'].includes(key) && !(key in sent)) out.push(`${key} added`);
  return out;
}

interface Tally {
  files: number;
  passed: number;
  events: number;
  readBack: number;
  duplicates: number;
  lifted: { count: number };
  notes: string[];
  failures: string[];
}
const tally = (): Tally => ({
  files: 0,
  passed: 0,
  events: 0,
  readBack: 0,
  duplicates: 0,
  lifted: { count: 0 },
  notes: [],
  failures: [],
});

for (const engine of testEngines()) {
  describe(`EPCIS 2.0 examples through the REST API (${engine})`, { skip }, () => {
    let app: TestApp;
    let token = '';
    /** eventID → the example that stored it */
    const stored = new Map<string, string>();

    before(async () => {
      app = await startTestApp(engine);
      await app.identity.createUser(SYSTEM, null, {
        email: 'chuan@epcis.vn',
        name: 'Kiểm thử chuẩn',
        role: 'admin',
        scopeCode: null,
        producerId: null,
        password: 'mat-khau-thu-nghiem',
      });
      token = (await app.identity.createTokenFor(SYSTEM, 'chuan@epcis.vn', 'conformance')).token;
    });
    after(() => app?.close());

    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      app.server.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/ld+json', ...headers },
        payload: JSON.stringify(body),
      });
    const get = (url: string, headers: Record<string, string> = {}) =>
      app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });
    const readBack = (eventID: string) =>
      get(`/epcis/events/${encodeURIComponent(eventID)}`, { 'gs1-epc-format': 'Never_Translates' });

    async function counts() {
      const { rows } = await sql<Record<string, string>>`
        select (select count(*) from traceability.event) as events,
               (select count(*) from traceability.event_key) as keys,
               (select count(*) from traceability.event_identifier) as identifiers`.execute(app.database.db);
      return rows[0]!;
    }

    async function jobOf(response: { statusCode: number; headers: Json; body: string }) {
      if (response.statusCode !== 202)
        throw new Error(`${response.statusCode} ${response.body.slice(0, 300)}`);
      const job = await get(String(response.headers.location));
      return job.json() as { success: boolean; errors: { type: string; detail?: string }[] };
    }

    /** Reads one event back and compares it; a stored duplicate is compared without its @context. */
    async function check(
      t: Tally,
      rel: string,
      sent: Json,
      eventID: string,
      context: unknown[],
      duplicate: boolean,
    ): Promise<string[]> {
      const response = await readBack(eventID);
      if (response.statusCode !== 200) return [`${eventID}: GET ${response.statusCode}`];
      const got = response.json() as Json;
      const problems = differences(sent, got, { eventID, context: duplicate ? null : context }, t.lifted);
      if (problems.length > 0 && duplicate) {
        // the earlier example holds the same eventID for content written otherwise: noted, not failed
        t.notes.push(`${rel}: ${eventID} stored from ${stored.get(eventID)} differs: ${problems.join('; ')}`);
        return [];
      }
      if (problems.length === 0) t.readBack++;
      return problems.map((p) => `${eventID}: ${p}`);
    }

    /** Captures a valid document (a stored eventID: refused whole, then the rest under proceed). */
    async function captureDocument(t: Tally, rel: string, document: Json): Promise<string[]> {
      const read = readCaptureDocument(document);
      if (!read.ok)
        return [`read by the module as ${read.exception}: ${JSON.stringify(read.problems.slice(0, 2))}`];
      const sentEvents = (document.epcisBody as { eventList: Json[] }).eventList;
      const ids = read.events.map((e) => e.eventID);
      for (const e of read.events)
        if (!e.eventIDGiven && !HASH_ID.test(e.eventID)) return [`${e.eventID} is not an event hash ID`];
      const dups = new Set(ids.filter((id) => stored.has(id)));
      const before = await counts();
      const job = await jobOf(await post('/epcis/capture', document));
      const problems: string[] = [];
      if (dups.size === 0) {
        if (!job.success) problems.push(`job failed: ${JSON.stringify(job.errors)}`);
      } else {
        t.duplicates += dups.size;
        const reported = job.errors.map((e) => `${e.type} ${e.detail}`).sort();
        const expected = [...dups].map((id) => `epcisException:ResourceAlreadyExistsException ${id}`).sort();
        if (job.success || JSON.stringify(reported) !== JSON.stringify(expected))
          problems.push(
            `rollback job: ${JSON.stringify(job)}, expected the duplicates ${[...dups].join(', ')}`,
          );
        const after = await counts();
        if (JSON.stringify(after) !== JSON.stringify(before)) problems.push('rollback stored something');
        const proceed = await jobOf(
          await post('/epcis/capture', document, { 'gs1-capture-error-behaviour': 'proceed' }),
        );
        if (proceed.success || proceed.errors.length !== dups.size)
          problems.push(`proceed job: ${JSON.stringify(proceed)}`);
      }
      const after = await counts();
      const added = Number(after.events) - Number(before.events);
      if (added !== ids.length - dups.size)
        problems.push(`${added} events stored, expected ${ids.length - dups.size}`);
      if (Number(after.keys) - Number(before.keys) !== added) problems.push('event_key out of step');
      for (const [i, id] of ids.entries()) {
        const sent = sentEvents[i]!;
        const context = [...asList(document['@context']), ...asList(sent['@context'])];
        problems.push(...(await check(t, rel, sent, id, context, dups.has(id))));
        if (!dups.has(id)) stored.set(id, rel);
      }
      t.events += ids.length;
      return problems;
    }

    /** A single event: 201 and its Location (409 for one stored already), read back. */
    async function captureEvent(t: Tally, rel: string, event: Json): Promise<string[]> {
      const read = readSingleEvent(event);
      if (!read.ok)
        return [`read by the module as ${read.exception}: ${JSON.stringify(read.problems.slice(0, 2))}`];
      const id = read.event.eventID;
      const duplicate = stored.has(id);
      const response = await post('/epcis/events', event);
      const problems: string[] = [];
      if (duplicate) {
        t.duplicates++;
        if (response.statusCode !== 409)
          problems.push(`a stored eventID: ${response.statusCode}, expected 409`);
      } else if (response.statusCode !== 201) {
        return [`${response.statusCode} ${response.body.slice(0, 300)}`];
      } else if (response.headers.location !== `/epcis/events/${encodeURIComponent(id)}`) {
        problems.push(`Location ${String(response.headers.location)}`);
      }
      if (!read.event.eventIDGiven && !HASH_ID.test(id)) problems.push(`${id} is not an event hash ID`);
      problems.push(...(await check(t, rel, event, id, asList(event['@context']), duplicate)));
      if (!duplicate) stored.set(id, rel);
      t.events++;
      return problems;
    }

    /** A request that must be refused: 4xx, an EPCIS exception, nothing stored. */
    async function refused(
      url: string,
      body: unknown,
    ): Promise<{ problems: string[]; type: string; answer: string }> {
      const before = await counts();
      const response = await post(url, body);
      const problems: string[] = [];
      const type = String(response.json<Json>().type ?? '');
      if (response.statusCode < 400 || response.statusCode >= 500)
        problems.push(`status ${response.statusCode}`);
      if (!String(response.headers['content-type']).startsWith('application/problem+json'))
        problems.push(`content-type ${String(response.headers['content-type'])}`);
      if (!type.startsWith('epcisException:')) problems.push(`type ${type}`);
      if (JSON.stringify(await counts()) !== JSON.stringify(before)) problems.push('something was stored');
      return { problems, type, answer: response.body };
    }

    /** An example refused for the reason REFUSED_ON_PURPOSE gives. */
    async function refusedOnPurpose(t: Tally, rel: string, body: unknown): Promise<string[]> {
      const reason = REFUSED_ON_PURPOSE[rel]!;
      const { problems, type, answer } = await refused('/epcis/capture', body);
      if (type !== 'epcisException:ValidationException' || !reason.test(answer))
        return [...problems, `expected refused for ${reason}: ${answer.slice(0, 300)}`];
      t.notes.push(`${rel}: refused on purpose (${reason.source})`);
      return problems;
    }

    const report = (t: Tally, folder: string, diagnostic: (message: string) => void) => {
      diagnostic(
        `${folder}: ${t.passed}/${t.files} files pass; ${t.readBack}/${t.events} events read back equal` +
          (t.duplicates ? `, ${t.duplicates} already stored by an earlier example` : '') +
          (t.lifted.count ? `, ${t.lifted.count} single values read back as lists of one` : ''),
      );
      for (const note of t.notes) diagnostic(`  note: ${note}`);
      for (const failure of t.failures) diagnostic(`  FAIL ${failure}`);
    };

    for (const folder of VALID_FOLDERS) {
      test(`${folder}: captured and read back as sent`, async (ctx) => {
        const t = tally();
        const files = filesOf(folder).filter(({ rel }) => !rel.includes('/Invalid/'));
        assert.ok(files.length > 0, `no example under ${folder}`);
        for (const { rel, body } of files) {
          // query definitions (Query/Queries) are no capture: they run as queries below
          if (body.type === undefined && !('epcisBody' in body)) continue;
          t.files++;
          let problems: string[];
          if (body.type === 'EPCISQueryDocument') {
            // query results are not a capture; their events are, wrapped in a document
            const { problems: p, type } = await refused('/epcis/capture', body);
            problems = type === 'epcisException:ValidationException' ? p : [...p, `refused as ${type}`];
            problems.push(
              ...(REFUSED_ON_PURPOSE[rel]
                ? await refusedOnPurpose(t, rel, wrapped(body))
                : await captureDocument(t, rel, wrapped(body))),
            );
          } else if (REFUSED_ON_PURPOSE[rel]) problems = await refusedOnPurpose(t, rel, body);
          else if (EVENT_TYPES.includes(String(body.type))) problems = await captureEvent(t, rel, body);
          else problems = await captureDocument(t, rel, body);
          if (problems.length === 0) t.passed++;
          else t.failures.push(`${rel}: ${problems.join(' | ')}`);
        }
        report(t, folder, (m) => ctx.diagnostic(m));
        assert.deepEqual(t.failures, []);
      });
    }

    test('every file under an Invalid/ folder is refused, nothing stored', async (ctx) => {
      for (const folder of INVALID_FOLDERS) {
        const t = tally();
        for (const { rel, body } of filesOf(folder).filter(({ rel }) => rel.includes('/Invalid/'))) {
          t.files++;
          let problems: string[] = [];
          if (body.type === undefined && !('epcisBody' in body)) {
            // a query definition: it runs as GET /epcis/events
            const response = await get(`/epcis/events?${queryString(body)}`);
            if (
              response.statusCode !== 400 ||
              response.json<Json>().type !== 'epcisException:QueryParameterException'
            )
              problems.push(`query ${response.statusCode} ${response.body.slice(0, 200)}`);
          } else {
            const url = EVENT_TYPES.includes(String(body.type)) ? '/epcis/events' : '/epcis/capture';
            const outcome = await refused(url, body);
            problems = outcome.problems;
            t.notes.push(`${rel}: ${outcome.type}`);
            if (body.type === 'EPCISQueryDocument') {
              // its events, wrapped in a capture document, are refused too
              const inner = await refused('/epcis/capture', wrapped(body));
              problems.push(...inner.problems.map((p) => `wrapped: ${p}`));
              t.notes.push(`${rel} (events wrapped in a document): ${inner.type}`);
            }
          }
          if (problems.length === 0) t.passed++;
          else t.failures.push(`${rel}: ${problems.join(' | ')}`);
        }
        report(t, `${folder} (Invalid/)`, (m) => ctx.diagnostic(m));
        assert.deepEqual(t.failures, []);
        if (folder.endsWith('Capture/Invalid')) assert.ok(t.files >= 5, 'the Invalid/ examples were found');
      }
    });

    test('the query definitions run as GET /epcis/events', async (ctx) => {
      const definitions = filesOf('openepcis-test-resources/JSON/Query/Queries').filter(
        ({ rel }) => !rel.includes('/Invalid/'),
      );
      assert.ok(definitions.length > 0);
      for (const { rel, body } of definitions) {
        const supported = Object.fromEntries(
          Object.entries(body).filter(([k]) => !UNSUPPORTED_QUERY_PARAMETERS.includes(k)),
        );
        const response = await get(`/epcis/events?${queryString(supported)}`);
        assert.equal(response.statusCode, 200, `${rel}: ${response.body}`);
        assert.equal(response.json<Json>().type, 'EPCISQueryDocument');
        const left = Object.keys(body).filter((k) => UNSUPPORTED_QUERY_PARAMETERS.includes(k));
        // parameters the repository does not implement are refused, not ignored
        const whole = await get(`/epcis/events?${queryString(body)}`);
        assert.equal(whole.statusCode, left.length > 0 ? 400 : 200, whole.body);
        ctx.diagnostic(
          `${rel}: runs (${(response.json<Json>().epcisBody as { queryResults: { resultsBody: { eventList: unknown[] } } }).queryResults.resultsBody.eventList.length} events)` +
            (left.length > 0
              ? `; not implemented, refused with QueryParameterException: ${left.join(', ')}`
              : ''),
        );
      }
    });

    test('after all of it, the hash chains are intact', async () => {
      const response = await get('/epcis/integrity');
      assert.equal(response.statusCode, 200);
      const body = response.json<{ intact: boolean; chains: { checked: number }[] }>();
      assert.equal(body.intact, true, response.body);
      assert.equal(
        body.chains.reduce((n, c) => n + c.checked, 0),
        stored.size,
      );
      assert.equal(Number((await counts()).events), stored.size);
    });
  });
}

/** The events of a query result document, as a capture document. */
function wrapped(queryDocument: Json): Json {
  const body = queryDocument.epcisBody as { queryResults?: { resultsBody?: { eventList?: unknown[] } } };
  return {
    '@context': queryDocument['@context'],
    type: 'EPCISDocument',
    schemaVersion: queryDocument.schemaVersion ?? '2.0',
    creationDate: queryDocument.creationDate,
    epcisBody: { eventList: body?.queryResults?.resultsBody?.eventList ?? [] },
  };
}

/** A query definition (JSON) as the query string of GET /epcis/events (lists pipe-delimited). */
function queryString(definition: Json): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(definition)) {
    if (key === '@context') continue;
    params.set(key, Array.isArray(value) ? value.join('|') : String(value));
  }
  return params.toString();
}
