/** Minimal valid events and documents for the tests (fresh objects on every call). */
import type { JsonObject } from '../jsonld.ts';

export const CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';
export const EXAMPLE_NS = 'https://ns.example.com/epcis/';

export function objectEvent(extra: JsonObject = {}): JsonObject {
  return {
    type: 'ObjectEvent',
    eventTime: '2026-05-22T08:30:00.000+07:00',
    eventTimeZoneOffset: '+07:00',
    epcList: ['urn:epc:id:sgtin:8934567.012345.1001'],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:8934567.00001.0' },
    ...extra,
  };
}

export function aggregationEvent(extra: JsonObject = {}): JsonObject {
  return {
    type: 'AggregationEvent',
    eventTime: '2026-05-22T09:00:00+07:00',
    eventTimeZoneOffset: '+07:00',
    parentID: 'urn:epc:id:sscc:8934567.0000000001',
    childEPCs: ['urn:epc:id:sgtin:8934567.012345.1001', 'urn:epc:id:sgtin:8934567.012345.1002'],
    action: 'ADD',
    bizStep: 'packing',
    ...extra,
  };
}

export function transactionEvent(extra: JsonObject = {}): JsonObject {
  return {
    type: 'TransactionEvent',
    eventTime: '2026-05-22T10:00:00Z',
    eventTimeZoneOffset: '+07:00',
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:8934567000009:PO-1' }],
    epcList: ['urn:epc:id:sgtin:8934567.012345.1001'],
    action: 'ADD',
    ...extra,
  };
}

export function transformationEvent(extra: JsonObject = {}): JsonObject {
  return {
    type: 'TransformationEvent',
    eventTime: '2026-05-22T11:00:00+07:00',
    eventTimeZoneOffset: '+07:00',
    inputQuantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.LOT1', quantity: 25.5, uom: 'KGM' }],
    outputEPCList: ['urn:epc:id:sgtin:8934567.054321.1'],
    bizStep: 'commissioning',
    ...extra,
  };
}

export function associationEvent(extra: JsonObject = {}): JsonObject {
  return {
    type: 'AssociationEvent',
    eventTime: '2026-05-22T12:00:00+07:00',
    eventTimeZoneOffset: '+07:00',
    parentID: 'urn:epc:id:grai:8934567.00001.7',
    childEPCs: ['urn:epc:id:giai:8934567.SENSOR1'],
    action: 'ADD',
    bizStep: 'assembling',
    ...extra,
  };
}

export function captureDocument(events: JsonObject[], extra: JsonObject = {}): JsonObject {
  return {
    '@context': [CONTEXT, { example: EXAMPLE_NS }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-05-22T12:30:00.000+07:00',
    epcisBody: { eventList: events },
    ...extra,
  };
}
