import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { canonicalNumber, eventHashId, isEventHashId, preHashString } from './event-hash.ts';
import { isObject, type JsonObject, type JsonValue, mergePrefixes, readContext } from './jsonld.ts';

interface Vector {
  name: string;
  context: JsonValue;
  event: JsonObject;
  hash: string;
}
const fixture = JSON.parse(
  fs.readFileSync(new URL('./testdata/event-hash-vectors.json', import.meta.url), 'utf8'),
) as { source: string; licence: string; vectors: Vector[] };

test(`the reference implementation's test vectors (${fixture.vectors.length} events) hash alike`, () => {
  for (const v of fixture.vectors) {
    const prefixes = mergePrefixes(readContext(v.context, '').prefixes);
    assert.equal(eventHashId(v.event, prefixes), v.hash, `${v.name}\n${preHashString(v.event, prefixes)}`);
  }
});

test('the pre-hash string of a small event, field by field', () => {
  const event: JsonObject = {
    eventTimeZoneOffset: '+07:00',
    type: 'ObjectEvent',
    readPoint: { 'example:dock': ' 3 ', id: 'urn:epc:id:sgln:8934567.00001.0' },
    action: 'OBSERVE',
    'example:farm': { 'example:plot': 'A-7', 'example:area': 1.5 },
    epcList: ['urn:epc:id:sgtin:8934567.012345.1002', 'urn:epc:id:sgtin:8934567.012345.1001'],
    bizStep: 'shipping',
    eventTime: '2026-05-22T08:30:00+07:00',
    bizTransactionList: [{ bizTransaction: 'urn:epcglobal:cbv:bt:8934567000009:PO-1', type: 'po' }],
    eventID: 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e',
    recordTime: '2026-05-22T09:00:00Z',
  };
  const prefixes = mergePrefixes(new Map([['example', 'https://ns.example.com/epcis/']]));
  assert.equal(
    preHashString(event, prefixes),
    'eventType=ObjectEvent' +
      'eventTime=2026-05-22T01:30:00.000Z' +
      'eventTimeZoneOffset=+07:00' +
      'epcList' +
      'epc=https://id.gs1.org/01/08934567123457/21/1001' +
      'epc=https://id.gs1.org/01/08934567123457/21/1002' +
      'action=OBSERVE' +
      'bizStep=https://ref.gs1.org/cbv/BizStep-shipping' +
      'readPointid=https://id.gs1.org/414/8934567000017{https://ns.example.com/epcis/}dock=3' +
      'bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epcglobal:cbv:bt:8934567000009:PO-1' +
      '{https://ns.example.com/epcis/}farm{https://ns.example.com/epcis/}area=1.5{https://ns.example.com/epcis/}plot=A-7',
  );
  assert.match(eventHashId(event, prefixes), /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
});

// --- one event, many serialisations ------------------------------------------------------------

const EXT = { ext1: 'http://example.com/ext1/', example: 'https://ns.example.com/epcis/' };

/**
 * The ObjectEvent of GS1's XML example WithEventHashID/event_with_identical_hash_id_1.xml, written
 * here as JSON-LD (URNs for identifiers and CBV values, times at -06:00, the XML's field order).
 */
function hashIdEvent(): JsonObject {
  return {
    type: 'ObjectEvent',
    eventTime: '2005-04-04T20:33:31.116-06:00',
    eventTimeZoneOffset: '-06:00',
    epcList: [
      'urn:epc:id:sgtin:0614141.107346.2016',
      'urn:epc:id:sgtin:0614141.107346.2017',
      'urn:epc:id:sgtin:0614141.107346.2018',
    ],
    action: 'ADD',
    bizStep: 'urn:epcglobal:cbv:bizstep:receiving',
    disposition: 'urn:epcglobal:cbv:disp:in_progress',
    readPoint: { id: 'urn:epc:id:sgln:0012345.11111.400' },
    bizLocation: { id: 'urn:epc:id:sgln:0012345.11111.0' },
    bizTransactionList: [
      { type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'urn:epc:id:gdti:0614141.00001.1618034' },
    ],
    quantityList: [
      { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200, uom: 'KGM' },
      { epcClass: 'urn:epc:class:lgtin:4012345.012345.998876', quantity: 300, uom: 'KGM' },
    ],
    sourceList: [
      { type: 'urn:epcglobal:cbv:sdt:location', source: 'urn:epc:id:sgln:4012345.00225.0' },
      { type: 'urn:epcglobal:cbv:sdt:possessing_party', source: 'urn:epc:id:pgln:4012345.00225' },
      { type: 'urn:epcglobal:cbv:sdt:owning_party', source: 'urn:epc:id:pgln:4012345.00225' },
    ],
    destinationList: [
      { type: 'urn:epcglobal:cbv:sdt:location', destination: 'urn:epc:id:sgln:0614141.00777.0' },
      { type: 'urn:epcglobal:cbv:sdt:possessing_party', destination: 'urn:epc:id:pgln:0614141.00777' },
      { type: 'urn:epcglobal:cbv:sdt:owning_party', destination: 'urn:epc:id:pgln:0614141.00777' },
    ],
    sensorElementList: [
      {
        sensorMetadata: {
          time: '2019-04-02T14:05:00.000+01:00',
          deviceID: 'urn:epc:id:giai:4000001.111',
          deviceMetadata: 'https://id.gs1.org/8004/4000001111',
          rawData: 'https://example.org/8004/401234599999',
          startTime: '2019-04-02T13:55:01.000+01:00',
          endTime: '2019-04-02T14:55:00.000+01:00',
          bizRules: 'https://example.com/253/4012345000054987',
          dataProcessingMethod: 'https://example.com/253/4012345000054987',
          'ext1:someFurtherMetadata': 'someText',
        },
        sensorReport: [
          {
            value: 26.0,
            type: 'gs1:Temperature',
            component: 'example:x',
            stringValue: 'SomeString',
            booleanValue: true,
            hexBinaryValue: 'f0f0f0',
            uriValue: 'https://id.gs1.org/8004/4000001111',
            uom: 'CEL',
            minValue: 26.0,
            maxValue: 26.2,
            sDev: 0.1,
            chemicalSubstance: 'https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N',
            microorganism: 'https://www.ncbi.nlm.nih.gov/taxonomy/1126011',
            deviceID: 'urn:epc:id:giai:4000001.111',
            deviceMetadata: 'https://id.gs1.org/8004/4000001111',
            rawData: 'https://example.org/8004/401234599999',
            time: '2019-07-19T14:00:00.000+01:00',
            meanValue: 13.2,
            percRank: 50,
            percValue: 12.7,
            dataProcessingMethod: 'https://example.com/253/4012345000054987',
            'ext1:someFurtherReportData': 'someText',
          },
        ],
        'ext1:default': 'stringAsDefaultValue',
        'ext1:int': 10,
        'ext1:float': 20,
      },
    ],
    persistentDisposition: {
      unset: ['urn:epcglobal:cbv:disp:completeness_inferred'],
      set: ['urn:epcglobal:cbv:disp:completeness_verified'],
    },
    ilmd: { 'ext1:default': 'stringAsDefaultValue', 'ext1:int': 10, 'ext1:float': 20 },
    'ext1:default': 'stringAsDefaultValue',
    'ext1:int': 10,
    'ext1:float': 20,
  };
}

/** Keys in reverse order and lists reversed, at every level. */
function reversed(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return [...value].reverse().map(reversed);
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  return value;
}

/** Replaces string values wherever they occur. */
function replacing(value: JsonValue, map: Record<string, JsonValue>): JsonValue {
  if (typeof value === 'string' && value in map) return map[value]!;
  if (Array.isArray(value)) return value.map((v) => replacing(v, map));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replacing(v, map)]));
  return value;
}

const AS_DIGITAL_LINK: Record<string, JsonValue> = {
  'urn:epc:id:sgtin:0614141.107346.2016': 'https://id.gs1.org/01/10614141073464/21/2016',
  // any domain, and a lot next to the serial: the finest level (the serial) is what counts
  'urn:epc:id:sgtin:0614141.107346.2017': 'https://dl.example.vn/01/10614141073464/10/LOT-9/21/2017',
  'urn:epc:id:sgtin:0614141.107346.2018': 'https://id.gs1.org/01/10614141073464/21/2018?linkType=gs1:pip',
  'urn:epc:id:sgln:0012345.11111.400': 'https://id.gs1.org/414/0012345111112/254/400',
  'urn:epc:id:sgln:0012345.11111.0': 'https://id.gs1.org/414/0012345111112',
  'urn:epc:id:gdti:0614141.00001.1618034': 'https://id.gs1.org/253/06141410000121618034',
  'urn:epc:class:lgtin:4012345.012345.998877': 'https://id.gs1.org/01/04012345123456/10/998877',
  'urn:epc:class:lgtin:4012345.012345.998876': 'https://shop.example.com/01/04012345123456/10/998876',
  'urn:epc:id:pgln:4012345.00225': 'https://id.gs1.org/417/4012345002256',
  'urn:epc:id:giai:4000001.111': 'https://id.gs1.org/8004/4000001111',
};

const AS_BARE_WORDS: Record<string, JsonValue> = {
  'urn:epcglobal:cbv:bizstep:receiving': 'receiving',
  'urn:epcglobal:cbv:disp:in_progress': 'in_progress',
  'urn:epcglobal:cbv:btt:po': 'po',
  'urn:epcglobal:cbv:sdt:location': 'location',
  'urn:epcglobal:cbv:sdt:possessing_party': 'possessing_party',
  'urn:epcglobal:cbv:sdt:owning_party': 'owning_party',
  'urn:epcglobal:cbv:disp:completeness_inferred': 'completeness_inferred',
  'urn:epcglobal:cbv:disp:completeness_verified': 'completeness_verified',
  'gs1:Temperature': 'Temperature',
};

const AS_WEB_URIS: Record<string, JsonValue> = {
  'urn:epcglobal:cbv:bizstep:receiving': 'https://ref.gs1.org/cbv/BizStep-receiving',
  'urn:epcglobal:cbv:disp:in_progress': 'cbv:Disp-in_progress',
  'urn:epcglobal:cbv:btt:po': 'https://ref.gs1.org/cbv/BTT-po',
  'urn:epcglobal:cbv:sdt:location': 'cbv:SDT-location',
  'gs1:Temperature': 'https://gs1.org/voc/Temperature',
  'example:x': 'https://ns.example.com/epcis/x',
};

const IN_UTC: Record<string, JsonValue> = {
  '2005-04-04T20:33:31.116-06:00': '2005-04-05T02:33:31.116Z',
  '2019-04-02T14:05:00.000+01:00': '2019-04-02T13:05:00Z',
  '2019-04-02T13:55:01.000+01:00': '2019-04-02T19:55:01.000+07:00',
  '2019-07-19T14:00:00.000+01:00': '2019-07-19T13:00:00.0000Z',
};

const NUMBERS_WRITTEN_OTHERWISE: Record<string, JsonValue> = {
  stringAsDefaultValue: ' stringAsDefaultValue ',
};

test('one event, many serialisations, one hash ID (GS1 WithEventHashID, as JSON-LD)', () => {
  const prefixes = mergePrefixes(new Map(Object.entries(EXT)));
  const base = hashIdEvent();
  const expected = eventHashId(base, prefixes);
  const variants: [string, JsonValue][] = [
    ['keys and lists in reverse order', reversed(base)],
    ['EPC URNs as Digital Link URIs', replacing(base, AS_DIGITAL_LINK)],
    ['CBV URNs as bare words', replacing(base, AS_BARE_WORDS)],
    ['CBV URNs as Web URIs and CURIEs', replacing(base, AS_WEB_URIS)],
    ['times written in other offsets (eventTimeZoneOffset kept)', replacing(base, IN_UTC)],
    [
      'numbers as 200.0, "10", whitespace around values',
      {
        ...(replacing(base, NUMBERS_WRITTEN_OTHERWISE) as JsonObject),
        'ext1:int': '10',
        'ext1:float': '20.0',
      },
    ],
    [
      'recordTime, eventID, errorDeclaration and a comment added',
      {
        ...base,
        recordTime: '2026-01-01T00:00:00Z',
        eventID: 'urn:uuid:9d0d5f3e-0000-4000-8000-000000000001',
        errorDeclaration: { declarationTime: '2026-01-02T00:00:00Z' },
        'rdfs:comment': 'checked',
      },
    ],
    [
      'all of it at once',
      reversed(replacing(replacing(replacing(base, AS_DIGITAL_LINK), AS_BARE_WORDS), IN_UTC)),
    ],
  ];
  for (const [name, variant] of variants) {
    assert.equal(eventHashId(variant as JsonObject, prefixes), expected, name);
  }
  // the XML example's second event also moves eventTimeZoneOffset to -05:00: eventTimeZoneOffset is
  // part of the CBV 2.0 pre-hash (3rd in the canonical order), so that event hashes differently
  const otherZone = { ...base, eventTime: '2005-04-04T21:33:31.116-05:00', eventTimeZoneOffset: '-05:00' };
  assert.notEqual(eventHashId(otherZone, prefixes), expected);
  assert.equal(eventHashId({ ...otherZone, eventTimeZoneOffset: '-06:00' }, prefixes), expected);
});

test('any change of content changes the hash ID', () => {
  const prefixes = mergePrefixes(new Map(Object.entries(EXT)));
  const base = hashIdEvent();
  const expected = eventHashId(base, prefixes);
  const changes: [string, JsonObject][] = [
    [
      'an EPC',
      replacing(base, {
        'urn:epc:id:sgtin:0614141.107346.2016': 'urn:epc:id:sgtin:0614141.107346.2019',
      }) as JsonObject,
    ],
    ['the event time by 1 ms', { ...base, eventTime: '2005-04-04T20:33:31.117-06:00' }],
    ['the action', { ...base, action: 'OBSERVE' }],
    ['the type', { ...base, type: 'TransactionEvent' }],
    ['a quantity', replacing(base, {}) as JsonObject],
    ['a disposition', { ...base, disposition: 'in_transit' }],
    [
      'set and unset swapped',
      {
        ...base,
        persistentDisposition: { set: ['completeness_inferred'], unset: ['completeness_verified'] },
      },
    ],
    ['an extension value', { ...base, 'ext1:default': 'other' }],
    ['an extension added', { ...base, 'ext1:extra': 'x' }],
    ['an ilmd value', { ...base, ilmd: { 'ext1:default': 'x' } }],
    [
      'a sensor value',
      { ...base, sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 26.1 }] }] },
    ],
    ['the readPoint', { ...base, readPoint: { id: 'urn:epc:id:sgln:0012345.11111.401' } }],
    [
      'a source type',
      { ...base, sourceList: [{ type: 'location', source: 'urn:epc:id:pgln:4012345.00225' }] },
    ],
    ['a field removed', Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'bizLocation'))],
  ];
  (changes[4]![1].quantityList as JsonObject[])[0] = {
    epcClass: 'urn:epc:class:lgtin:4012345.012345.998877',
    quantity: 201,
    uom: 'KGM',
  };
  for (const [name, changed] of changes) assert.notEqual(eventHashId(changed, prefixes), expected, name);
});

test('an event carries its own prefixes: the hash of a stored event needs nothing else', () => {
  const event = {
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', EXT],
    ...hashIdEvent(),
  };
  const prefixes = mergePrefixes(new Map(Object.entries(EXT)));
  assert.equal(eventHashId(event), eventHashId(hashIdEvent(), prefixes));
});

test('numbers: no trailing zeros, shortest form', () => {
  const cases: [number, string][] = [
    [1, '1'],
    [1.0, '1'],
    [200.5, '200.5'],
    [0.1, '0.1'],
    [-0, '0'],
    [-3.25, '-3.25'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [2 ** 64, '18446744073709551616'],
    [42.698334, '42.698334'],
  ];
  for (const [n, text] of cases) assert.equal(canonicalNumber(n), text, String(n));
});

test('isEventHashId', () => {
  assert.equal(isEventHashId(eventHashId(hashIdEvent())), true);
  assert.equal(isEventHashId('urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e'), false);
  assert.equal(isEventHashId('ni:///sha-256;abc?ver=CBV2.0'), false);
});
