/** The checks of each standard event field and of the structures inside them (EPCIS 2.0 §7.3). */
import type { Checker } from './checker.ts';
import { isTimeZoneOffset } from './datetime.ts';
import { expandCurie, type JsonValue, pointer } from './jsonld.ts';

const HEX = /^[A-Fa-f0-9]+$/;
const ACTION_VALUES: readonly unknown[] = ['ADD', 'OBSERVE', 'DELETE'];

const QUANTITY_ELEMENT = ['epcClass', 'quantity', 'uom'];

function checkQuantityElement(c: Checker, item: JsonValue, at: string): void {
  if (!c.object(item, at, 'a quantity element')) return;
  if (item.epcClass === undefined) c.add(at, 'a quantity element needs an epcClass');
  else c.identifier(item.epcClass, pointer(at, 'epcClass'));
  if (item.quantity !== undefined) c.number(item.quantity, pointer(at, 'quantity'), 'quantity');
  if (item.uom !== undefined) c.uom(item.uom, pointer(at, 'uom'));
  for (const key of Object.keys(item)) {
    if (!QUANTITY_ELEMENT.includes(key))
      c.add(pointer(at, key), `'${key}' is not a field of a quantity element`);
  }
}

function checkLocation(c: Checker, value: JsonValue | undefined, path: string, what: string): void {
  if (!c.object(value, path, what)) return;
  if (value.id === undefined) c.add(path, `${what} needs an id`);
  else c.identifier(value.id, pointer(path, 'id'));
  c.extensions(value, ['id'], path);
}

function checkBizTransaction(c: Checker, item: JsonValue, at: string): void {
  if (!c.object(item, at, 'a business transaction')) return;
  if (item.bizTransaction === undefined) c.add(at, 'a business transaction needs a bizTransaction');
  else c.uri(item.bizTransaction, pointer(at, 'bizTransaction'), 'bizTransaction');
  if (item.type !== undefined) c.vocabulary('bizTransactionType', item.type, pointer(at, 'type'));
  for (const key of Object.keys(item)) {
    if (key !== 'type' && key !== 'bizTransaction') {
      c.add(pointer(at, key), `'${key}' is not a field of a business transaction`);
    }
  }
}

function checkSourceOrDestination(
  c: Checker,
  item: JsonValue,
  at: string,
  field: 'source' | 'destination',
): void {
  if (!c.object(item, at, `a ${field}`)) return;
  if (item.type === undefined) c.add(at, `a ${field} needs a type`);
  else c.vocabulary('sourceDestType', item.type, pointer(at, 'type'));
  if (item[field] === undefined) c.add(at, `a ${field} needs a ${field} identifier`);
  else c.identifier(item[field], pointer(at, field));
  for (const key of Object.keys(item)) {
    if (key !== 'type' && key !== field) c.add(pointer(at, key), `'${key}' is not a field of a ${field}`);
  }
}

function checkPersistentDisposition(c: Checker, value: JsonValue | undefined, path: string): void {
  if (!c.object(value, path, 'persistentDisposition')) return;
  if (value.set === undefined && value.unset === undefined)
    c.add(path, 'persistentDisposition needs set or unset');
  for (const [key, list] of Object.entries(value)) {
    if (key !== 'set' && key !== 'unset') {
      c.add(pointer(path, key), `'${key}' is not a field of persistentDisposition`);
      continue;
    }
    c.list(list, pointer(path, key), (item, at) => c.vocabulary('disposition', item, at), {
      min: 1,
      unique: true,
    });
  }
}

const SENSOR_METADATA_URIS = ['deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules'];
const SENSOR_METADATA_TIMES = ['time', 'startTime', 'endTime'];
const SENSOR_REPORT_URIS = [
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
  'microorganism',
  'chemicalSubstance',
  'coordinateReferenceSystem',
  'uriValue',
];
const SENSOR_REPORT_NUMBERS = ['value', 'minValue', 'maxValue', 'meanValue', 'sDev', 'percRank', 'percValue'];
const SENSOR_REPORT_FIELDS = [
  'type',
  'exception',
  'time',
  'component',
  'stringValue',
  'booleanValue',
  'hexBinaryValue',
  'uom',
  ...SENSOR_REPORT_URIS,
  ...SENSOR_REPORT_NUMBERS,
];
const SENSOR_ELEMENT_TYPES = new Set(['SensorElement', 'https://ref.gs1.org/epcis/SensorElement']);

function checkSensorReport(c: Checker, item: JsonValue, at: string): void {
  if (!c.object(item, at, 'a sensor report')) return;
  if (item.type === undefined) c.add(at, 'a sensor report needs a type');
  else c.vocabulary('measurementType', item.type, pointer(at, 'type'));
  if (item.exception !== undefined) c.vocabulary('sensorAlertType', item.exception, pointer(at, 'exception'));
  if (item.component !== undefined) c.vocabulary('component', item.component, pointer(at, 'component'));
  if (item.time !== undefined) c.dateTime(item.time, pointer(at, 'time'), 'time');
  for (const key of SENSOR_REPORT_URIS) if (item[key] !== undefined) c.uri(item[key], pointer(at, key), key);
  for (const key of SENSOR_REPORT_NUMBERS)
    if (item[key] !== undefined) c.number(item[key], pointer(at, key), key);
  if (item.stringValue !== undefined && typeof item.stringValue !== 'string') {
    c.add(pointer(at, 'stringValue'), 'stringValue must be a string');
  }
  if (item.booleanValue !== undefined && typeof item.booleanValue !== 'boolean') {
    c.add(pointer(at, 'booleanValue'), 'booleanValue must be true or false');
  }
  if (
    item.hexBinaryValue !== undefined &&
    (typeof item.hexBinaryValue !== 'string' || !HEX.test(item.hexBinaryValue))
  ) {
    c.add(pointer(at, 'hexBinaryValue'), 'hexBinaryValue must be hexadecimal digits');
  }
  if (item.uom !== undefined) c.uom(item.uom, pointer(at, 'uom'));
  c.extensions(item, SENSOR_REPORT_FIELDS, at);
}

function checkSensorElement(c: Checker, item: JsonValue, at: string): void {
  if (!c.object(item, at, 'a sensor element')) return;
  if (item.sensorMetadata !== undefined) {
    const path = pointer(at, 'sensorMetadata');
    const metadata = item.sensorMetadata;
    if (c.object(metadata, path, 'sensorMetadata')) {
      for (const key of SENSOR_METADATA_TIMES) {
        if (metadata[key] !== undefined) c.dateTime(metadata[key], pointer(path, key), key);
      }
      for (const key of SENSOR_METADATA_URIS) {
        if (metadata[key] !== undefined) c.uri(metadata[key], pointer(path, key), key);
      }
      c.extensions(metadata, [...SENSOR_METADATA_TIMES, ...SENSOR_METADATA_URIS], path);
    }
  }
  if (item.sensorReport === undefined) c.add(at, 'a sensor element needs a sensorReport');
  else
    c.list(item.sensorReport, pointer(at, 'sensorReport'), (r, p) => checkSensorReport(c, r, p), { min: 1 });
  if (
    item.type !== undefined &&
    !(typeof item.type === 'string' && SENSOR_ELEMENT_TYPES.has(expandCurie(item.type, c.prefixes)))
  ) {
    c.add(pointer(at, 'type'), "a sensor element's type can only be epcis:SensorElement");
  }
  c.extensions(item, ['sensorMetadata', 'sensorReport', 'type'], at);
}

function checkErrorDeclaration(c: Checker, value: JsonValue | undefined, path: string): void {
  if (!c.object(value, path, 'errorDeclaration')) return;
  if (value.declarationTime === undefined) c.add(path, 'errorDeclaration needs a declarationTime');
  else c.dateTime(value.declarationTime, pointer(path, 'declarationTime'), 'declarationTime');
  if (value.reason !== undefined) c.vocabulary('errorReason', value.reason, pointer(path, 'reason'));
  if (value.correctiveEventIDs !== undefined) {
    c.list(value.correctiveEventIDs, pointer(path, 'correctiveEventIDs'), (id, at) =>
      c.uri(id, at, 'an eventID'),
    );
  }
  c.extensions(value, ['declarationTime', 'reason', 'correctiveEventIDs'], path);
}

function checkIlmd(c: Checker, value: JsonValue | undefined, path: string): void {
  if (!c.object(value, path, 'ilmd')) return;
  c.extensions(value, [], path);
}

export type FieldCheck = (c: Checker, value: JsonValue | undefined, path: string) => void;
const identifiers: FieldCheck = (c, v, p) => c.list(v, p, (id, at) => c.identifier(id, at), { unique: true });
const quantities: FieldCheck = (c, v, p) => c.list(v, p, (q, at) => checkQuantityElement(c, q, at));

export const FIELD_CHECKS: Record<string, FieldCheck> = {
  eventTime: (c, v, p) => c.dateTime(v, p, 'eventTime'),
  recordTime: (c, v, p) => c.dateTime(v, p, 'recordTime'),
  eventTimeZoneOffset: (c, v, p) => {
    if (!isTimeZoneOffset(v)) c.add(p, 'eventTimeZoneOffset must be ±hh:mm, from -14:00 to +14:00');
  },
  eventID: (c, v, p) => c.uri(v, p, 'eventID'),
  certificationInfo: (c, v, p) => c.list(v, p, (x, at) => c.uri(x, at, 'certificationInfo')),
  errorDeclaration: checkErrorDeclaration,
  action: (c, v, p) => {
    if (!ACTION_VALUES.includes(v))
      c.add(p, `action must be ADD, OBSERVE or DELETE, not ${JSON.stringify(v)}`);
  },
  epcList: identifiers,
  childEPCs: identifiers,
  inputEPCList: identifiers,
  outputEPCList: identifiers,
  parentID: (c, v, p) => c.identifier(v, p),
  transformationID: (c, v, p) => c.uri(v, p, 'transformationID'),
  quantityList: quantities,
  childQuantityList: quantities,
  inputQuantityList: quantities,
  outputQuantityList: quantities,
  bizStep: (c, v, p) => c.vocabulary('bizStep', v, p),
  disposition: (c, v, p) => c.vocabulary('disposition', v, p),
  persistentDisposition: checkPersistentDisposition,
  readPoint: (c, v, p) => checkLocation(c, v, p, 'readPoint'),
  bizLocation: (c, v, p) => checkLocation(c, v, p, 'bizLocation'),
  bizTransactionList: (c, v, p) => c.list(v, p, (x, at) => checkBizTransaction(c, x, at)),
  sourceList: (c, v, p) => c.list(v, p, (x, at) => checkSourceOrDestination(c, x, at, 'source')),
  destinationList: (c, v, p) => c.list(v, p, (x, at) => checkSourceOrDestination(c, x, at, 'destination')),
  sensorElementList: (c, v, p) => c.list(v, p, (x, at) => checkSensorElement(c, x, at)),
  ilmd: checkIlmd,
};
