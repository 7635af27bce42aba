import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventHashId } from './event-hash.ts';
import type { JsonObject } from './jsonld.ts';
import { type EventProjection, identifierRows, MATCH_PARAMETER_ROLES, projectionsOf } from './projection.ts';
import {
  aggregationEvent,
  associationEvent,
  CONTEXT,
  objectEvent,
  transactionEvent,
  transformationEvent,
} from './testdata/samples.ts';

const SGTIN_1001 = 'https://id.gs1.org/01/08934567123457/21/1001';
const SGTIN_1002 = 'https://id.gs1.org/01/08934567123457/21/1002';
const SSCC_1 = 'https://id.gs1.org/00/089345670000000017';
const GLN_1 = 'https://id.gs1.org/414/8934567000017';
const LGTIN_L1 = 'https://id.gs1.org/01/08934567123457/10/L1';

function roles(p: EventProjection) {
  return {
    epc: p.epc,
    parentID: p.parentID,
    inputEPC: p.inputEPC,
    outputEPC: p.outputEPC,
    epcClass: p.epcClass,
    inputEPCClass: p.inputEPCClass,
    outputEPCClass: p.outputEPCClass,
  };
}
const none = {
  epc: [],
  parentID: [],
  inputEPC: [],
  outputEPC: [],
  epcClass: [],
  inputEPCClass: [],
  outputEPCClass: [],
};

test('ObjectEvent: the scalar projections, canonical', () => {
  const p = projectionsOf(
    objectEvent({
      bizLocation: { id: 'https://dl.example.vn/414/8934567000024' },
      quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 3 }],
    }),
  );
  assert.equal(p.eventType, 'ObjectEvent');
  assert.equal(p.eventTime, '2026-05-22T01:30:00.000Z');
  assert.equal(p.eventTimeZoneOffset, '+07:00');
  assert.equal(p.action, 'OBSERVE');
  assert.equal(p.bizStep, 'https://ref.gs1.org/cbv/BizStep-shipping');
  assert.equal(p.disposition, 'https://ref.gs1.org/cbv/Disp-in_transit');
  assert.equal(p.readPoint, GLN_1);
  assert.equal(p.bizLocation, 'https://id.gs1.org/414/8934567000024');
  assert.deepEqual(roles(p), { ...none, epc: [SGTIN_1001], epcClass: [LGTIN_L1] });
});

test('identifier roles per event type, as the MATCH_ parameters read them', () => {
  const cases: [string, JsonObject, Partial<Record<keyof typeof none, string[]>>][] = [
    ['ObjectEvent: epcList → epc', objectEvent(), { epc: [SGTIN_1001] }],
    [
      'AggregationEvent: childEPCs → epc, parentID, childQuantityList → epcClass',
      aggregationEvent({
        childQuantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 1 }],
      }),
      { epc: [SGTIN_1001, SGTIN_1002], parentID: [SSCC_1], epcClass: [LGTIN_L1] },
    ],
    [
      'TransactionEvent: epcList → epc, parentID, quantityList → epcClass',
      transactionEvent({
        parentID: 'urn:epc:id:sscc:8934567.0000000001',
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 1 }],
      }),
      { epc: [SGTIN_1001], parentID: [SSCC_1], epcClass: [LGTIN_L1] },
    ],
    [
      'TransformationEvent: inputs and outputs, EPCs and classes apart',
      transformationEvent({
        inputEPCList: ['urn:epc:id:sgtin:8934567.012345.1002'],
        outputQuantityList: [{ epcClass: 'urn:epc:idpat:sgtin:8934567.054321.*', quantity: 40 }],
      }),
      {
        inputEPC: [SGTIN_1002],
        outputEPC: ['https://id.gs1.org/01/08934567543217/21/1'],
        inputEPCClass: ['https://id.gs1.org/01/08934567123457/10/LOT1'],
        outputEPCClass: ['https://id.gs1.org/01/08934567543217'],
      },
    ],
    [
      'AssociationEvent: childEPCs → epc, parentID',
      associationEvent(),
      {
        epc: ['https://id.gs1.org/8004/8934567SENSOR1'],
        parentID: ['https://id.gs1.org/8003/089345670000177'],
      },
    ],
  ];
  for (const [name, event, expected] of cases) {
    assert.deepEqual(roles(projectionsOf(event)), { ...none, ...expected }, name);
  }
});

test('MATCH_anyEPC and MATCH_anyEPCClass cover the roles of the specific parameters', () => {
  assert.deepEqual(MATCH_PARAMETER_ROLES.MATCH_epc, ['epc']);
  assert.deepEqual([...MATCH_PARAMETER_ROLES.MATCH_anyEPC!].sort(), [
    'epc',
    'inputEPC',
    'outputEPC',
    'parentID',
  ]);
  assert.deepEqual([...MATCH_PARAMETER_ROLES.MATCH_anyEPCClass!].sort(), [
    'epcClass',
    'inputEPCClass',
    'outputEPCClass',
  ]);
});

test('one object written as URN and as Digital Link URI is indexed once', () => {
  const p = projectionsOf(objectEvent({ epcList: ['urn:epc:id:sgtin:8934567.012345.1001', SGTIN_1001] }));
  assert.deepEqual(p.epc, [SGTIN_1001]);
});

test('identifiers that are not GS1 are stored as written; CURIEs expanded', () => {
  const p = projectionsOf(
    objectEvent({
      '@context': [CONTEXT, { farm: 'https://farm.example.vn/id/' }],
      epcList: ['urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e', 'farm:basket-7'],
      readPoint: { id: 'geo:10.7769,106.7009' },
      bizStep: 'farm:drying',
      disposition: 'urn:epcglobal:cbv:disp:in_progress',
    }),
  );
  assert.deepEqual(p.epc, [
    'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e',
    'https://farm.example.vn/id/basket-7',
  ]);
  assert.equal(p.readPoint, 'geo:10.7769,106.7009');
  assert.equal(p.bizStep, 'https://farm.example.vn/id/drying');
  assert.equal(p.disposition, 'https://ref.gs1.org/cbv/Disp-in_progress');
});

test('eventID: the given one, else the event hash ID; TransformationEvent has no action', () => {
  const given = projectionsOf(objectEvent({ eventID: 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e' }));
  assert.equal(given.eventID, 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e');
  const event = transformationEvent();
  const computed = projectionsOf(event);
  assert.equal(computed.eventID, eventHashId(event));
  assert.equal(computed.action, null);
  assert.equal(computed.bizLocation, null);
});

test('identifierRows: one row per role and identifier', () => {
  const rows = identifierRows(projectionsOf(aggregationEvent()));
  assert.deepEqual(rows, [
    { role: 'epc', identifier: SGTIN_1001 },
    { role: 'epc', identifier: SGTIN_1002 },
    { role: 'parentID', identifier: SSCC_1 },
  ]);
});
