import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CaptureRead,
  EPCIS_EXCEPTIONS,
  exceptionTypeUri,
  MAX_PROBLEMS,
  readCaptureDocument,
  readSingleEvent,
} from './document.ts';
import { eventHashId } from './event-hash.ts';
import type { JsonObject } from './jsonld.ts';
import {
  aggregationEvent,
  CONTEXT,
  captureDocument,
  EXAMPLE_NS,
  objectEvent,
  transactionEvent,
} from './testdata/samples.ts';

function failure(read: CaptureRead | ReturnType<typeof readSingleEvent>) {
  assert.equal(read.ok, false, 'expected a refusal');
  return read as Extract<typeof read, { ok: false }>;
}

function problemText(read: CaptureRead | ReturnType<typeof readSingleEvent>): string[] {
  return failure(read).problems.map((p) => `${p.path}: ${p.message}`);
}

test('the exception types and their problem type URIs, as the REST bindings define them', () => {
  assert.deepEqual(Object.keys(EPCIS_EXCEPTIONS).sort(), [
    'CaptureLimitExceededException',
    'ImplementationException',
    'NoSuchResourceException',
    'QueryParameterException',
    'ResourceAlreadyExistsException',
    'ValidationException',
  ]);
  for (const name of Object.keys(EPCIS_EXCEPTIONS) as (keyof typeof EPCIS_EXCEPTIONS)[]) {
    assert.equal(exceptionTypeUri(name), `epcisException:${name}`);
  }
  assert.equal(EPCIS_EXCEPTIONS.CaptureLimitExceededException.status, 413);
  assert.equal(EPCIS_EXCEPTIONS.ResourceAlreadyExistsException.status, 409);
});

test('a valid document: its events, each with eventID, hash ID, context and projection', () => {
  const given = 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e';
  const read = readCaptureDocument(
    captureDocument([objectEvent({ 'example:batch': 'B-1' }), aggregationEvent({ eventID: given })], {
      id: 'https://ocop.example.vn/documents/1',
      sender: 'urn:epc:id:pgln:8934567.00001',
      'example:note': 'first capture',
    }),
  );
  assert.ok(read.ok, JSON.stringify(!read.ok && read.problems));
  assert.equal(read.document.schemaVersion, '2.0');
  assert.equal(read.document.id, 'https://ocop.example.vn/documents/1');
  assert.deepEqual(read.document.extensions, { 'example:note': 'first capture' });
  assert.equal(read.events.length, 2);

  const [first, second] = read.events;
  assert.equal(first!.index, 0);
  assert.equal(first!.eventIDGiven, false);
  assert.equal(first!.eventID, first!.hashID);
  assert.match(first!.eventID, /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  assert.deepEqual(first!.event['@context'], [CONTEXT, { example: EXAMPLE_NS }]);
  assert.equal(first!.event.eventID, first!.eventID);
  assert.equal(first!.event['example:batch'], 'B-1');
  // the stored event is readable on its own: the same hash from it alone
  assert.equal(eventHashId(first!.event), first!.hashID);
  assert.equal(first!.projection.eventID, first!.eventID);

  assert.equal(second!.eventIDGiven, true);
  assert.equal(second!.eventID, given);
  assert.notEqual(second!.hashID, given);
  assert.equal(second!.projection.eventID, given);
});

test('contexts: the standard one by any published URL, plus user objects; recognised without fetching', () => {
  for (const context of [
    CONTEXT,
    [CONTEXT],
    ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { example: EXAMPLE_NS }],
    ['https://gs1.github.io/EPCIS/epcis-context-simple.jsonld', { example: EXAMPLE_NS }],
    [
      CONTEXT,
      'https://vendor.example.com/extra-context.jsonld',
      { example: { '@id': EXAMPLE_NS, '@prefix': true } },
    ],
  ]) {
    const read = readCaptureDocument(captureDocument([objectEvent()], { '@context': context }));
    assert.ok(read.ok, JSON.stringify(context));
  }
  const refusals: [unknown, RegExp][] = [
    [undefined, /needs a @context/],
    [['https://example.com/context.jsonld'], /must name the EPCIS 2.0 context/],
    [[CONTEXT, 42], /^\/@context\/1: a context entry must be a URL or an object/],
    [[CONTEXT, 'not a url'], /^\/@context\/1: a context URL must be a URI/],
  ];
  for (const [context, expected] of refusals) {
    const body = captureDocument([objectEvent()]);
    if (context === undefined) delete body['@context'];
    else body['@context'] = context as JsonObject;
    const found = problemText(readCaptureDocument(body));
    assert.ok(
      found.some((p) => expected.test(p) || expected.test(p.replace(/^[^:]*: /, ''))),
      `${expected} in ${found}`,
    );
  }
});

test('a prefix used by an extension must be declared by the document or by the event itself', () => {
  const own = objectEvent({ '@context': [{ farm: 'https://farm.example.vn/ns/' }], 'farm:plot': 'A-7' });
  const borrowing = objectEvent({ 'farm:plot': 'B-2' });
  const found = problemText(readCaptureDocument(captureDocument([own, borrowing])));
  assert.deepEqual(found, [
    "/epcisBody/eventList/1/farm:plot: the prefix 'farm' of 'farm:plot' is not declared in @context",
  ]);
  const ok = readCaptureDocument(captureDocument([own]));
  assert.ok(ok.ok);
  assert.deepEqual(ok.events[0]!.event['@context'], [
    CONTEXT,
    { example: EXAMPLE_NS },
    { farm: 'https://farm.example.vn/ns/' },
  ]);
});

test('the document header: each rule', () => {
  const cases: [string, JsonObject, RegExp][] = [
    [
      'schemaVersion 1.2',
      captureDocument([], { schemaVersion: '1.2' }),
      /^\/schemaVersion: schemaVersion must be "2.0"/,
    ],
    ['schemaVersion as a number', captureDocument([], { schemaVersion: 2 }), /^\/schemaVersion: /],
    [
      'no schemaVersion',
      { ...captureDocument([]), schemaVersion: undefined as never },
      /needs a schemaVersion/,
    ],
    ['no creationDate', { ...captureDocument([]), creationDate: undefined as never }, /needs a creationDate/],
    [
      'creationDate without zone',
      captureDocument([], { creationDate: '2026-05-22T12:00:00' }),
      /^\/creationDate: /,
    ],
    ['no epcisBody', { ...captureDocument([]), epcisBody: undefined as never }, /needs an epcisBody/],
    [
      'epcisBody without eventList',
      captureDocument([], { epcisBody: {} }),
      /^\/epcisBody: epcisBody needs an eventList/,
    ],
    [
      'eventList not a list',
      captureDocument([], { epcisBody: { eventList: {} } }),
      /^\/epcisBody: eventList must be a list/,
    ],
    ['id not a URI', captureDocument([], { id: 'document 1' }), /^\/id: id must be a URI/],
    ['sender not a string', captureDocument([], { sender: 5 }), /^\/sender: /],
    ['epcisHeader not an object', captureDocument([], { epcisHeader: 'x' }), /^\/epcisHeader: /],
    ['unknown document field', captureDocument([], { note: 'x' }), /^\/note: unknown field 'note'/],
    [
      'undeclared prefix on the document',
      captureDocument([], { 'acme:note': 'x' }),
      /^\/acme:note: the prefix 'acme'/,
    ],
    ['escaped pointer', captureDocument([], { 'a/b': 'x' }), /^\/a~1b: /],
  ];
  for (const [name, body, expected] of cases) {
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    const read = readCaptureDocument(body);
    assert.equal(failure(read).exception, 'ValidationException', name);
    const found = problemText(read);
    assert.ok(
      found.some((p) => expected.test(p)),
      `${name}: ${expected} in ${JSON.stringify(found)}`,
    );
  }
  for (const ok of [
    captureDocument([], { schemaVersion: '2' }),
    captureDocument([], { id: '_:document1' }),
    captureDocument([], {
      instanceIdentifier: '1234567890',
      epcisHeader: { epcisMasterData: { vocabularyList: [] } },
    }),
    captureDocument([]),
  ]) {
    assert.ok(readCaptureDocument(ok).ok, JSON.stringify(ok));
  }
});

test('not a capture document at all', () => {
  for (const body of [null, 'text', 42, [captureDocument([])]]) {
    const read = failure(readCaptureDocument(body));
    assert.equal(read.exception, 'ValidationException');
    assert.match(read.problems[0]!.message, /JSON object/);
  }
  assert.match(
    failure(readCaptureDocument({ ...captureDocument([]), type: 'EPCISQueryDocument' })).problems[0]!.message,
    /EPCISQueryDocument holds query results/,
  );
  assert.match(
    failure(readCaptureDocument(objectEvent({ '@context': CONTEXT }))).problems[0]!.message,
    /single event/,
  );
});

test('every problem of every event is reported, with its path; at most MAX_PROBLEMS', () => {
  const read = readCaptureDocument(
    captureDocument([
      objectEvent({ action: 'CREATE' }),
      objectEvent(),
      transactionEvent({ bizTransactionList: [] }),
    ]),
  );
  assert.deepEqual(problemText(read), [
    '/epcisBody/eventList/0/action: action must be ADD, OBSERVE or DELETE, not "CREATE"',
    '/epcisBody/eventList/2: a TransactionEvent needs a bizTransactionList',
  ]);
  const many = Array.from({ length: 150 }, () => objectEvent({ action: 'CREATE' }));
  const capped = failure(readCaptureDocument(captureDocument(many)));
  assert.equal(capped.problems.length, MAX_PROBLEMS);
  assert.match(capped.problems.at(-1)!.message, /and 51 more problems/);
});

test('more events than the limit: CaptureLimitExceededException', () => {
  const body = captureDocument([objectEvent(), aggregationEvent(), transactionEvent()]);
  const read = failure(readCaptureDocument(body, { maxEvents: 2 }));
  assert.equal(read.exception, 'CaptureLimitExceededException');
  assert.ok(readCaptureDocument(body, { maxEvents: 3 }).ok);
});

test('one eventID twice in a document: ResourceAlreadyExistsException (identical events hash alike)', () => {
  const id = 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e';
  const given = failure(
    readCaptureDocument(captureDocument([objectEvent({ eventID: id }), aggregationEvent({ eventID: id })])),
  );
  assert.equal(given.exception, 'ResourceAlreadyExistsException');
  assert.equal(given.problems[0]!.path, '/epcisBody/eventList/1');
  const same = failure(
    readCaptureDocument(
      captureDocument([objectEvent(), objectEvent({ readPoint: { id: 'urn:epc:id:sgln:8934567.00001.0' } })]),
    ),
  );
  assert.equal(same.exception, 'ResourceAlreadyExistsException');
  // validation comes first
  const both = failure(
    readCaptureDocument(captureDocument([objectEvent(), objectEvent(), objectEvent({ action: 'X' })])),
  );
  assert.equal(both.exception, 'ValidationException');
});

test('JSON-LD single values are stored as lists', () => {
  const read = readCaptureDocument(
    captureDocument([
      objectEvent({
        epcList: 'urn:epc:id:sgtin:8934567.012345.1001',
        sourceList: { type: 'owning_party', source: 'urn:epc:id:pgln:8934567.00001' },
      }),
    ]),
  );
  assert.ok(read.ok);
  assert.deepEqual(read.events[0]!.event.epcList, ['urn:epc:id:sgtin:8934567.012345.1001']);
  assert.ok(Array.isArray(read.events[0]!.event.sourceList));
  // and hash like the list form
  const listed = readCaptureDocument(
    captureDocument([
      objectEvent({ sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:8934567.00001' }] }),
    ]),
  );
  assert.ok(listed.ok);
  assert.equal(read.events[0]!.hashID, listed.events[0]!.hashID);
});

test('readSingleEvent: an event with its own @context', () => {
  const read = readSingleEvent(objectEvent({ '@context': [CONTEXT, { ex: EXAMPLE_NS }], 'ex:lot': 'L-1' }));
  assert.ok(read.ok, JSON.stringify(!read.ok && read.problems));
  assert.equal(read.events.length, 1);
  assert.equal(read.events[0], read.event);
  assert.deepEqual(read.event.event['@context'], [CONTEXT, { ex: EXAMPLE_NS }]);
  assert.equal(read.event.projection.eventType, 'ObjectEvent');

  assert.match(problemText(readSingleEvent(objectEvent()))[0]!, /needs a @context/);
  assert.match(
    problemText(readSingleEvent(captureDocument([objectEvent()])))[0]!,
    /\/events takes one event/,
  );
  assert.match(
    problemText(readSingleEvent(objectEvent({ '@context': CONTEXT, action: 'NOPE' })))[0]!,
    /^\/action: /,
  );
  assert.equal(failure(readSingleEvent(null)).exception, 'ValidationException');
});
