/**
 * The EPCIS 2.0 repository under /epcis, end to end on both engines with real API tokens:
 * capture (documents as jobs, single events, error behaviours, limits), the SimpleEventQuery
 * parameters and paging, GS1-EPC-Format, who may capture and read what, the append-only storage
 * and its hash chains, and the EPCIS exceptions for bad input (with nothing stored).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createProducer, startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { ADMIN, SYSTEM } from '../../../tests/support/dossiers.ts';
import { withGs1CheckDigit } from '../../platform/gs1/check-digit.ts';
import { toEpcUrn } from '../../platform/gs1/index.ts';
import { readSingleEvent } from './epcis/index.ts';

after(dropOwnTemplates);

const CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';
const HASH_ID = /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/;

// GTINs (GTIN-13 with a valid check digit) of three producers' products, and GLNs of their places
const GTIN = { a: withGs1CheckDigit('893000000001'), b: withGs1CheckDigit('893000000002') };
const GTIN_C = withGs1CheckDigit('893000000003');
const GTIN_UNREGISTERED = withGs1CheckDigit('893000000009');
const GLN = {
  a: withGs1CheckDigit('893000000010'),
  b: withGs1CheckDigit('893000000020'),
  c: withGs1CheckDigit('893000000030'),
};

/** A serialised item of a GTIN as a GS1 Digital Link URI, and as an EPC URN. */
const dl = (gtin13: string, serial: string) => `https://id.gs1.org/01/0${gtin13}/21/${serial}`;
const urn = (gtin13: string, serial: string) => toEpcUrn(dl(gtin13, serial))!;
const lot = (gtin13: string, batch: string) => `https://id.gs1.org/01/0${gtin13}/10/${batch}`;
const lgtin = (gtin13: string, batch: string) => toEpcUrn(lot(gtin13, batch))!;
const glnDl = (gln: string) => `https://id.gs1.org/414/${gln}`;
const sgln = (gln: string) => toEpcUrn(glnDl(gln))!;
const SSCC_DL = `https://id.gs1.org/00/${withGs1CheckDigit('08930000000000001')}`;
const SSCC = toEpcUrn(SSCC_DL)!;

const uuid = (n: number) => `urn:uuid:6f1e0000-0000-4000-8000-${String(n).padStart(12, '0')}`;

type Json = Record<string, unknown>;

function epcisDocument(events: unknown[], extra: Json = {}): Json {
  return {
    '@context': [CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-02-01T09:00:00.000+07:00',
    epcisBody: { eventList: events },
    ...extra,
  };
}

function objectEvent(over: Json = {}): Json {
  return {
    type: 'ObjectEvent',
    eventTime: '2026-02-01T08:00:00.000+07:00',
    eventTimeZoneOffset: '+07:00',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    epcList: [urn(GTIN.a, 'X1')],
    ...over,
  };
}

/** A single event for POST /epcis/events (it carries its own @context). */
const single = (event: Json): Json => ({ '@context': [CONTEXT], ...event });

for (const engine of testEngines()) {
  describe(`EPCIS repository (${engine})`, () => {
    let app: TestApp;
    let clock = new Date('2026-03-01T01:00:00.000Z');
    const T = {
      1: '2026-03-01T01:00:00.000Z',
      2: '2026-03-02T01:00:00.000Z',
      3: '2026-03-03T01:00:00.000Z',
      4: '2026-03-04T01:00:00.000Z',
    };
    const token: Record<
      'admin' | 'province' | 'commune' | 'producerA' | 'producerB' | 'producerC' | 'otherProvince',
      string
    > = {
      admin: '',
      province: '',
      commune: '',
      producerA: '',
      producerB: '',
      producerC: '',
      otherProvince: '',
    };
    const producer = { a: '', b: '', c: '' };
    let provinceC = '';
    let mintedA = '';

    async function tokenFor(email: string, role: string, scopeCode: string | null, producerId?: string) {
      await app.identity.createUser(SYSTEM, null, {
        email,
        name: email,
        role: role as never,
        scopeCode,
        producerId: producerId ?? null,
        password: 'mat-khau-thu-nghiem',
      });
      return (await app.identity.createTokenFor(SYSTEM, email, 'epcis')).token;
    }

    before(async () => {
      app = await startTestApp(engine, { now: () => new Date(clock) });
      producer.a = (await createProducer(app, { legalName: 'HTX Mật ong Rạch Gốc' })).id;
      producer.b = (await createProducer(app, { legalName: 'HTX Khô cá Cà Mau' })).id;
      producer.c = (await createProducer(app, { legalName: 'HTX Gốm Bát Tràng', communeCode: '00004' })).id;
      provinceC = (await app.producers.placeOf(producer.c))!.provinceCode;
      assert.notEqual(provinceC, '96');
      for (const [key, gtins] of [
        ['a', [GTIN.a]],
        ['b', [GTIN.b]],
        ['c', [GTIN_C]],
      ] as const) {
        await app.products.products.create(SYSTEM, ADMIN, {
          producerId: producer[key],
          name: `Sản phẩm ${key}`,
          productSet: 8,
          gtins: [...gtins],
        });
      }
      token.admin = await tokenFor('quantri@epcis.vn', 'admin', null);
      token.province = await tokenFor('tinh@epcis.vn', 'province_office', '96');
      token.otherProvince = await tokenFor('tinhkhac@epcis.vn', 'province_office', provinceC);
      token.commune = await tokenFor('xa@epcis.vn', 'commune_officer', '32002');
      token.producerA = await tokenFor('a@epcis.vn', 'producer', null, producer.a);
      token.producerB = await tokenFor('b@epcis.vn', 'producer', null, producer.b);
      token.producerC = await tokenFor('c@epcis.vn', 'producer', null, producer.c);
    });
    after(() => app?.close());

    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    const send = (
      method: 'POST' | 'GET' | 'OPTIONS',
      url: string,
      t: string | null,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      app.server.inject({
        method,
        url,
        headers: {
          ...(t ? bearer(t) : {}),
          ...(body !== undefined ? { 'content-type': 'application/ld+json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    const capture = (t: string, document: unknown, headers: Record<string, string> = {}) =>
      send('POST', '/epcis/capture', t, document, headers);
    const get = (t: string | null, url: string, headers: Record<string, string> = {}) =>
      send('GET', url, t, undefined, headers);

    async function counts() {
      const { rows } = await sql<Record<string, string>>`
        select (select count(*) from traceability.event) as events,
               (select count(*) from traceability.event_key) as keys,
               (select count(*) from traceability.event_identifier) as identifiers,
               (select count(*) from traceability.capture_job) as jobs`.execute(app.database.db);
      return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)])) as {
        events: number;
        keys: number;
        identifiers: number;
        jobs: number;
      };
    }

    function problem(
      response: { statusCode: number; headers: Record<string, unknown>; body: string; json(): Json },
      status: number,
      exception: string,
    ) {
      assert.equal(response.statusCode, status, response.body);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      const body = response.json();
      assert.equal(body.type, `epcisException:${exception}`, response.body);
      assert.equal(body.status, status);
      assert.equal(response.headers['gs1-epcis-version'], '2.0.0');
      return body;
    }

    /** Sends a capture that must be refused: the problem, and nothing stored (no job either). */
    async function refused(
      status: number,
      exception: string,
      request: () => Promise<{
        statusCode: number;
        headers: Record<string, unknown>;
        body: string;
        json(): Json;
      }>,
    ) {
      const before = await counts();
      const body = problem(await request(), status, exception);
      assert.deepEqual(await counts(), before, 'nothing stored');
      return body;
    }

    async function captured(t: string, document: unknown, headers: Record<string, string> = {}) {
      const response = await capture(t, document, headers);
      assert.equal(response.statusCode, 202, response.body);
      const location = String(response.headers.location);
      assert.match(location, /^\/epcis\/capture\/[0-9a-f-]{36}$/);
      const job = await get(t, location);
      assert.equal(job.statusCode, 200, job.body);
      return job.json() as {
        captureID: string;
        running: boolean;
        success: boolean;
        captureErrorBehaviour: string;
        errors: { type: string; detail?: string }[];
      };
    }

    async function eventIds(t: string, query: string, headers: Record<string, string> = {}) {
      const response = await get(t, `/epcis/events${query ? `?${query}` : ''}`, headers);
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /^application\/ld\+json/);
      const body = response.json();
      assert.equal(body.type, 'EPCISQueryDocument');
      assert.equal(body.epcisBody.queryResults.queryName, 'SimpleEventQuery');
      return (body.epcisBody.queryResults.resultsBody.eventList as Json[]).map((e) => e.eventID as string);
    }

    // --- capture -------------------------------------------------------------------------------

    test('OPTIONS /epcis/capture announces the capture limit, the file size limit, the behaviours', async () => {
      const response = await send('OPTIONS', '/epcis/capture', null);
      assert.equal(response.statusCode, 204);
      assert.equal(response.headers['gs1-epcis-capture-limit'], '5000');
      assert.equal(response.headers['gs1-epcis-capture-file-size-limit'], String(16 * 1024 * 1024));
      assert.match(String(response.headers['gs1-capture-error-behaviour']), /rollback/);
      assert.match(String(response.headers['gs1-capture-error-behaviour']), /proceed/);
      assert.match(String(response.headers.allow), /POST/);
      assert.equal(response.headers['gs1-epcis-version'], '2.0.0');
      assert.equal(response.headers['gs1-cbv-version'], '2.0.0');
    });

    test('a document is captured as a job: 202, Location, the job reports success; recordTime is the server’s', async () => {
      clock = new Date(T[1]);
      const before = await counts();
      const response = await capture(
        token.admin,
        epcisDocument([
          objectEvent({ eventID: uuid(1), recordTime: '2001-01-01T00:00:00.000Z' }),
          objectEvent({ eventID: uuid(2), epcList: [urn(GTIN.a, 'X2')] }),
        ]),
      );
      assert.equal(response.statusCode, 202, response.body);
      assert.equal(response.body, '');
      assert.match(String(response.headers.location), /^\/epcis\/capture\/[0-9a-f-]{36}$/);
      assert.equal(response.headers['gs1-epcis-capture-limit'], '5000');
      const job = await get(token.admin, String(response.headers.location));
      assert.equal(job.statusCode, 200);
      assert.deepEqual(
        { ...(job.json() as Json), createdAt: undefined, finishedAt: undefined },
        {
          captureID: String(response.headers.location).split('/').at(-1),
          createdAt: undefined,
          finishedAt: undefined,
          running: false,
          success: true,
          captureErrorBehaviour: 'rollback',
          errors: [],
        },
      );
      const after = await counts();
      assert.equal(after.events - before.events, 2);
      assert.equal(after.keys - before.keys, 2);
      assert.equal(after.jobs - before.jobs, 1);
      assert.equal(after.identifiers - before.identifiers, 2);
      const stored = await get(token.admin, `/epcis/events/${encodeURIComponent(uuid(1))}`);
      assert.equal(stored.statusCode, 200, stored.body);
      assert.equal(stored.json().recordTime, T[1], 'the record time is set by the server');

      const list = await get(token.admin, '/epcis/capture');
      assert.equal(list.statusCode, 200);
      assert.ok(
        (list.json().captureJobs as { captureID: string }[]).some(
          (j) => j.captureID === job.json().captureID,
        ),
      );
      const unknown = await get(token.admin, '/epcis/capture/00000000-0000-4000-8000-000000000000');
      problem(unknown, 404, 'NoSuchResourceException');
    });

    test('application/json is accepted as well as application/ld+json', async () => {
      const job = await captured(token.admin, epcisDocument([objectEvent({ eventID: uuid(3) })]), {
        'content-type': 'application/json',
      });
      assert.equal(job.success, true);
      assert.equal((await get(token.admin, `/epcis/events/${encodeURIComponent(uuid(3))}`)).statusCode, 200);
    });

    test('rollback (the default): a document with a stored eventID stores nothing; the job reports it', async () => {
      const before = await counts();
      const job = await captured(
        token.admin,
        epcisDocument([
          objectEvent({ eventID: uuid(10) }),
          objectEvent({ eventID: uuid(1) }), // stored already
          objectEvent({ eventID: uuid(11) }),
        ]),
      );
      assert.equal(job.success, false);
      assert.equal(job.running, false);
      assert.equal(job.captureErrorBehaviour, 'rollback');
      assert.deepEqual(
        job.errors.map((e) => [e.type, e.detail]),
        [['epcisException:ResourceAlreadyExistsException', uuid(1)]],
      );
      const after = await counts();
      assert.deepEqual({ ...after, jobs: before.jobs }, before, 'no event stored');
      assert.equal(after.jobs, before.jobs + 1);
      // the same with the header said out loud
      const explicit = await captured(
        token.admin,
        epcisDocument([objectEvent({ eventID: uuid(10) }), objectEvent({ eventID: uuid(1) })]),
        { 'gs1-capture-error-behaviour': 'rollback' },
      );
      assert.equal(explicit.success, false);
      assert.equal((await counts()).events, before.events);
    });

    test('proceed: the events that can be stored are, the others are reported', async () => {
      const before = await counts();
      const job = await captured(
        token.admin,
        epcisDocument([
          objectEvent({ eventID: uuid(10) }),
          objectEvent({ eventID: uuid(1) }), // stored already
          objectEvent({ eventID: uuid(11) }),
        ]),
        { 'gs1-capture-error-behaviour': 'proceed' },
      );
      assert.equal(job.captureErrorBehaviour, 'proceed');
      assert.equal(job.success, false, 'one event was not stored');
      assert.deepEqual(
        job.errors.map((e) => e.type),
        ['epcisException:ResourceAlreadyExistsException'],
      );
      const after = await counts();
      assert.equal(after.events - before.events, 2);
      assert.equal(after.keys - before.keys, 2);
      for (const id of [uuid(10), uuid(11)])
        assert.equal((await get(token.admin, `/epcis/events/${encodeURIComponent(id)}`)).statusCode, 200);
    });

    test('proceed: an invalid event does not keep the valid ones out', async () => {
      const before = await counts();
      const { eventTimeZoneOffset: _, ...withoutOffset } = objectEvent({ eventID: uuid(13) });
      const job = await captured(
        token.admin,
        epcisDocument([
          objectEvent({ eventID: uuid(12) }),
          withoutOffset,
          objectEvent({ eventID: uuid(14) }),
        ]),
        { 'gs1-capture-error-behaviour': 'proceed' },
      );
      assert.equal(job.success, false);
      assert.ok(
        job.errors.some((e) => e.type === 'epcisException:ValidationException'),
        JSON.stringify(job),
      );
      assert.equal((await counts()).events - before.events, 2);
      assert.equal((await get(token.admin, `/epcis/events/${encodeURIComponent(uuid(13))}`)).statusCode, 404);
      assert.equal((await get(token.admin, `/epcis/events/${encodeURIComponent(uuid(14))}`)).statusCode, 200);
    });

    test('one eventID twice in a document: 409 ResourceAlreadyExistsException, nothing stored', async () => {
      for (const behaviour of ['rollback', 'proceed'])
        await refused(409, 'ResourceAlreadyExistsException', () =>
          capture(
            token.admin,
            epcisDocument([objectEvent({ eventID: uuid(16) }), objectEvent({ eventID: uuid(16) })]),
            { 'gs1-capture-error-behaviour': behaviour },
          ),
        );
    });

    test('GS1-Capture-Error-Behaviour other than rollback or proceed is refused', async () => {
      await refused(400, 'ValidationException', () =>
        capture(token.admin, epcisDocument([objectEvent({ eventID: uuid(15) })]), {
          'gs1-capture-error-behaviour': 'sometimes',
        }),
      );
    });

    test('POST /epcis/events: one event, 201 and its Location; the same eventID again is 409', async () => {
      const before = await counts();
      const event = single(objectEvent({ eventID: uuid(20), epcList: [dl(GTIN.a, 'E20')] }));
      const response = await send('POST', '/epcis/events', token.admin, event);
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.headers.location, `/epcis/events/${encodeURIComponent(uuid(20))}`);
      const stored = await get(token.admin, String(response.headers.location), {
        'gs1-epc-format': 'Never_Translates',
      });
      assert.equal(stored.statusCode, 200);
      assert.deepEqual(stored.json().epcList, [dl(GTIN.a, 'E20')]);
      let after = await counts();
      assert.equal(after.events - before.events, 1);
      assert.equal(after.keys - before.keys, 1);

      const again = await send('POST', '/epcis/events', token.admin, {
        ...event,
        eventTime: '2026-02-02T08:00:00.000+07:00',
      });
      problem(again, 409, 'ResourceAlreadyExistsException');
      after = await counts();
      assert.equal(after.events - before.events, 1, 'nothing more stored');
      // an eventID stored by a document capture
      problem(
        await send('POST', '/epcis/events', token.admin, single(objectEvent({ eventID: uuid(1) }))),
        409,
        'ResourceAlreadyExistsException',
      );
    });

    test('an event without eventID gets its CBV event hash ID; sent again it is a duplicate', async () => {
      const event = single(
        objectEvent({ epcList: [dl(GTIN.a, 'H1')], eventTime: '2026-02-03T10:00:00+07:00' }),
      );
      const read = readSingleEvent(event);
      assert.ok(read.ok);
      const hashId = read.event.hashID;
      assert.match(hashId, HASH_ID);

      const response = await send('POST', '/epcis/events', token.admin, event);
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.headers.location, `/epcis/events/${encodeURIComponent(hashId)}`);
      const stored = await get(token.admin, String(response.headers.location));
      assert.equal(stored.json().eventID, hashId);

      const before = await counts();
      problem(await send('POST', '/epcis/events', token.admin, event), 409, 'ResourceAlreadyExistsException');
      // the same event, written differently (URN instead of Digital Link, other key order): same hash
      const { epcList: _, ...rest } = event;
      problem(
        await send('POST', '/epcis/events', token.admin, { epcList: [urn(GTIN.a, 'H1')], ...rest }),
        409,
        'ResourceAlreadyExistsException',
      );
      // inside a document: the job reports the duplicate, nothing stored
      const { '@context': __, ...bare } = event;
      const job = await captured(token.admin, epcisDocument([bare]));
      assert.equal(job.success, false);
      assert.deepEqual(
        job.errors.map((e) => [e.type, e.detail]),
        [['epcisException:ResourceAlreadyExistsException', hashId]],
      );
      assert.equal((await counts()).events, before.events);
    });

    // --- queries -------------------------------------------------------------------------------

    const E = { 1: uuid(101), 2: uuid(102), 3: uuid(103), 4: uuid(104), 5: uuid(105), 6: uuid(106) };
    const ALL = [E[1], E[2], E[3], E[4], E[5], E[6]];
    // queries below are limited to these events by their record time
    const mine = `GE_recordTime=${encodeURIComponent(T[1])}&LT_recordTime=${encodeURIComponent('2026-03-03T02:00:00Z')}&EQ_eventID=${ALL.map(encodeURIComponent).join('|')}`;

    test('query data: six events of three producers, captured at three record times', async () => {
      clock = new Date(T[1]);
      const base = { eventTimeZoneOffset: '+07:00' };
      let job = await captured(
        token.admin,
        epcisDocument([
          {
            ...base,
            type: 'ObjectEvent',
            eventID: E[1],
            eventTime: '2026-01-10T08:00:00.000+07:00',
            action: 'ADD',
            bizStep: 'commissioning',
            disposition: 'active',
            epcList: [urn(GTIN.a, '1'), urn(GTIN.a, '2')],
            readPoint: { id: sgln(GLN.a) },
            bizLocation: { id: sgln(GLN.a) },
          },
          {
            ...base,
            type: 'ObjectEvent',
            eventID: E[2],
            eventTime: '2026-01-11T08:00:00.000+07:00',
            action: 'OBSERVE',
            bizStep: 'shipping',
            disposition: 'in_transit',
            epcList: [dl(GTIN.a, '1')],
            readPoint: { id: glnDl(GLN.a) },
          },
        ]),
      );
      assert.equal(job.success, true);
      clock = new Date(T[2]);
      job = await captured(
        token.admin,
        epcisDocument([
          {
            ...base,
            type: 'AggregationEvent',
            eventID: E[3],
            eventTime: '2026-01-12T08:00:00.000+07:00',
            action: 'ADD',
            bizStep: 'packing',
            parentID: SSCC,
            childEPCs: [urn(GTIN.a, '1'), urn(GTIN.a, '2')],
          },
          {
            ...base,
            type: 'TransformationEvent',
            eventID: E[4],
            eventTime: '2026-01-13T08:00:00.000+07:00',
            bizStep: 'assembling',
            inputEPCList: [urn(GTIN.a, '3')],
            inputQuantityList: [{ epcClass: lgtin(GTIN.a, 'L1'), quantity: 10, uom: 'KGM' }],
            outputEPCList: [urn(GTIN.a, '4')],
          },
        ]),
      );
      assert.equal(job.success, true);
      clock = new Date(T[3]);
      job = await captured(
        token.admin,
        epcisDocument([
          {
            ...base,
            type: 'ObjectEvent',
            eventID: E[5],
            eventTime: '2026-01-14T08:00:00.000+07:00',
            action: 'OBSERVE',
            bizStep: 'receiving',
            disposition: 'in_progress',
            quantityList: [{ epcClass: lgtin(GTIN.b, 'L9'), quantity: 5 }],
            bizLocation: { id: glnDl(GLN.b) },
          },
          {
            ...base,
            type: 'TransactionEvent',
            eventID: E[6],
            eventTime: '2026-01-15T08:00:00.000+07:00',
            action: 'ADD',
            bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:8930000000019:PO1' }],
            epcList: [urn(GTIN_C, '1')],
          },
        ]),
      );
      assert.equal(job.success, true);
      assert.deepEqual(await eventIds(token.admin, mine), ALL, 'by event time, ascending');
    });

    test('eventType, GE_/LT_eventTime, GE_/LT_recordTime, EQ_action', async () => {
      assert.deepEqual(await eventIds(token.admin, `${mine}&eventType=AggregationEvent`), [E[3]]);
      assert.deepEqual(await eventIds(token.admin, `${mine}&eventType=ObjectEvent|TransactionEvent`), [
        E[1],
        E[2],
        E[5],
        E[6],
      ]);
      assert.deepEqual(
        await eventIds(token.admin, `${mine}&eventType=ObjectEvent&eventType=TransformationEvent`),
        [E[1], E[2], E[4], E[5]],
      );
      assert.deepEqual(
        await eventIds(
          token.admin,
          `${mine}&GE_eventTime=${encodeURIComponent('2026-01-12T01:00:00Z')}&LT_eventTime=${encodeURIComponent('2026-01-14T08:00:00+07:00')}`,
        ),
        [E[3], E[4]],
        'GE is inclusive, LT exclusive; offsets honoured',
      );
      assert.deepEqual(
        await eventIds(token.admin, `EQ_eventID=${ALL.join('|')}&GE_recordTime=${encodeURIComponent(T[2])}`),
        [E[3], E[4], E[5], E[6]],
      );
      assert.deepEqual(
        await eventIds(token.admin, `EQ_eventID=${ALL.join('|')}&LT_recordTime=${encodeURIComponent(T[2])}`),
        [E[1], E[2]],
      );
      assert.deepEqual(await eventIds(token.admin, `${mine}&EQ_action=ADD`), [E[1], E[3], E[6]]);
      assert.deepEqual(await eventIds(token.admin, `${mine}&EQ_action=OBSERVE|DELETE`), [E[2], E[5]]);
      problem(await get(token.admin, '/epcis/events?EQ_action=CREATE'), 400, 'QueryParameterException');
      problem(await get(token.admin, '/epcis/events?eventType=FooEvent'), 400, 'QueryParameterException');
      problem(await get(token.admin, '/epcis/events?GE_eventTime=yesterday'), 400, 'QueryParameterException');
      problem(await get(token.admin, '/epcis/events?EQ_colour=red'), 400, 'QueryParameterException');
    });

    test('EQ_bizStep, EQ_disposition (bare CBV words or Web URIs), EQ_readPoint, EQ_bizLocation (URN or Digital Link)', async () => {
      assert.deepEqual(await eventIds(token.admin, `${mine}&EQ_bizStep=shipping`), [E[2]]);
      assert.deepEqual(
        await eventIds(
          token.admin,
          `${mine}&EQ_bizStep=${encodeURIComponent('https://ref.gs1.org/cbv/BizStep-shipping')}`,
        ),
        [E[2]],
      );
      assert.deepEqual(await eventIds(token.admin, `${mine}&EQ_bizStep=shipping|packing`), [E[2], E[3]]);
      assert.deepEqual(await eventIds(token.admin, `${mine}&EQ_disposition=in_transit`), [E[2]]);
      assert.deepEqual(
        await eventIds(
          token.admin,
          `${mine}&EQ_disposition=${encodeURIComponent('https://ref.gs1.org/cbv/Disp-active')}`,
        ),
        [E[1]],
      );
      for (const place of [sgln(GLN.a), glnDl(GLN.a)])
        assert.deepEqual(await eventIds(token.admin, `${mine}&EQ_readPoint=${encodeURIComponent(place)}`), [
          E[1],
          E[2],
        ]);
      assert.deepEqual(
        await eventIds(token.admin, `${mine}&EQ_bizLocation=${encodeURIComponent(glnDl(GLN.a))}`),
        [E[1]],
      );
      assert.deepEqual(
        await eventIds(token.admin, `${mine}&EQ_bizLocation=${encodeURIComponent(sgln(GLN.b))}`),
        [E[5]],
      );
    });

    test('MATCH_ parameters: an EPC given as URN is found by its Digital Link and vice versa; patterns', async () => {
      const q = (name: string, value: string) =>
        eventIds(token.admin, `${mine}&${name}=${encodeURIComponent(value)}`);
      assert.deepEqual(await q('MATCH_epc', dl(GTIN.a, '1')), [E[1], E[2], E[3]], 'epcList and childEPCs');
      assert.deepEqual(await q('MATCH_epc', urn(GTIN.a, '1')), [E[1], E[2], E[3]]);
      assert.deepEqual(await q('MATCH_epc', urn(GTIN.a, '2')), [E[1], E[3]]);
      assert.deepEqual(
        await q('MATCH_epc', urn(GTIN.a, '1').replace(/\.1$/, '.*').replace(':id:', ':idpat:')),
        [E[1], E[2], E[3]],
        'a pattern matches every serial of the GTIN',
      );
      assert.deepEqual(await q('MATCH_anyEPC', urn(GTIN.a, '3')), [E[4]]);
      assert.deepEqual(await q('MATCH_anyEPC', SSCC_DL), [E[3]]);
      assert.deepEqual(await q('MATCH_anyEPC', urn(GTIN.a, '1')), [E[1], E[2], E[3]]);
      assert.deepEqual(await q('MATCH_parentID', SSCC), [E[3]]);
      assert.deepEqual(await q('MATCH_parentID', urn(GTIN.a, '1')), []);
      assert.deepEqual(await q('MATCH_inputEPC', dl(GTIN.a, '3')), [E[4]]);
      assert.deepEqual(await q('MATCH_inputEPC', urn(GTIN.a, '4')), []);
      assert.deepEqual(await q('MATCH_outputEPC', dl(GTIN.a, '4')), [E[4]]);
      assert.deepEqual(await q('MATCH_epcClass', lgtin(GTIN.b, 'L9')), [E[5]]);
      assert.deepEqual(await q('MATCH_epcClass', lot(GTIN.b, 'L9')), [E[5]]);
      assert.deepEqual(
        await q('MATCH_epcClass', lgtin(GTIN.a, 'L1')),
        [],
        'an input class is not an epcClass',
      );
      assert.deepEqual(await q('MATCH_anyEPCClass', lot(GTIN.a, 'L1')), [E[4]]);
      assert.deepEqual(await q('MATCH_anyEPCClass', lgtin(GTIN.b, 'L9')), [E[5]]);
      assert.deepEqual(
        await eventIds(
          token.admin,
          `${mine}&MATCH_anyEPC=${encodeURIComponent(urn(GTIN.a, '3'))}|${encodeURIComponent(urn(GTIN_C, '1'))}`,
        ),
        [E[4], E[6]],
        'several values, pipe-delimited as the REST bindings say',
      );
      assert.deepEqual(await eventIds(token.admin, `EQ_eventID=${encodeURIComponent(E[2])}`), [E[2]]);
    });

    test('an EPC with a comma in its serial is one value, not two', async () => {
      const serial = 'A,B';
      const id = uuid(107);
      const job = await captured(
        token.admin,
        epcisDocument([objectEvent({ eventID: id, epcList: [urn(GTIN.a, serial)] })]),
      );
      assert.equal(job.success, true);
      assert.deepEqual(await eventIds(token.admin, `MATCH_epc=${encodeURIComponent(urn(GTIN.a, serial))}`), [
        id,
      ]);
    });

    test('orderBy, orderDirection, eventCountLimit', async () => {
      assert.deepEqual(
        await eventIds(token.admin, `${mine}&orderBy=eventTime&orderDirection=DESC`),
        [...ALL].reverse(),
      );
      assert.deepEqual(
        await eventIds(token.admin, `${mine}&orderBy=eventTime`),
        [...ALL].reverse(),
        'orderDirection defaults to DESC (REST bindings)',
      );
      assert.deepEqual(await eventIds(token.admin, `${mine}&orderBy=recordTime&orderDirection=ASC`), ALL);
      assert.deepEqual(await eventIds(token.admin, `${mine}&orderBy=recordTime&orderDirection=DESC`), [
        E[6],
        E[5],
        E[4],
        E[3],
        E[2],
        E[1],
      ]);
      assert.deepEqual(
        await eventIds(token.admin, `${mine}&orderBy=eventTime&orderDirection=ASC&eventCountLimit=2`),
        [E[1], E[2]],
      );
      assert.deepEqual(
        await eventIds(token.admin, `${mine}&orderBy=eventTime&orderDirection=DESC&eventCountLimit=2`),
        [E[6], E[5]],
      );
      problem(
        await get(token.admin, `/epcis/events?${mine}&eventCountLimit=2`),
        400,
        'QueryParameterException',
      );
      problem(await get(token.admin, '/epcis/events?orderBy=colour'), 400, 'QueryParameterException');
      problem(
        await get(token.admin, '/epcis/events?orderBy=eventTime&orderDirection=UP'),
        400,
        'QueryParameterException',
      );
      problem(
        await get(token.admin, '/epcis/events?orderBy=eventTime&eventCountLimit=0'),
        400,
        'QueryParameterException',
      );
    });

    test('perPage and nextPageToken: Link rel="next" until the last page', async () => {
      const pages: string[][] = [];
      let url: string | null = `/epcis/events?${mine}&perPage=2`;
      while (url) {
        const response = await get(token.admin, url);
        assert.equal(response.statusCode, 200, response.body);
        pages.push(
          (response.json().epcisBody.queryResults.resultsBody.eventList as Json[]).map(
            (e) => e.eventID as string,
          ),
        );
        const link = response.headers.link ? String(response.headers.link) : '';
        url = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
        if (url) assert.match(url, /nextPageToken=/);
        assert.ok(pages.length < 10);
      }
      assert.deepEqual(pages, [
        [E[1], E[2]],
        [E[3], E[4]],
        [E[5], E[6]],
      ]);
      // eventCountLimit spans pages
      const first = await get(
        token.admin,
        `/epcis/events?${mine}&orderBy=eventTime&orderDirection=ASC&eventCountLimit=3&perPage=2`,
      );
      const next = /<([^>]+)>;\s*rel="next"/.exec(String(first.headers.link))?.[1];
      assert.ok(next);
      const second = await get(token.admin, next);
      assert.deepEqual(
        (second.json().epcisBody.queryResults.resultsBody.eventList as Json[]).map((e) => e.eventID),
        [E[3]],
      );
      assert.equal(second.headers.link, undefined);
      problem(
        await get(token.admin, `/epcis/events?${mine}&nextPageToken=bm90LWEtdG9rZW4`),
        400,
        'QueryParameterException',
      );
      // a token continues only its own query
      const token2 = new URL(next, 'http://x').searchParams.get('nextPageToken')!;
      problem(
        await get(token.admin, `/epcis/events?eventType=ObjectEvent&nextPageToken=${token2}`),
        400,
        'QueryParameterException',
      );
      problem(await get(token.admin, '/epcis/events?perPage=0'), 400, 'QueryParameterException');
    });

    test('GET /epcis/events/{eventID}, /epcis/eventTypes, /epcis/epcs/{epc}/events', async () => {
      const one = await get(token.admin, `/epcis/events/${encodeURIComponent(E[4])}`);
      assert.equal(one.statusCode, 200);
      assert.match(String(one.headers['content-type']), /^application\/ld\+json/);
      assert.equal(one.json().type, 'TransformationEvent');
      assert.equal(one.json().eventID, E[4]);
      assert.ok((one.json()['@context'] as unknown[]).includes(CONTEXT));
      assert.equal(one.json().recordTime, T[2]);
      problem(
        await get(token.admin, `/epcis/events/${encodeURIComponent(uuid(999))}`),
        404,
        'NoSuchResourceException',
      );

      const types = await get(token.admin, '/epcis/eventTypes');
      assert.equal(types.statusCode, 200);
      assert.deepEqual([...(types.json().member as string[])].sort(), [
        'AggregationEvent',
        'AssociationEvent',
        'ObjectEvent',
        'TransactionEvent',
        'TransformationEvent',
      ]);
      problem(await get(null, '/epcis/eventTypes'), 401, 'SecurityException');

      for (const epc of [urn(GTIN.a, '1'), dl(GTIN.a, '1')]) {
        const response = await get(token.admin, `/epcis/epcs/${encodeURIComponent(epc)}/events`);
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(
          (response.json().epcisBody.queryResults.resultsBody.eventList as Json[]).map((e) => e.eventID),
          [E[1], E[2], E[3]],
        );
      }
      const paged = await get(
        token.admin,
        `/epcis/epcs/${encodeURIComponent(urn(GTIN.a, '1'))}/events?perPage=2`,
      );
      const next = /<([^>]+)>;\s*rel="next"/.exec(String(paged.headers.link))?.[1];
      assert.ok(next?.startsWith('/epcis/epcs/'));
      const rest = await get(token.admin, next!);
      assert.deepEqual(
        (rest.json().epcisBody.queryResults.resultsBody.eventList as Json[]).map((e) => e.eventID),
        [E[3]],
      );
    });

    test('GS1-EPC-Format: Digital Link by default, URNs when asked, as captured when Never_Translates', async () => {
      const read = async (id: string, format?: string) => {
        const response = await get(
          token.admin,
          `/epcis/events/${encodeURIComponent(id)}`,
          format ? { 'gs1-epc-format': format } : {},
        );
        assert.equal(response.statusCode, 200, response.body);
        return response.json();
      };
      // E1 was captured with URNs, E2 with Digital Link URIs
      const e1 = await read(E[1]);
      assert.deepEqual(e1.epcList, [dl(GTIN.a, '1'), dl(GTIN.a, '2')]);
      assert.equal(e1.readPoint.id, glnDl(GLN.a));
      assert.deepEqual((await read(E[1], 'Always_GS1_Digital_Link')).epcList, e1.epcList);
      assert.deepEqual((await read(E[1], 'Never_Translates')).epcList, [urn(GTIN.a, '1'), urn(GTIN.a, '2')]);
      assert.equal((await read(E[1], 'Never_Translates')).readPoint.id, sgln(GLN.a));
      const e2 = await read(E[2], 'Always_EPC_URN');
      assert.deepEqual(e2.epcList, [urn(GTIN.a, '1')]);
      assert.equal(e2.readPoint.id, sgln(GLN.a));
      assert.deepEqual((await read(E[2], 'Never_Translates')).epcList, [dl(GTIN.a, '1')]);
      const e3 = await read(E[3], 'Always_EPC_URN');
      assert.equal(e3.parentID, SSCC);
      assert.deepEqual(e3.childEPCs, [urn(GTIN.a, '1'), urn(GTIN.a, '2')]);
      const e4 = await read(E[4]);
      assert.equal(e4.inputQuantityList[0].epcClass, lot(GTIN.a, 'L1'));
      assert.equal((await read(E[4], 'Always_EPC_URN')).inputQuantityList[0].epcClass, lgtin(GTIN.a, 'L1'));
      // in query results too
      const listed = await get(token.admin, `/epcis/events?EQ_eventID=${encodeURIComponent(E[2])}`, {
        'gs1-epc-format': 'Always_EPC_URN',
      });
      assert.deepEqual(listed.json().epcisBody.queryResults.resultsBody.eventList[0].epcList, [
        urn(GTIN.a, '1'),
      ]);
      problem(
        await get(token.admin, `/epcis/events/${encodeURIComponent(E[1])}`, {
          'gs1-epc-format': 'Sometimes',
        }),
        400,
        'QueryParameterException',
      );
    });

    // --- access --------------------------------------------------------------------------------

    test('capture and queries need a token; a commune officer may neither capture nor read', async () => {
      await refused(401, 'SecurityException', () =>
        send('POST', '/epcis/capture', null, epcisDocument([objectEvent({ eventID: uuid(200) })])),
      );
      await refused(401, 'SecurityException', () =>
        send(
          'POST',
          '/epcis/capture',
          'ocop_not-a-real-token',
          epcisDocument([objectEvent({ eventID: uuid(200) })]),
        ),
      );
      await refused(401, 'SecurityException', () =>
        send('POST', '/epcis/events', null, single(objectEvent({ eventID: uuid(200) }))),
      );
      problem(await get(null, '/epcis/events'), 401, 'SecurityException');
      problem(await get(null, `/epcis/events/${encodeURIComponent(E[1])}`), 401, 'SecurityException');
      problem(await get(null, '/epcis/capture'), 401, 'SecurityException');
      await refused(403, 'SecurityException', () =>
        capture(token.commune, epcisDocument([objectEvent({ eventID: uuid(200) })])),
      );
      await refused(403, 'SecurityException', () =>
        send('POST', '/epcis/events', token.commune, single(objectEvent({ eventID: uuid(200) }))),
      );
      problem(await get(token.commune, '/epcis/events'), 403, 'SecurityException');
      problem(
        await get(token.commune, `/epcis/events/${encodeURIComponent(E[1])}`),
        403,
        'SecurityException',
      );
      problem(await get(token.commune, '/epcis/integrity'), 403, 'SecurityException');
    });

    test('a producer registers its locations and captures events about its own GTINs there', async () => {
      clock = new Date(T[4]);
      const registered = await send(
        'POST',
        `/api/v1/producers/${producer.a}/locations`,
        token.producerA,
        undefined,
        {
          'content-type': 'application/json',
        },
      );
      assert.equal(registered.statusCode, 400, 'a body is needed');
      const add = (t: string, producerId: string, body: Json) =>
        app.server.inject({
          method: 'POST',
          url: `/api/v1/producers/${producerId}/locations`,
          headers: bearer(t),
          payload: body,
        });
      const gln = await add(token.producerA, producer.a, { name: 'Trại ong', identifier: sgln(GLN.a) });
      assert.equal(gln.statusCode, 201, gln.body);
      assert.equal(gln.json().identifier, glnDl(GLN.a), 'stored in canonical form');
      const minted = await add(token.producerA, producer.a, { name: 'Kho nhà' });
      assert.equal(minted.statusCode, 201, minted.body);
      mintedA = minted.json().identifier;
      assert.match(mintedA, /^http:\/\/localhost:3000\/id\/location\/[0-9a-f-]{36}$/);
      assert.equal(
        (await add(token.producerB, producer.b, { name: 'Kho B', identifier: glnDl(GLN.b) })).statusCode,
        201,
      );
      assert.equal(
        (await add(token.producerC, producer.c, { name: 'Lò C', identifier: glnDl(GLN.c) })).statusCode,
        201,
      );
      // another producer's place, a taken GLN, a bad check digit
      assert.equal((await add(token.producerA, producer.b, { name: 'Kho B2' })).statusCode, 404);
      assert.equal(
        (await add(token.producerB, producer.b, { name: 'Trùng', identifier: glnDl(GLN.a) })).statusCode,
        409,
      );
      assert.equal(
        (
          await add(token.producerA, producer.a, {
            name: 'Sai',
            identifier: `https://id.gs1.org/414/${GLN.a.slice(0, 12)}${(Number(GLN.a[12]) + 1) % 10}`,
          })
        ).statusCode,
        400,
      );

      const before = await counts();
      const job = await captured(
        token.producerA,
        epcisDocument([
          objectEvent({
            eventID: uuid(201),
            epcList: [urn(GTIN.a, 'P1')],
            readPoint: { id: glnDl(GLN.a) },
            bizLocation: { id: mintedA },
          }),
          objectEvent({
            eventID: uuid(202),
            quantityList: [{ epcClass: lgtin(GTIN.a, 'L2'), quantity: 3 }],
            epcList: [],
          }),
        ]),
      );
      assert.equal(job.success, true, JSON.stringify(job));
      const single201 = await send(
        'POST',
        '/epcis/events',
        token.producerA,
        single(
          objectEvent({ eventID: uuid(203), epcList: [dl(GTIN.a, 'P3')], readPoint: { id: sgln(GLN.a) } }),
        ),
      );
      assert.equal(single201.statusCode, 201, single201.body);
      assert.equal((await counts()).events - before.events, 3);
      const { rows } = await sql<{ owner_producer_id: string; province_code: string; chain_key: string }>`
        select owner_producer_id, province_code, chain_key from traceability.event
        where event_id in (${uuid(201)}, ${uuid(202)}, ${uuid(203)})`.execute(app.database.db);
      assert.deepEqual(
        rows.map((r) => [r.owner_producer_id, r.province_code, r.chain_key]),
        Array(3).fill([producer.a, '96', `producer:${producer.a}`]),
      );
    });

    test('a producer may not capture about another producer’s GTIN, an unknown GTIN or a place not its own: 403, nothing stored', async () => {
      const cases: [string, Json][] = [
        ['another producer’s GTIN', objectEvent({ eventID: uuid(210), epcList: [urn(GTIN.b, '1')] })],
        [
          'another producer’s class',
          objectEvent({ eventID: uuid(211), epcList: [], quantityList: [{ epcClass: lgtin(GTIN.b, 'L1') }] }),
        ],
        ['an unregistered GTIN', objectEvent({ eventID: uuid(212), epcList: [urn(GTIN_UNREGISTERED, '1')] })],
        ['another producer’s location', objectEvent({ eventID: uuid(213), readPoint: { id: glnDl(GLN.b) } })],
        [
          'an unregistered location',
          objectEvent({ eventID: uuid(214), bizLocation: { id: 'urn:example:ocop:kho:1' } }),
        ],
        [
          'a child of another producer',
          {
            type: 'AggregationEvent',
            eventID: uuid(215),
            eventTime: '2026-02-01T08:00:00.000+07:00',
            eventTimeZoneOffset: '+07:00',
            action: 'ADD',
            parentID: urn(GTIN.a, 'PAL'),
            childEPCs: [urn(GTIN.a, 'P9'), urn(GTIN.b, 'P9')],
          },
        ],
      ];
      for (const [why, event] of cases) {
        const body = await refused(403, 'SecurityException', () =>
          capture(token.producerA, epcisDocument([objectEvent({ eventID: uuid(216) }), event])),
        );
        assert.ok(body.detail, why);
        await refused(403, 'SecurityException', () =>
          send('POST', '/epcis/events', token.producerA, single(event)),
        );
      }
      // under proceed too: a capture that speaks for another producer is refused whole
      await refused(403, 'SecurityException', () =>
        capture(token.producerA, epcisDocument([objectEvent({ eventID: uuid(217) }), cases[0]![1]]), {
          'gs1-capture-error-behaviour': 'proceed',
        }),
      );
      assert.equal(
        (await get(token.admin, `/epcis/events/${encodeURIComponent(uuid(216))}`)).statusCode,
        404,
      );
    });

    test('a province office captures for its province’s producers, not another province’s', async () => {
      const ok = await captured(
        token.province,
        epcisDocument([objectEvent({ eventID: uuid(220), epcList: [urn(GTIN.b, 'V1')] })]),
      );
      assert.equal(ok.success, true);
      await refused(403, 'SecurityException', () =>
        capture(
          token.province,
          epcisDocument([objectEvent({ eventID: uuid(221), epcList: [urn(GTIN_C, 'V1')] })]),
        ),
      );
    });

    test('who reads what: a producer its own events, a province office its province’s, an administrator all', async () => {
      const visible = async (t: string) =>
        new Set(await eventIds(t, `perPage=1000&EQ_eventID=${[...ALL, uuid(201), uuid(220)].join('|')}`));
      assert.deepEqual(await visible(token.admin), new Set([...ALL, uuid(201), uuid(220)]));
      assert.deepEqual(await visible(token.producerA), new Set([E[1], E[2], E[3], E[4], uuid(201)]));
      assert.deepEqual(await visible(token.producerB), new Set([E[5], uuid(220)]));
      assert.deepEqual(await visible(token.producerC), new Set([E[6]]));
      assert.deepEqual(
        await visible(token.province),
        new Set([E[1], E[2], E[3], E[4], E[5], uuid(201), uuid(220)]),
      );
      assert.deepEqual(await visible(token.otherProvince), new Set([E[6]]));
      // one event: someone else's is not found
      problem(
        await get(token.producerA, `/epcis/events/${encodeURIComponent(E[5])}`),
        404,
        'NoSuchResourceException',
      );
      problem(
        await get(token.province, `/epcis/events/${encodeURIComponent(E[6])}`),
        404,
        'NoSuchResourceException',
      );
      assert.equal((await get(token.producerB, `/epcis/events/${encodeURIComponent(E[5])}`)).statusCode, 200);
      // by EPC
      const byEpc = await get(token.producerB, `/epcis/epcs/${encodeURIComponent(urn(GTIN.a, '1'))}/events`);
      assert.deepEqual(byEpc.json().epcisBody.queryResults.resultsBody.eventList, []);
      // capture jobs: their own
      const jobs = await get(token.producerA, '/epcis/capture');
      assert.equal(jobs.statusCode, 200);
      const adminJobs = (await get(token.admin, '/epcis/capture')).json().captureJobs as {
        captureID: string;
      }[];
      const producerJobs = jobs.json().captureJobs as { captureID: string }[];
      assert.ok(producerJobs.length >= 1);
      assert.ok(producerJobs.length < adminJobs.length);
      const others = adminJobs.filter((j) => !producerJobs.some((p) => p.captureID === j.captureID));
      // every job a list shows opens, for another account of the same producer too
      const colleague = await tokenFor('a2@epcis.vn', 'producer', null, producer.a);
      const listed = (await get(colleague, '/epcis/capture')).json().captureJobs as { captureID: string }[];
      assert.deepEqual(
        listed.map((j) => j.captureID),
        producerJobs.map((j) => j.captureID),
      );
      for (const job of listed)
        assert.equal((await get(colleague, `/epcis/capture/${job.captureID}`)).statusCode, 200);
      for (const job of (await get(token.province, '/epcis/capture')).json().captureJobs as {
        captureID: string;
      }[])
        assert.equal((await get(token.province, `/epcis/capture/${job.captureID}`)).statusCode, 200);
      problem(
        await get(token.producerA, `/epcis/capture/${others[0]!.captureID}`),
        404,
        'NoSuchResourceException',
      );
      assert.equal((await get(token.admin, `/epcis/capture/${producerJobs[0]!.captureID}`)).statusCode, 200);
    });

    // --- bad input -----------------------------------------------------------------------------

    test('malformed JSON: 400 ValidationException, nothing stored', async () => {
      for (const type of ['application/ld+json', 'application/json'])
        await refused(400, 'ValidationException', () =>
          capture(token.admin, '{"type": "EPCISDocument", "epcisBody": {', { 'content-type': type }),
        );
      await refused(400, 'ValidationException', () =>
        send('POST', '/epcis/events', token.admin, '{"type": "ObjectEvent",', {}),
      );
      await refused(400, 'ValidationException', () => capture(token.admin, '[]'));
      await refused(400, 'ValidationException', () => capture(token.admin, '"EPCISDocument"'));
    });

    test('wrong or missing @context, no eventTimeZoneOffset, unknown event type, not a document: 400', async () => {
      const event = objectEvent({ eventID: uuid(300) });
      await refused(400, 'ValidationException', () =>
        capture(token.admin, {
          ...epcisDocument([event]),
          '@context': ['https://example.com/my-context.jsonld'],
        }),
      );
      const { '@context': _, ...noContext } = epcisDocument([event]);
      await refused(400, 'ValidationException', () => capture(token.admin, noContext));
      await refused(400, 'ValidationException', () =>
        send('POST', '/epcis/events', token.admin, {
          ...event,
          '@context': 'https://example.com/ctx.jsonld',
        }),
      );
      const { eventTimeZoneOffset: __, ...noOffset } = event;
      const body = await refused(400, 'ValidationException', () =>
        capture(token.admin, epcisDocument([objectEvent({ eventID: uuid(301) }), noOffset])),
      );
      assert.ok(
        (body.errors as { path: string }[]).some((e) => e.path === '/epcisBody/eventList/1'),
        JSON.stringify(body),
      );
      await refused(400, 'ValidationException', () =>
        send('POST', '/epcis/events', token.admin, single(noOffset)),
      );
      await refused(400, 'ValidationException', () =>
        capture(token.admin, epcisDocument([{ ...event, type: 'FooEvent' }])),
      );
      await refused(400, 'ValidationException', () =>
        send('POST', '/epcis/events', token.admin, single({ ...event, type: 'FooEvent' })),
      );
      await refused(400, 'ValidationException', () =>
        send('POST', '/epcis/events', token.admin, epcisDocument([event])),
      );
      await refused(400, 'ValidationException', () =>
        capture(token.admin, { ...epcisDocument([event]), type: 'EPCISQueryDocument' }),
      );
      await refused(400, 'ValidationException', () => capture(token.admin, single(event)));
    });

    test('an identifier with a wrong check digit: 400; a valid EPC URN is accepted', async () => {
      // GTIN 09520123456788 is valid; ...789 has a wrong check digit
      const body = await refused(400, 'ValidationException', () =>
        capture(
          token.admin,
          epcisDocument([
            objectEvent({ eventID: uuid(310), epcList: ['https://id.gs1.org/01/09520123456789/21/1'] }),
          ]),
        ),
      );
      assert.match(JSON.stringify(body.errors), /check digit/);
      await refused(400, 'ValidationException', () =>
        capture(
          token.admin,
          epcisDocument([
            objectEvent({
              eventID: uuid(311),
              epcList: [],
              quantityList: [{ epcClass: 'https://id.gs1.org/01/09520123456789/10/LOT', quantity: 1 }],
            }),
          ]),
        ),
      );
      await refused(400, 'ValidationException', () =>
        capture(
          token.admin,
          epcisDocument([
            objectEvent({
              eventID: uuid(312),
              readPoint: {
                id: `https://id.gs1.org/414/${GLN.a.slice(0, 12)}${(Number(GLN.a[12]) + 1) % 10}`,
              },
            }),
          ]),
        ),
      );
      const ok = await captured(
        token.admin,
        epcisDocument([
          objectEvent({
            eventID: uuid(313),
            epcList: ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/09520123456788/21/1'],
          }),
        ]),
      );
      assert.equal(ok.success, true);
    });

    test('values valid JSON but not storable: 400 ValidationException, not 500; nothing stored', async () => {
      const withPrefix = (event: Json) =>
        epcisDocument([event], { '@context': [CONTEXT, { example: 'https://example.com/ns/' }] });
      const cases: [string, Json][] = [
        ['a NUL character', objectEvent({ eventID: uuid(340), 'example:note': 'a\u0000b' })],
        ['an unpaired surrogate', objectEvent({ eventID: uuid(341), 'example:note': 'a\ud800b' })],
        ['an eventID over 2000 characters', objectEvent({ eventID: `urn:example:${'x'.repeat(2000)}` })],
        ['year 0000', objectEvent({ eventID: uuid(342), eventTime: '0000-01-01T00:00:00Z' })],
        [
          'past year 9999 in UTC',
          objectEvent({ eventID: uuid(343), eventTime: '9999-12-31T23:59:59-01:00' }),
        ],
      ];
      for (const [why, event] of cases) {
        const before = await counts();
        const response = await capture(token.admin, withPrefix(event));
        problem(response, 400, 'ValidationException');
        const after = await counts();
        assert.deepEqual({ ...after, jobs: 0 }, { ...before, jobs: 0 }, why);
      }
    });

    test('unsupported media types: 415 UnsupportedMediaTypeException, nothing stored', async () => {
      const document = JSON.stringify(epcisDocument([objectEvent({ eventID: uuid(320) })]));
      for (const type of [
        'application/xml',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        await refused(415, 'UnsupportedMediaTypeException', () =>
          capture(token.admin, document, { 'content-type': type }),
        );
        await refused(415, 'UnsupportedMediaTypeException', () =>
          send('POST', '/epcis/events', token.admin, document, { 'content-type': type }),
        );
      }
    });

    test('more events than the capture limit: 413 CaptureLimitExceededException, nothing stored; the limit itself is fine', async () => {
      const events = (n: number, from: number) =>
        Array.from({ length: n }, (_v, i) =>
          objectEvent({
            eventID: `urn:uuid:7a000000-0000-4000-8000-${String(from + i).padStart(12, '0')}`,
            epcList: [urn(GTIN.a, `L${from + i}`)],
          }),
        );
      await refused(413, 'CaptureLimitExceededException', () =>
        capture(token.admin, epcisDocument(events(5001, 0))),
      );
      // invalid events do not hide that the document is too big
      const tooMany = events(5001, 0);
      tooMany[3] = { ...tooMany[3], type: 'FooEvent' };
      await refused(413, 'CaptureLimitExceededException', () => capture(token.admin, epcisDocument(tooMany)));
      // more bytes than the file size limit
      const huge = JSON.stringify(
        epcisDocument([objectEvent({ eventID: uuid(330), 'example:pad': 'x' })]),
      ).replace('"x"', `"${'x'.repeat(16 * 1024 * 1024)}"`);
      await refused(413, 'CaptureLimitExceededException', () => capture(token.admin, huge));

      const before = await counts();
      const job = await captured(token.admin, epcisDocument(events(5000, 10_000)));
      assert.equal(job.success, true, JSON.stringify(job.errors));
      const after = await counts();
      assert.equal(after.events - before.events, 5000);
      assert.equal(after.keys - before.keys, 5000);
      assert.equal(after.identifiers - before.identifiers, 5000);
      // stored in several statements (the parameter limit): each identifier is its own event's
      for (const n of [10_000, 11_700, 14_999]) {
        const found = await get(
          token.admin,
          `/epcis/events?MATCH_epc=${encodeURIComponent(urn(GTIN.a, `L${n}`))}`,
        );
        assert.equal(found.statusCode, 200, found.body);
        const list = found.json().epcisBody as { queryResults: { resultsBody: { eventList: Json[] } } };
        assert.deepEqual(
          list.queryResults.resultsBody.eventList.map((e) => e.eventID),
          [`urn:uuid:7a000000-0000-4000-8000-${String(n).padStart(12, '0')}`],
        );
      }
    });

    // --- storage -------------------------------------------------------------------------------

    test('events are append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
      const db = app.database.db;
      const before = await counts();
      for (const statement of [
        sql`update traceability.event set biz_step = 'forged' where event_id = ${E[1]}`,
        sql`update traceability.event set document = '{}'::jsonb`,
        sql`delete from traceability.event where event_id = ${E[1]}`,
        sql`truncate traceability.event`,
        sql`update traceability.event_key set seq = 0 where event_id = ${E[1]}`,
        sql`delete from traceability.event_key where event_id = ${E[1]}`,
        sql`update traceability.event_identifier set identifier = 'urn:forged'`,
        sql`delete from traceability.event_identifier`,
        sql`truncate traceability.event_identifier`,
      ])
        await assert.rejects(statement.execute(db), /append-only/);
      assert.deepEqual(await counts(), before);
      const stored = await get(token.admin, `/epcis/events/${encodeURIComponent(E[1])}`);
      assert.equal(stored.json().bizStep, 'commissioning');
    });

    test('the hash chains: intact as captured; a forged row is detected', async () => {
      const intact = await get(token.admin, '/epcis/integrity');
      assert.equal(intact.statusCode, 200, intact.body);
      const report = intact.json() as {
        intact: boolean;
        chains: { chain: string; checked: number; head: number; breaks: unknown[] }[];
      };
      assert.equal(report.intact, true, JSON.stringify(report.chains.filter((c) => c.breaks.length > 0)));
      const chainA = report.chains.find((c) => c.chain === `producer:${producer.a}`)!;
      assert.ok(chainA.checked >= 7);
      assert.equal(chainA.checked, chainA.head);
      const total = report.chains.reduce((n, c) => n + c.checked, 0);
      assert.equal(total, (await counts()).events);
      // what each may verify
      const mineA = (await get(token.producerA, '/epcis/integrity')).json();
      assert.deepEqual(
        mineA.chains.map((c: { chain: string }) => c.chain),
        [`producer:${producer.a}`],
      );
      assert.equal(mineA.intact, true);
      const province = (await get(token.province, '/epcis/integrity')).json();
      assert.ok(province.chains.every((c: { chain: string }) => c.chain !== `producer:${producer.c}`));

      // a row forged straight into the table (INSERT is allowed): one with a link number taken,
      // with a made-up hash; then one past the chain head
      const forge = (seq: number, eventId: string) => sql`
        insert into traceability.event (event_id, event_type, event_time, event_time_zone_offset, record_time,
          action, document, capture_id, owner_producer_id, province_code, chain_key, chain_seq, prev_hash, hash)
        values (${eventId}, 'ObjectEvent', now(), '+07:00', ${T[4]}::timestamptz, 'OBSERVE',
          ${JSON.stringify({ type: 'ObjectEvent', eventID: eventId })}::jsonb, gen_random_uuid(), ${producer.a}::uuid,
          '96', ${`producer:${producer.a}`}, ${seq}, ${'0'.repeat(64)}, ${'f'.repeat(64)})`;
      await forge(2, uuid(900)).execute(app.database.db);
      const broken = (await get(token.producerA, '/epcis/integrity')).json() as typeof report;
      assert.equal(broken.intact, false);
      assert.ok(
        broken.chains[0]!.breaks.some((b) => (b as { chainSeq: number }).chainSeq === 2),
        JSON.stringify(broken),
      );
      // the other chains are untouched
      const others = (await get(token.admin, '/epcis/integrity')).json() as typeof report;
      assert.ok(
        others.chains.filter((c) => c.chain !== `producer:${producer.a}`).every((c) => c.breaks.length === 0),
      );

      // past the head, on a chain that is otherwise intact
      const chainB = report.chains.find((c) => c.chain === `producer:${producer.b}`)!;
      await sql`
        insert into traceability.event (event_id, event_type, event_time, event_time_zone_offset, record_time,
          action, document, capture_id, owner_producer_id, province_code, chain_key, chain_seq, prev_hash, hash)
        values (${uuid(901)}, 'ObjectEvent', now(), '+07:00', ${T[4]}::timestamptz, 'OBSERVE',
          ${JSON.stringify({ type: 'ObjectEvent', eventID: uuid(901) })}::jsonb, gen_random_uuid(), ${producer.b}::uuid,
          '96', ${`producer:${producer.b}`}, ${chainB.head + 1}, ${'0'.repeat(64)}, ${'f'.repeat(64)})`.execute(
        app.database.db,
      );
      const pastHead = (await get(token.producerB, '/epcis/integrity')).json() as typeof report;
      assert.equal(pastHead.intact, false, JSON.stringify(pastHead));
    });
  });
}
