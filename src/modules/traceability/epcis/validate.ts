/**
 * The project's own rules for EPCIS 2.0 events in JSON-LD (learnt from the EPCIS 2.0 standard, its
 * JSON schema and the CBV 2.0, written here rather than copied): required fields per event type,
 * field types, date-times, CBV vocabularies, identifiers, and extensions, which must be namespaced
 * with a prefix the @context declares. A list field may also hold a single value, as JSON-LD allows
 * (`"sourceList": {…}` is a list of one); `normaliseEvent` turns such values into arrays.
 */
import { asList, Checker } from './checker.ts';
import {
  isObject,
  type JsonObject,
  type JsonValue,
  mergePrefixes,
  type Problem,
  pointer,
  readContext,
} from './jsonld.ts';
import { FIELD_CHECKS } from './validate-fields.ts';

export const EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'] as const;
export type Action = (typeof ACTIONS)[number];

export function isEventType(value: unknown): value is EventType {
  return (EVENT_TYPES as readonly unknown[]).includes(value);
}

const COMMON_FIELDS = [
  '@context',
  'type',
  'eventTime',
  'recordTime',
  'eventTimeZoneOffset',
  'eventID',
  'certificationInfo',
  'errorDeclaration',
];
// persistentDisposition belongs to every event type in EPCIS 2.0 (the 2022 JSON schema left it out of
// some; GS1's and OpenEPCIS's AggregationEvent examples carry it)
const WHY = ['bizStep', 'disposition', 'persistentDisposition', 'readPoint', 'bizLocation'];
const LISTS = ['bizTransactionList', 'sourceList', 'destinationList', 'sensorElementList'];
const PARENT_CHILD = ['parentID', 'childEPCs', 'childQuantityList', 'action', ...WHY, ...LISTS];

/** The fields each event type has besides the common ones (EPCIS 2.0 §7.4). */
export const EVENT_FIELDS: Record<EventType, readonly string[]> = {
  ObjectEvent: ['action', 'epcList', 'quantityList', ...WHY, ...LISTS, 'ilmd'],
  AggregationEvent: PARENT_CHILD,
  AssociationEvent: PARENT_CHILD,
  TransactionEvent: ['parentID', 'epcList', 'quantityList', 'action', ...WHY, ...LISTS],
  TransformationEvent: [
    'inputEPCList',
    'inputQuantityList',
    'outputEPCList',
    'outputQuantityList',
    'transformationID',
    ...WHY,
    ...LISTS,
    'ilmd',
  ],
};
const ANY_EVENT_FIELD = new Set([...COMMON_FIELDS, ...Object.values(EVENT_FIELDS).flat()]);

/** Fields whose value is a list; JSON-LD lets a list of one be written as the value alone. */
export const LIST_FIELDS = new Set([
  'epcList',
  'childEPCs',
  'inputEPCList',
  'outputEPCList',
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
  'bizTransactionList',
  'sourceList',
  'destinationList',
  'sensorElementList',
  'certificationInfo',
]);

const hasItems = (value: JsonValue | undefined) => asList(value).length > 0;

const an = (type: string) => (/^[AEIOU]/.test(type) ? `an ${type}` : `a ${type}`);

/** The rules that tie fields together, per event type (EPCIS 2.0 §7.4, the JSON schema's anyOf). */
function checkTypeRules(c: Checker, type: EventType, event: JsonObject, path: string): void {
  const action = event.action;
  if (type !== 'TransformationEvent' && action === undefined) c.add(path, `${an(type)} needs an action`);
  switch (type) {
    case 'ObjectEvent':
      if (
        event.epcList === undefined &&
        !hasItems(event.quantityList) &&
        !(hasItems(event.sensorElementList) && event.readPoint !== undefined)
      ) {
        c.add(path, 'an ObjectEvent needs an epcList, a quantityList, or sensor data with a readPoint');
      }
      if (event.ilmd !== undefined && action !== 'ADD') {
        c.add(pointer(path, 'ilmd'), 'ilmd is only allowed when action is ADD');
      }
      break;
    case 'AggregationEvent':
    case 'AssociationEvent':
      if (event.parentID === undefined && (type === 'AssociationEvent' || action !== 'OBSERVE')) {
        c.add(
          path,
          `${an(type)} needs a parentID${type === 'AggregationEvent' ? ' unless action is OBSERVE' : ''}`,
        );
      }
      if (!hasItems(event.childEPCs) && !hasItems(event.childQuantityList) && action !== 'DELETE') {
        c.add(path, `${an(type)} needs childEPCs or a childQuantityList unless action is DELETE`);
      }
      break;
    case 'TransactionEvent':
      if (!hasItems(event.bizTransactionList)) c.add(path, 'a TransactionEvent needs a bizTransactionList');
      if (event.epcList === undefined && !hasItems(event.quantityList) && action !== 'DELETE') {
        c.add(path, 'a TransactionEvent needs an epcList or a quantityList unless action is DELETE');
      }
      break;
    case 'TransformationEvent': {
      const inputs = hasItems(event.inputEPCList) || hasItems(event.inputQuantityList);
      const outputs = hasItems(event.outputEPCList) || hasItems(event.outputQuantityList);
      if (!(inputs && outputs) && !(event.transformationID !== undefined && (inputs || outputs))) {
        c.add(
          path,
          'a TransformationEvent needs inputs and outputs, or a transformationID and inputs or outputs',
        );
      }
      break;
    }
  }
}

export interface EventCheck {
  problems: Problem[];
  /** the prefixes in force for the event: the standard ones, the document's, the event's own */
  prefixes: Map<string, string>;
  /** the event's own @context entries (empty when it has none) */
  ownContext: JsonValue[];
}

/**
 * Checks one event. `outer` are the prefixes the enclosing document declares; `requireContext`
 * makes the event's own `@context` (with a standard EPCIS context) mandatory, as for a single event.
 */
export function validateEvent(
  event: unknown,
  path: string,
  outer: ReadonlyMap<string, string> = new Map(),
  requireContext = false,
): EventCheck {
  if (!isObject(event)) {
    return {
      problems: [{ path, message: 'an event must be a JSON object' }],
      prefixes: mergePrefixes(outer),
      ownContext: [],
    };
  }
  const early: Problem[] = [];
  let own = new Map<string, string>();
  let ownContext: JsonValue[] = [];
  if (event['@context'] !== undefined) {
    const context = readContext(event['@context'], pointer(path, '@context'));
    early.push(...context.problems);
    own = context.prefixes;
    ownContext = context.entries;
    if (requireContext && !context.standard) {
      early.push({
        path: pointer(path, '@context'),
        message: 'the @context must name the EPCIS 2.0 context',
      });
    }
  } else if (requireContext) {
    early.push({ path, message: 'an event needs a @context naming the EPCIS 2.0 context' });
  }
  const c = new Checker(mergePrefixes(outer, own));
  c.problems.push(...early);

  const type = event.type;
  if (type === undefined) {
    c.add(path, 'an event needs a type');
    return { problems: c.problems, prefixes: c.prefixes as Map<string, string>, ownContext };
  }
  if (!isEventType(type)) {
    c.add(
      pointer(path, 'type'),
      `${JSON.stringify(type)} is not an EPCIS event type (${EVENT_TYPES.join(', ')})`,
    );
    return { problems: c.problems, prefixes: c.prefixes as Map<string, string>, ownContext };
  }
  if (event.eventTime === undefined) c.add(path, 'an event needs an eventTime');
  if (event.eventTimeZoneOffset === undefined) c.add(path, 'an event needs an eventTimeZoneOffset');

  const fields = new Set([...COMMON_FIELDS, ...EVENT_FIELDS[type]]);
  for (const [key, value] of Object.entries(event)) {
    const at = pointer(path, key);
    if (key === '@context' || key === 'type') continue;
    if (fields.has(key)) FIELD_CHECKS[key]?.(c, value, at);
    else if (ANY_EVENT_FIELD.has(key)) c.add(at, `'${key}' is not a field of ${type}`);
  }
  c.extensions(event, ANY_EVENT_FIELD, path);
  checkTypeRules(c, type, event, path);
  return { problems: c.problems, prefixes: c.prefixes as Map<string, string>, ownContext };
}

/** The event with every list field written as an array (a JSON-LD single value becomes a list of one). */
export function normaliseEvent(event: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'sensorElementList') out[key] = asList(value).map(normaliseSensorElement);
    else if (LIST_FIELDS.has(key) && key !== 'certificationInfo') out[key] = asList(value);
    else if (key === 'persistentDisposition' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asList(v)]));
    } else if (key === 'errorDeclaration' && isObject(value) && value.correctiveEventIDs !== undefined) {
      out[key] = { ...value, correctiveEventIDs: asList(value.correctiveEventIDs) };
    } else out[key] = value;
  }
  return out;
}

function normaliseSensorElement(element: JsonValue): JsonValue {
  if (!isObject(element) || element.sensorReport === undefined) return element;
  return { ...element, sensorReport: asList(element.sensorReport) };
}
