/**
 * Reading what a client captures: an EPCISDocument (POST /capture) or one event (POST /events),
 * as JSON-LD. Everything is checked before anything is accepted; the answer is either the events,
 * each with its eventID (the one given, or its CBV event hash ID) and its indexed projection, or
 * the EPCIS exception to report with the problems found (JSON Pointers into the body).
 */
import { isDateTime } from './datetime.ts';
import { eventHashId } from './event-hash.ts';
import {
  DEFAULT_CONTEXT_URL,
  extensionKeyProblem,
  isAbsoluteUri,
  isObject,
  type JsonObject,
  type JsonValue,
  mergePrefixes,
  type Problem,
  pointer,
  readContext,
} from './jsonld.ts';
import { type EventProjection, projectionsOf } from './projection.ts';
import { EVENT_TYPES, isEventType, normaliseEvent, validateEvent } from './validate.ts';

/** The EPCIS 2.0 REST bindings' exceptions: problem `type` URIs and HTTP statuses. */
export const EPCIS_EXCEPTIONS = {
  ValidationException: { type: 'epcisException:ValidationException', status: 400 },
  CaptureLimitExceededException: { type: 'epcisException:CaptureLimitExceededException', status: 413 },
  ImplementationException: { type: 'epcisException:ImplementationException', status: 500 },
  QueryParameterException: { type: 'epcisException:QueryParameterException', status: 400 },
  NoSuchResourceException: { type: 'epcisException:NoSuchResourceException', status: 404 },
  ResourceAlreadyExistsException: { type: 'epcisException:ResourceAlreadyExistsException', status: 409 },
} as const;
export type EpcisExceptionType = keyof typeof EPCIS_EXCEPTIONS;

export function exceptionTypeUri(exception: EpcisExceptionType): string {
  return EPCIS_EXCEPTIONS[exception].type;
}

/** How many events a capture may hold unless the caller says otherwise. */
export const DEFAULT_CAPTURE_LIMIT = 10_000;
/** At most this many problems are listed; the last one says how many more there were. */
export const MAX_PROBLEMS = 100;

export interface CapturedEvent {
  /** its position in the document's eventList (0 for a single event) */
  index: number;
  /** the eventID it was captured with, or its event hash ID when it had none */
  eventID: string;
  eventIDGiven: boolean;
  /** the CBV 2.0 event hash ID of its content (computed on first use when an eventID was given) */
  hashID: string;
  /**
   * The event as received, list fields written as arrays, with `eventID` (as above) and the
   * `@context` in force for it (the document's, then its own): what the repository stores and
   * returns, readable on its own.
   */
  event: JsonObject;
  projection: EventProjection;
}

/** The capture document without its events. */
export interface CaptureDocument {
  '@context': JsonValue[];
  type: 'EPCISDocument';
  schemaVersion: string;
  creationDate: string;
  id?: string;
  instanceIdentifier?: string;
  sender?: string;
  receiver?: string;
  epcisHeader?: JsonObject;
  /** namespaced extensions of the document */
  extensions: JsonObject;
}

export type ReadFailure = { ok: false; exception: EpcisExceptionType; problems: Problem[] };
export type CaptureRead = { ok: true; document: CaptureDocument; events: CapturedEvent[] } | ReadFailure;
/** `events` holds the one event too, so that a service can take both reads alike. */
export type SingleEventRead = { ok: true; event: CapturedEvent; events: [CapturedEvent] } | ReadFailure;

export interface CaptureOptions {
  /** more events than this: CaptureLimitExceededException (default DEFAULT_CAPTURE_LIMIT) */
  maxEvents?: number;
}

function fail(exception: EpcisExceptionType, problems: Problem[]): ReadFailure {
  if (problems.length <= MAX_PROBLEMS) return { ok: false, exception, problems };
  const shown = problems.slice(0, MAX_PROBLEMS - 1);
  shown.push({ path: '', message: `and ${problems.length - shown.length} more problems` });
  return { ok: false, exception, problems: shown };
}

const DOCUMENT_FIELDS = [
  '@context',
  'type',
  'id',
  'schemaVersion',
  'creationDate',
  'instanceIdentifier',
  'sender',
  'receiver',
  'epcisHeader',
  'epcisBody',
];
const SCHEMA_VERSION = /^2(?:\.0){0,2}$/;
const BLANK_NODE = /^_:[A-Za-z0-9_.-]+$/;

function notACaptureDocument(type: unknown): string {
  if (type === 'EPCISQueryDocument')
    return 'an EPCISQueryDocument holds query results: capture an EPCISDocument';
  if (isEventType(type)) return 'this is a single event: send it to /events, or wrap it in an EPCISDocument';
  return `type must be EPCISDocument, not ${JSON.stringify(type)}`;
}

function duplicateProblems(events: CapturedEvent[], path: (i: number) => string): Problem[] {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  for (const e of events) {
    const earlier = first.get(e.eventID);
    if (earlier === undefined) first.set(e.eventID, e.index);
    else
      problems.push({
        path: path(e.index),
        message: `the eventID ${e.eventID} is also that of event ${earlier}`,
      });
  }
  return problems;
}

function capture(
  event: JsonObject,
  index: number,
  context: JsonValue[],
  prefixes: ReadonlyMap<string, string>,
): CapturedEvent {
  const normalised = normaliseEvent(event);
  delete normalised['@context'];
  // the hash costs about a third of reading an event: computed only when it is asked for
  let hash: string | undefined;
  const hashOf = () => {
    hash ??= eventHashId(normalised, prefixes);
    return hash;
  };
  const given = typeof event.eventID === 'string';
  const eventID = given ? (event.eventID as string) : hashOf();
  const stored: JsonObject = { '@context': context, ...normalised, eventID };
  return {
    index,
    eventID,
    eventIDGiven: given,
    get hashID() {
      return hashOf();
    },
    event: stored,
    projection: projectionsOf(stored, prefixes),
  };
}

/** The contexts in force for an event: the document's, then the event's own; a standard one first. */
function effectiveContext(outer: JsonValue[], own: JsonValue[]): JsonValue[] {
  const all = [...outer, ...own].filter((entry) => entry !== null);
  const unique = all.filter((entry, i) => typeof entry !== 'string' || all.indexOf(entry) === i);
  return unique.length > 0 ? unique : [DEFAULT_CONTEXT_URL];
}

/** Reads an EPCISDocument for capture. */
export function readCaptureDocument(body: unknown, options: CaptureOptions = {}): CaptureRead {
  try {
    return readDocument(body, options);
  } catch (error) {
    return fail('ImplementationException', [
      { path: '', message: `the document could not be read: ${(error as Error).message}` },
    ]);
  }
}

function readDocument(body: unknown, options: CaptureOptions): CaptureRead {
  if (!isObject(body))
    return fail('ValidationException', [{ path: '', message: 'the body must be a JSON object' }]);
  if (body.type !== 'EPCISDocument') {
    return fail('ValidationException', [{ path: '/type', message: notACaptureDocument(body.type) }]);
  }
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  let context: JsonValue[] = [];
  let documentPrefixes = new Map<string, string>();
  if (body['@context'] === undefined)
    add('', 'an EPCISDocument needs a @context naming the EPCIS 2.0 context');
  else {
    const reading = readContext(body['@context'], '/@context');
    problems.push(...reading.problems);
    if (!reading.standard) {
      add(
        '/@context',
        'the @context must name the EPCIS 2.0 context (https://ref.gs1.org/standards/epcis/epcis-context.jsonld)',
      );
    }
    context = reading.entries;
    documentPrefixes = reading.prefixes;
  }
  const prefixes = mergePrefixes(documentPrefixes);

  if (body.schemaVersion === undefined) add('', 'an EPCISDocument needs a schemaVersion');
  else if (typeof body.schemaVersion !== 'string' || !SCHEMA_VERSION.test(body.schemaVersion)) {
    add('/schemaVersion', `schemaVersion must be "2.0", not ${JSON.stringify(body.schemaVersion)}`);
  }
  if (body.creationDate === undefined) add('', 'an EPCISDocument needs a creationDate');
  else if (!isDateTime(body.creationDate))
    add('/creationDate', 'creationDate must be an RFC 3339 date-time with a time zone');
  if (
    body.id !== undefined &&
    !(isAbsoluteUri(body.id) || (typeof body.id === 'string' && BLANK_NODE.test(body.id)))
  ) {
    add('/id', 'id must be a URI');
  }
  for (const key of ['instanceIdentifier', 'sender', 'receiver']) {
    if (body[key] !== undefined && typeof body[key] !== 'string')
      add(pointer('', key), `${key} must be a string`);
  }
  if (body.epcisHeader !== undefined && !isObject(body.epcisHeader))
    add('/epcisHeader', 'epcisHeader must be an object');
  const extensions: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (DOCUMENT_FIELDS.includes(key)) continue;
    const problem = extensionKeyProblem(key, prefixes);
    if (problem) add(pointer('', key), problem);
    else extensions[key] = value;
  }

  const epcisBody = body.epcisBody;
  let eventList: JsonValue[] = [];
  if (epcisBody === undefined) add('', 'an EPCISDocument needs an epcisBody');
  else if (!isObject(epcisBody)) add('/epcisBody', 'epcisBody must be an object');
  else if (!Array.isArray(epcisBody.eventList)) {
    add(
      '/epcisBody',
      epcisBody.eventList === undefined ? 'epcisBody needs an eventList' : 'eventList must be a list',
    );
  } else {
    eventList = epcisBody.eventList;
    for (const key of Object.keys(epcisBody)) {
      if (key === 'eventList') continue;
      const problem = extensionKeyProblem(key, prefixes);
      if (problem) add(pointer('/epcisBody', key), problem);
    }
  }

  const limit = options.maxEvents ?? DEFAULT_CAPTURE_LIMIT;
  if (eventList.length > limit) {
    return fail('CaptureLimitExceededException', [
      {
        path: '/epcisBody/eventList',
        message: `${eventList.length} events: at most ${limit} may be captured at once`,
      },
    ]);
  }

  const checked = eventList.map((event, i) =>
    validateEvent(event, `/epcisBody/eventList/${i}`, documentPrefixes),
  );
  for (const check of checked) problems.push(...check.problems);
  if (problems.length > 0) return fail('ValidationException', problems);

  const events = eventList.map((event, i) =>
    capture(event as JsonObject, i, effectiveContext(context, checked[i]!.ownContext), checked[i]!.prefixes),
  );
  const duplicates = duplicateProblems(events, (i) => `/epcisBody/eventList/${i}`);
  if (duplicates.length > 0) return fail('ResourceAlreadyExistsException', duplicates);

  const document: CaptureDocument = {
    '@context': context,
    type: 'EPCISDocument',
    schemaVersion: body.schemaVersion as string,
    creationDate: body.creationDate as string,
    extensions,
  };
  for (const key of ['id', 'instanceIdentifier', 'sender', 'receiver'] as const) {
    if (typeof body[key] === 'string') document[key] = body[key] as string;
  }
  if (isObject(body.epcisHeader)) document.epcisHeader = body.epcisHeader;
  return { ok: true, document, events };
}

/** Reads one event for POST /events: the event itself, with its own `@context`. */
export function readSingleEvent(body: unknown): SingleEventRead {
  try {
    if (!isObject(body))
      return fail('ValidationException', [{ path: '', message: 'the body must be a JSON object' }]);
    if (body.type === 'EPCISDocument' || body.type === 'EPCISQueryDocument') {
      return fail('ValidationException', [
        {
          path: '/type',
          message: `this is an ${body.type}: /events takes one event (${EVENT_TYPES.join(', ')})`,
        },
      ]);
    }
    const check = validateEvent(body, '', new Map(), true);
    if (check.problems.length > 0) return fail('ValidationException', check.problems);
    const event = capture(body, 0, effectiveContext([], check.ownContext), check.prefixes);
    return { ok: true, event, events: [event] };
  } catch (error) {
    return fail('ImplementationException', [
      { path: '', message: `the event could not be read: ${(error as Error).message}` },
    ]);
  }
}
