/**
 * GS1 EPCIS 2.0 / CBV 2.0 for the traceability module, pure (no I/O): reading captured documents
 * and events (validation by the project's own rules), the CBV event hash ID, and the projections
 * the repository indexes for the standard queries.
 */
export {
  type CaptureDocument,
  type CapturedEvent,
  type CaptureOptions,
  type CaptureRead,
  DEFAULT_CAPTURE_LIMIT,
  EPCIS_EXCEPTIONS,
  type EpcisExceptionType,
  exceptionTypeUri,
  MAX_PROBLEMS,
  type ReadFailure,
  readCaptureDocument,
  readSingleEvent,
  type SingleEventRead,
} from './document.ts';
export { EVENT_HASH_VERSION, eventHashId, isEventHashId, prefixesOf, preHashString } from './event-hash.ts';
export { canonicalIdentifier, identifierProblem } from './identifiers.ts';
export {
  DEFAULT_CONTEXT_URL,
  type JsonObject,
  type JsonValue,
  type Prefixes,
  type Problem,
  STANDARD_CONTEXT_URLS,
} from './jsonld.ts';
export {
  type EventProjection,
  IDENTIFIER_ROLES,
  type IdentifierRole,
  identifierRows,
  MATCH_PARAMETER_ROLES,
  projectionsOf,
} from './projection.ts';
export { ACTIONS, type Action, EVENT_TYPES, type EventType, isEventType, validateEvent } from './validate.ts';
export {
  type CbvVocabulary,
  canonicalCbvValue,
  canonicalVocabulary,
  classifyVocabularyValue,
} from './vocabulary.ts';
