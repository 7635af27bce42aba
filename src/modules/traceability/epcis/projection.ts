/**
 * What the repository indexes of an event for the EPCIS 2.0 SimpleEventQuery (§8.2.7.1), every
 * value in canonical form (CBV values as Web URIs, GS1 identifiers by platform/gs1, times in UTC):
 *  - eventType, eventTime (GE_/LT_eventTime), eventTimeZoneOffset, action (EQ_action), bizStep,
 *    disposition, readPoint, bizLocation (EQ_…, WD_…), eventID (EQ_eventID);
 *  - identifiers by role, as the MATCH_ parameters read them:
 *      epc            epcList and childEPCs          (MATCH_epc)
 *      parentID       parentID                       (MATCH_parentID)
 *      inputEPC       inputEPCList                   (MATCH_inputEPC)
 *      outputEPC      outputEPCList                  (MATCH_outputEPC)
 *      epcClass       quantityList, childQuantityList (MATCH_epcClass)
 *      inputEPCClass  inputQuantityList              (MATCH_inputEPCClass)
 *      outputEPCClass outputQuantityList             (MATCH_outputEPCClass)
 *    MATCH_anyEPC is epc ∪ parentID ∪ inputEPC ∪ outputEPC; MATCH_anyEPCClass is the three class roles.
 */
import { utcMillisecondString } from './datetime.ts';
import { eventHashId, prefixesOf } from './event-hash.ts';
import { canonicalIdentifier } from './identifiers.ts';
import { expandCurie, isObject, type JsonObject, type JsonValue, type Prefixes } from './jsonld.ts';
import { ACTIONS, type Action, type EventType } from './validate.ts';
import { type CbvVocabulary, canonicalCbvValue } from './vocabulary.ts';

export const IDENTIFIER_ROLES = [
  'epc',
  'parentID',
  'inputEPC',
  'outputEPC',
  'epcClass',
  'inputEPCClass',
  'outputEPCClass',
] as const;
export type IdentifierRole = (typeof IDENTIFIER_ROLES)[number];

/** The SimpleEventQuery MATCH_ parameters and the roles each one searches (§8.2.7.1). */
export const MATCH_PARAMETER_ROLES: Readonly<Record<string, readonly IdentifierRole[]>> = {
  MATCH_epc: ['epc'],
  MATCH_parentID: ['parentID'],
  MATCH_inputEPC: ['inputEPC'],
  MATCH_outputEPC: ['outputEPC'],
  MATCH_anyEPC: ['epc', 'parentID', 'inputEPC', 'outputEPC'],
  MATCH_epcClass: ['epcClass'],
  MATCH_inputEPCClass: ['inputEPCClass'],
  MATCH_outputEPCClass: ['outputEPCClass'],
  MATCH_anyEPCClass: ['epcClass', 'inputEPCClass', 'outputEPCClass'],
};

export interface EventProjection extends Record<IdentifierRole, string[]> {
  eventID: string;
  eventType: EventType;
  /** the UTC instant, with milliseconds: `2005-04-04T02:33:31.116Z` */
  eventTime: string;
  eventTimeZoneOffset: string;
  action: Action | null;
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
}

/** Which fields feed which role. */
const ROLE_SOURCES: Record<IdentifierRole, readonly { field: string; inQuantities?: boolean }[]> = {
  epc: [{ field: 'epcList' }, { field: 'childEPCs' }],
  parentID: [{ field: 'parentID' }],
  inputEPC: [{ field: 'inputEPCList' }],
  outputEPC: [{ field: 'outputEPCList' }],
  epcClass: [
    { field: 'quantityList', inQuantities: true },
    { field: 'childQuantityList', inQuantities: true },
  ],
  inputEPCClass: [{ field: 'inputQuantityList', inQuantities: true }],
  outputEPCClass: [{ field: 'outputQuantityList', inQuantities: true }],
};

const asList = (value: JsonValue | undefined): JsonValue[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function identifier(value: JsonValue | undefined, prefixes: Prefixes): string | null {
  return typeof value === 'string' && value.length > 0
    ? canonicalIdentifier(expandCurie(value, prefixes))
    : null;
}

function vocabularyValue(
  vocabulary: CbvVocabulary,
  value: JsonValue | undefined,
  prefixes: Prefixes,
): string | null {
  if (typeof value !== 'string') return null;
  return canonicalCbvValue(vocabulary, value, prefixes) ?? value;
}

function location(value: JsonValue | undefined, prefixes: Prefixes): string | null {
  return isObject(value) ? identifier(value.id, prefixes) : null;
}

/**
 * The indexed projection of a validated event. `eventID`: the event's own, else its hash ID;
 * `prefixes`: those in force for it (by default from its own `@context`).
 */
export function projectionsOf(event: JsonObject, prefixes: Prefixes = prefixesOf(event)): EventProjection {
  const roles = Object.fromEntries(
    IDENTIFIER_ROLES.map((role) => {
      const found = new Set<string>();
      for (const { field, inQuantities } of ROLE_SOURCES[role]) {
        for (const item of asList(event[field])) {
          const id = identifier(inQuantities ? (isObject(item) ? item.epcClass : undefined) : item, prefixes);
          if (id !== null) found.add(id);
        }
      }
      return [role, [...found]];
    }),
  ) as Record<IdentifierRole, string[]>;
  const action = (ACTIONS as readonly JsonValue[]).includes(event.action ?? null)
    ? (event.action as Action)
    : null;
  return {
    eventID: typeof event.eventID === 'string' ? event.eventID : eventHashId(event, prefixes),
    eventType: event.type as EventType,
    eventTime: utcMillisecondString(event.eventTime) ?? String(event.eventTime),
    eventTimeZoneOffset: String(event.eventTimeZoneOffset),
    action,
    bizStep: vocabularyValue('bizStep', event.bizStep, prefixes),
    disposition: vocabularyValue('disposition', event.disposition, prefixes),
    readPoint: location(event.readPoint, prefixes),
    bizLocation: location(event.bizLocation, prefixes),
    ...roles,
  };
}

/** The projection's identifiers as rows (role, identifier), as the repository stores them. */
export function identifierRows(projection: EventProjection): { role: IdentifierRole; identifier: string }[] {
  return IDENTIFIER_ROLES.flatMap((role) => projection[role].map((identifier) => ({ role, identifier })));
}
