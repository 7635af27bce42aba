import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject, JsonValue } from './jsonld.ts';
import {
  aggregationEvent,
  associationEvent,
  EXAMPLE_NS,
  objectEvent,
  transactionEvent,
  transformationEvent,
} from './testdata/samples.ts';
import { normaliseEvent, validateEvent } from './validate.ts';

const DOCUMENT_PREFIXES = new Map([['example', EXAMPLE_NS]]);

function problems(event: unknown): string[] {
  return validateEvent(event, '', DOCUMENT_PREFIXES).problems.map((p) => `${p.path}: ${p.message}`);
}

/** The event without some fields. */
function without(event: JsonObject, ...keys: string[]): JsonObject {
  const copy = { ...event };
  for (const key of keys) delete copy[key];
  return copy;
}

test('the sample events of every type are valid', () => {
  for (const event of [
    objectEvent(),
    aggregationEvent(),
    transactionEvent(),
    transformationEvent(),
    associationEvent(),
  ]) {
    assert.deepEqual(problems(event), [], String(event.type));
  }
});

test('valid variants', () => {
  const valid: [string, JsonObject][] = [
    [
      'quantities only',
      objectEvent({
        epcList: undefined as never,
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 5, uom: 'KGM' }],
      }),
    ],
    ['an empty epcList', objectEvent({ epcList: [] })],
    [
      'sensor data at a read point, no object',
      without(
        objectEvent({
          sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 4.5, uom: 'CEL' }] }],
        }),
        'epcList',
      ),
    ],
    ['ilmd with ADD', objectEvent({ action: 'ADD', ilmd: { 'example:bestBeforeDate': '2026-12-31' } })],
    [
      'Digital Link identifiers',
      objectEvent({
        epcList: ['https://id.gs1.org/01/08934567123457/21/1001'],
        readPoint: { id: 'https://id.gs1.org/414/8934567000017' },
      }),
    ],
    [
      'a private bizStep URI and a CURIE one',
      objectEvent({ bizStep: 'example:drying', disposition: 'urn:example:disp:ripe' }),
    ],
    [
      'URN and Web URI CBV values',
      objectEvent({
        bizStep: 'urn:epcglobal:cbv:bizstep:receiving',
        disposition: 'https://ref.gs1.org/cbv/Disp-in_progress',
      }),
    ],
    [
      'namespaced extensions, nested freely',
      objectEvent({ 'example:farm': { plot: 'A-7', 'example:area': 1.5, list: [1, { x: true }] } }),
    ],
    ['a full-IRI extension key', objectEvent({ 'https://ns.example.com/epcis/note': 'x' })],
    ['rdfs:comment (standard prefix)', objectEvent({ 'rdfs:comment': 'seen at the gate' })],
    [
      'event-level @context adding a prefix',
      objectEvent({ '@context': [{ farm: 'https://farm.example.vn/ns/' }], 'farm:plot': 'A-7' }),
    ],
    [
      'recordTime, eventID, certificationInfo (one and many)',
      objectEvent({
        recordTime: '2026-05-22T09:00:00Z',
        eventID: 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e',
        certificationInfo: ['https://cert.example.vn/1', 'https://cert.example.vn/2'],
      }),
    ],
    [
      'errorDeclaration',
      objectEvent({
        errorDeclaration: {
          declarationTime: '2026-05-23T00:00:00Z',
          reason: 'incorrect_data',
          correctiveEventIDs: ['urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
          'example:who': 'QA',
        },
      }),
    ],
    [
      'persistentDisposition set and unset',
      objectEvent({
        persistentDisposition: { set: ['completeness_verified'], unset: ['completeness_inferred'] },
      }),
    ],
    [
      'persistentDisposition on an AggregationEvent',
      aggregationEvent({ persistentDisposition: { set: ['recalled'] } }),
    ],
    [
      'source/destination lists, JSON-LD single values',
      objectEvent({
        sourceList: { type: 'owning_party', source: 'urn:epc:id:pgln:8934567.00001' },
        destinationList: [{ type: 'location', destination: 'urn:epc:id:sgln:8934567.00002.0' }],
      }),
    ],
    [
      'a bizTransaction without type',
      objectEvent({ bizTransactionList: [{ bizTransaction: 'urn:epcglobal:cbv:bt:8934567000009:INV-9' }] }),
    ],
    [
      'readPoint with an extension',
      objectEvent({ readPoint: { id: 'urn:epc:id:sgln:8934567.00001.0', 'example:dock': '3' } }),
    ],
    [
      'Aggregation OBSERVE without parentID',
      aggregationEvent({ action: 'OBSERVE', parentID: undefined as never }),
    ],
    ['Aggregation DELETE without children', without(aggregationEvent({ action: 'DELETE' }), 'childEPCs')],
    [
      'Aggregation with childQuantityList only',
      without(
        aggregationEvent({
          childQuantityList: [{ epcClass: 'urn:epc:idpat:sgtin:8934567.012345.*', quantity: 10 }],
        }),
        'childEPCs',
      ),
    ],
    [
      'Transaction with parentID and quantities',
      without(
        transactionEvent({
          parentID: 'urn:epc:id:sscc:8934567.0000000001',
          quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 2 }],
        }),
        'epcList',
      ),
    ],
    [
      'Transformation with transformationID and outputs only',
      without(
        transformationEvent({ transformationID: 'urn:uuid:7d444840-9dc0-11d1-b245-5ffdce74fad2' }),
        'inputQuantityList',
      ),
    ],
    ['Transformation with ilmd', transformationEvent({ ilmd: { 'example:batch': 'B-12' } })],
    ['Association DELETE without children', without(associationEvent({ action: 'DELETE' }), 'childEPCs')],
    [
      'sensor report with every field',
      objectEvent({
        sensorElementList: [
          {
            type: 'epcis:SensorElement',
            sensorMetadata: {
              time: '2026-05-22T08:00:00Z',
              startTime: '2026-05-22T07:00:00Z',
              endTime: '2026-05-22T08:00:00Z',
              deviceID: 'urn:epc:id:giai:8934567.T1',
              deviceMetadata: 'https://example.vn/d/1',
              rawData: 'https://example.vn/r/1',
              dataProcessingMethod: 'https://example.vn/m',
              bizRules: 'https://example.vn/b',
              'example:note': 'x',
            },
            sensorReport: [
              {
                type: 'gs1:Temperature',
                exception: 'ALARM_CONDITION',
                deviceID: 'urn:epc:id:giai:8934567.T1',
                time: '2026-05-22T08:00:00Z',
                value: 9.5,
                minValue: 2,
                maxValue: 9.5,
                meanValue: 5,
                sDev: 1.2,
                percRank: 50,
                percValue: 5.1,
                uom: 'CEL',
                component: 'x',
                stringValue: 's',
                booleanValue: true,
                hexBinaryValue: 'f0A1',
                uriValue: 'https://example.vn/u',
                microorganism: 'https://www.ncbi.nlm.nih.gov/taxonomy/1126011',
                chemicalSubstance: 'https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N',
                coordinateReferenceSystem: 'http://www.opengis.net/def/crs/EPSG/0/4326',
                'example:probe': 'p1',
              },
              { type: 'example:ripeness', stringValue: 'ripe' },
            ],
            'example:batch': 'B1',
          },
        ],
      }),
    ],
  ];
  for (const [name, event] of valid) {
    for (const key of Object.keys(event)) if (event[key] === undefined) delete event[key];
    assert.deepEqual(problems(event), [], name);
  }
});

test('each rule refuses what it should, at the right place', () => {
  const refused: [string, unknown, RegExp][] = [
    ['not an object', [objectEvent()], /^: an event must be a JSON object/],
    ['no type', without(objectEvent(), 'type'), /^: an event needs a type/],
    [
      'unknown type',
      objectEvent({ type: 'QuantityEvent' }),
      /^\/type: "QuantityEvent" is not an EPCIS event type/,
    ],
    ['missing eventTime', without(objectEvent(), 'eventTime'), /^: an event needs an eventTime/],
    [
      'missing eventTimeZoneOffset',
      without(objectEvent(), 'eventTimeZoneOffset'),
      /^: an event needs an eventTimeZoneOffset/,
    ],
    [
      'eventTime without offset',
      objectEvent({ eventTime: '2026-05-22T08:30:00' }),
      /^\/eventTime: eventTime must be an RFC 3339/,
    ],
    ['recordTime not a date-time', objectEvent({ recordTime: 'yesterday' }), /^\/recordTime: /],
    ['offset written +7', objectEvent({ eventTimeZoneOffset: '+7:00' }), /^\/eventTimeZoneOffset: /],
    ['invalid action', objectEvent({ action: 'CREATE' }), /^\/action: action must be ADD, OBSERVE or DELETE/],
    ['near-miss action', objectEvent({ action: 'Observe' }), /^\/action: /],
    ['ObjectEvent without action', without(objectEvent(), 'action'), /^: an ObjectEvent needs an action/],
    [
      'TransformationEvent with action',
      transformationEvent({ action: 'ADD' }),
      /^\/action: 'action' is not a field of TransformationEvent/,
    ],
    [
      'ObjectEvent with nothing observed',
      without(objectEvent(), 'epcList'),
      /needs an epcList, a quantityList, or sensor data with a readPoint/,
    ],
    [
      'ilmd with OBSERVE',
      objectEvent({ ilmd: { 'example:x': '1' } }),
      /^\/ilmd: ilmd is only allowed when action is ADD/,
    ],
    [
      'ilmd key not namespaced',
      objectEvent({ action: 'ADD', ilmd: { lot: '1' } }),
      /^\/ilmd\/lot: unknown field 'lot'/,
    ],
    [
      'a field of another event type',
      objectEvent({ childEPCs: ['urn:epc:id:sgtin:8934567.012345.1'] }),
      /^\/childEPCs: 'childEPCs' is not a field of ObjectEvent/,
    ],
    ['unknown top-level field', objectEvent({ weight: 5 }), /^\/weight: unknown field 'weight'/],
    [
      'undeclared prefix',
      objectEvent({ 'acme:weight': 5 }),
      /^\/acme:weight: the prefix 'acme' of 'acme:weight' is not declared/,
    ],
    [
      'non-standard disposition',
      objectEvent({ disposition: 'in_transport' }),
      /^\/disposition: 'in_transport' is not a CBV disposition/,
    ],
    [
      'bizStep bare word not in CBV',
      objectEvent({ bizStep: 'drying' }),
      /^\/bizStep: 'drying' is not a CBV business step/,
    ],
    ['bizStep URN not in CBV', objectEvent({ bizStep: 'urn:epcglobal:cbv:bizstep:drying' }), /^\/bizStep: /],
    [
      'EPC not a URI',
      objectEvent({ epcList: ['8934567123457'] }),
      /^\/epcList\/0: '8934567123457' is not a URI/,
    ],
    [
      'EPC listed twice',
      objectEvent({ epcList: ['urn:epc:id:sgtin:8934567.012345.1', 'urn:epc:id:sgtin:8934567.012345.1'] }),
      /^\/epcList\/1: .* listed twice/,
    ],
    [
      'bad GS1 check digit',
      objectEvent({ epcList: ['https://id.gs1.org/01/08934567123458/21/1001'] }),
      /^\/epcList\/0: /,
    ],
    ['malformed EPC URN', objectEvent({ epcList: ['urn:epc:id:sgtin:8934567.12345.1'] }), /^\/epcList\/0: /],
    ['epcList not a list', objectEvent({ epcList: 5 }), /^\/epcList: must be a list/],
    [
      'unknown field in quantityList',
      objectEvent({ quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', weight: 5 }] }),
      /^\/quantityList\/0\/weight: 'weight' is not a field of a quantity element/,
    ],
    [
      'quantity element without epcClass',
      objectEvent({ quantityList: [{ quantity: 5 }] }),
      /^\/quantityList\/0: a quantity element needs an epcClass/,
    ],
    [
      'quantity as a string',
      objectEvent({ quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: '5' }] }),
      /^\/quantityList\/0\/quantity: quantity must be a number/,
    ],
    [
      'uom of 4 letters',
      objectEvent({
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 5, uom: 'KILO' }],
      }),
      /^\/quantityList\/0\/uom: uom must be a UN\/CEFACT/,
    ],
    [
      'uom lower case',
      objectEvent({
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 5, uom: 'kgm' }],
      }),
      /^\/quantityList\/0\/uom: /,
    ],
    ['readPoint without id', objectEvent({ readPoint: {} }), /^\/readPoint: readPoint needs an id/],
    [
      'readPoint as a string',
      objectEvent({ readPoint: 'urn:epc:id:sgln:8934567.00001.0' }),
      /^\/readPoint: readPoint must be an object/,
    ],
    ['bizLocation id not a URI', objectEvent({ bizLocation: { id: 'warehouse 1' } }), /^\/bizLocation\/id: /],
    [
      'readPoint plain extra field',
      objectEvent({ readPoint: { id: 'urn:epc:id:sgln:8934567.00001.0', dock: 3 } }),
      /^\/readPoint\/dock: unknown field 'dock'/,
    ],
    [
      'source without type',
      objectEvent({ sourceList: [{ source: 'urn:epc:id:pgln:8934567.00001' }] }),
      /^\/sourceList\/0: a source needs a type/,
    ],
    [
      'destination with bad type',
      objectEvent({ destinationList: [{ type: 'buyer', destination: 'urn:epc:id:pgln:8934567.00001' }] }),
      /^\/destinationList\/0\/type: 'buyer' is not a CBV source\/destination type/,
    ],
    [
      'destination with an extra field',
      objectEvent({
        destinationList: [{ type: 'location', destination: 'urn:epc:id:sgln:8934567.00002.0', note: 'x' }],
      }),
      /^\/destinationList\/0\/note: /,
    ],
    [
      'bizTransaction without identifier',
      objectEvent({ bizTransactionList: [{ type: 'po' }] }),
      /^\/bizTransactionList\/0: a business transaction needs a bizTransaction/,
    ],
    [
      'bizTransaction type not in CBV',
      objectEvent({ bizTransactionList: [{ type: 'order', bizTransaction: 'urn:example:po:1' }] }),
      /^\/bizTransactionList\/0\/type: /,
    ],
    [
      'TransactionEvent without bizTransactionList',
      without(transactionEvent(), 'bizTransactionList'),
      /^: a TransactionEvent needs a bizTransactionList/,
    ],
    [
      'TransactionEvent with an empty bizTransactionList',
      transactionEvent({ bizTransactionList: [] }),
      /^: a TransactionEvent needs a bizTransactionList/,
    ],
    [
      'TransactionEvent with nothing',
      without(transactionEvent(), 'epcList'),
      /needs an epcList or a quantityList unless action is DELETE/,
    ],
    [
      'AssociationEvent without parentID',
      without(associationEvent(), 'parentID'),
      /^: an AssociationEvent needs a parentID/,
    ],
    [
      'Aggregation ADD without parentID',
      without(aggregationEvent(), 'parentID'),
      /^: an AggregationEvent needs a parentID unless action is OBSERVE/,
    ],
    [
      'Aggregation DELETE without parentID',
      without(aggregationEvent({ action: 'DELETE' }), 'parentID'),
      /needs a parentID/,
    ],
    [
      'Aggregation ADD without children',
      without(aggregationEvent(), 'childEPCs'),
      /needs childEPCs or a childQuantityList unless action is DELETE/,
    ],
    [
      'Aggregation with ilmd',
      aggregationEvent({ ilmd: { 'example:x': '1' } }),
      /^\/ilmd: 'ilmd' is not a field of AggregationEvent/,
    ],
    [
      'Transformation without outputs',
      without(transformationEvent(), 'outputEPCList'),
      /needs inputs and outputs, or a transformationID/,
    ],
    [
      'persistentDisposition empty',
      objectEvent({ persistentDisposition: {} }),
      /^\/persistentDisposition: persistentDisposition needs set or unset/,
    ],
    [
      'persistentDisposition bad word',
      objectEvent({ persistentDisposition: { set: ['sold'] } }),
      /^\/persistentDisposition\/set\/0: /,
    ],
    [
      'persistentDisposition extra key',
      objectEvent({ persistentDisposition: { set: ['recalled'], toggle: ['x'] } }),
      /^\/persistentDisposition\/toggle: /,
    ],
    [
      'persistentDisposition empty set',
      objectEvent({ persistentDisposition: { set: [] } }),
      /^\/persistentDisposition\/set: must have at least 1/,
    ],
    [
      'sensor element without report',
      objectEvent({ sensorElementList: [{ sensorMetadata: { time: '2026-05-22T08:00:00Z' } }] }),
      /^\/sensorElementList\/0: a sensor element needs a sensorReport/,
    ],
    [
      'sensor report without type',
      objectEvent({ sensorElementList: [{ sensorReport: [{ value: 1 }] }] }),
      /^\/sensorElementList\/0\/sensorReport\/0: a sensor report needs a type/,
    ],
    [
      'sensor report unknown type',
      objectEvent({ sensorElementList: [{ sensorReport: [{ type: 'Heat' }] }] }),
      /^\/sensorElementList\/0\/sensorReport\/0\/type: 'Heat' is not a CBV measurement type/,
    ],
    [
      'sensor value as a string',
      objectEvent({ sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: '26' }] }] }),
      /\/sensorReport\/0\/value: value must be a number/,
    ],
    [
      'sensor booleanValue as a string',
      objectEvent({ sensorElementList: [{ sensorReport: [{ type: 'Temperature', booleanValue: 'true' }] }] }),
      /booleanValue must be true or false/,
    ],
    [
      'sensor hexBinaryValue not hex',
      objectEvent({
        sensorElementList: [{ sensorReport: [{ type: 'Temperature', hexBinaryValue: 'xyz' }] }],
      }),
      /hexBinaryValue must be hexadecimal/,
    ],
    [
      'sensor component not CBV',
      objectEvent({ sensorElementList: [{ sensorReport: [{ type: 'Angle', component: 'w' }] }] }),
      /\/component: /,
    ],
    [
      'sensor exception not CBV',
      objectEvent({ sensorElementList: [{ sensorReport: [{ type: 'Temperature', exception: 'WARNING' }] }] }),
      /\/exception: /,
    ],
    [
      'sensor metadata time not a date-time',
      objectEvent({
        sensorElementList: [
          { sensorMetadata: { startTime: 'noon' }, sensorReport: [{ type: 'Temperature' }] },
        ],
      }),
      /\/sensorMetadata\/startTime: /,
    ],
    [
      'sensor metadata unknown field',
      objectEvent({
        sensorElementList: [{ sensorMetadata: { place: 'x' }, sensorReport: [{ type: 'Temperature' }] }],
      }),
      /\/sensorMetadata\/place: unknown field/,
    ],
    [
      'sensor report unknown field',
      objectEvent({ sensorElementList: [{ sensorReport: [{ type: 'Temperature', reading: 1 }] }] }),
      /\/sensorReport\/0\/reading: unknown field/,
    ],
    [
      'sensor element other type',
      objectEvent({ sensorElementList: [{ type: 'Sensor', sensorReport: [{ type: 'Temperature' }] }] }),
      /\/sensorElementList\/0\/type: /,
    ],
    [
      'errorDeclaration without declarationTime',
      objectEvent({ errorDeclaration: { reason: 'did_not_occur' } }),
      /^\/errorDeclaration: errorDeclaration needs a declarationTime/,
    ],
    [
      'errorDeclaration bad reason',
      objectEvent({ errorDeclaration: { declarationTime: '2026-05-23T00:00:00Z', reason: 'typo' } }),
      /^\/errorDeclaration\/reason: /,
    ],
    [
      'errorDeclaration corrective ID not a URI',
      objectEvent({
        errorDeclaration: { declarationTime: '2026-05-23T00:00:00Z', correctiveEventIDs: ['event 2'] },
      }),
      /^\/errorDeclaration\/correctiveEventIDs\/0: /,
    ],
    ['eventID not a URI', objectEvent({ eventID: 'event-1' }), /^\/eventID: eventID must be a URI/],
    [
      'certificationInfo not a URI',
      objectEvent({ certificationInfo: 'VietGAP 123' }),
      /^\/certificationInfo: /,
    ],
    ['event @context not a URL or object', objectEvent({ '@context': [42] }), /^\/@context\/0: /],
    [
      'too deeply nested extension',
      objectEvent({ 'example:deep': nest(40) }),
      /^\/example:deep: this extension is nested too deeply/,
    ],
  ];
  for (const [name, event, expected] of refused) {
    const found = problems(event);
    assert.ok(
      found.some((p) => expected.test(p)),
      `${name}: expected ${expected}, got ${JSON.stringify(found)}`,
    );
  }
});

function nest(levels: number): JsonValue {
  let value: JsonValue = 'bottom';
  for (let i = 0; i < levels; i++) value = { level: value };
  return value;
}

test('a single event needs its own @context naming the EPCIS context', () => {
  const noContext = validateEvent(objectEvent(), '', new Map(), true).problems;
  assert.match(noContext[0]!.message, /needs a @context/);
  const otherContext = validateEvent(
    objectEvent({ '@context': ['https://example.com/ctx.jsonld'] }),
    '',
    new Map(),
    true,
  );
  assert.match(otherContext.problems[0]!.message, /must name the EPCIS 2.0 context/);
  const ok = validateEvent(
    objectEvent({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { ex: EXAMPLE_NS }],
      'ex:x': 1,
    }),
    '',
    new Map(),
    true,
  );
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.prefixes.get('ex'), EXAMPLE_NS);
});

test('problems are all reported, not just the first', () => {
  const found = problems(objectEvent({ action: 'CREATE', disposition: 'in_transport', 'acme:x': 1 }));
  assert.equal(found.length, 3, JSON.stringify(found));
});

test('normaliseEvent writes JSON-LD single values as lists', () => {
  const event = normaliseEvent(
    objectEvent({
      epcList: 'urn:epc:id:sgtin:8934567.012345.1001',
      sourceList: { type: 'owning_party', source: 'urn:epc:id:pgln:8934567.00001' },
      sensorElementList: { sensorReport: { type: 'Temperature', value: 3 } },
      persistentDisposition: { set: 'recalled' },
      certificationInfo: 'https://cert.example.vn/1',
    }),
  );
  assert.deepEqual(event.epcList, ['urn:epc:id:sgtin:8934567.012345.1001']);
  assert.deepEqual(event.sourceList, [{ type: 'owning_party', source: 'urn:epc:id:pgln:8934567.00001' }]);
  assert.deepEqual(event.sensorElementList, [{ sensorReport: [{ type: 'Temperature', value: 3 }] }]);
  assert.deepEqual(event.persistentDisposition, { set: ['recalled'] });
  assert.equal(event.certificationInfo, 'https://cert.example.vn/1');
});
