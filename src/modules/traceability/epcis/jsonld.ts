/**
 * The JSON-LD side of EPCIS 2.0 documents, without a JSON-LD processor and without fetching
 * anything: the standard EPCIS contexts are recognised by their URL, the prefixes they define are
 * known here, and the prefixes a document adds (`{"example": "https://ns.example.com/epcis/"}`)
 * are read from its inline context objects. A context URL that is not a standard one is allowed
 * but defines nothing: an extension that relies on it for its prefix is refused.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface Problem {
  /** JSON Pointer (RFC 6901) into the request body */
  path: string;
  message: string;
}

/** prefix → namespace IRI */
export type Prefixes = ReadonlyMap<string, string>;

/** The URLs under which GS1 publishes the EPCIS 2.0 JSON-LD context (and the simple variant). */
export const STANDARD_CONTEXT_URLS: readonly string[] = [
  'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  'https://gs1.github.io/EPCIS/epcis-context.jsonld',
  'https://gs1.github.io/EPCIS/epcis-context-simple.jsonld',
];
const STANDARD_CONTEXTS = new Set(STANDARD_CONTEXT_URLS);

/** What the standard context URL a capture names when it names none of ours (for stored events). */
export const DEFAULT_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';

/** The prefixes the standard contexts define. */
export const STANDARD_PREFIXES: Prefixes = new Map([
  ['epcis', 'https://ref.gs1.org/epcis/'],
  ['cbv', 'https://ref.gs1.org/cbv/'],
  ['cbvmda', 'urn:epcglobal:cbv:mda:'],
  ['gs1', 'https://gs1.org/voc/'],
  ['rdf', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'],
  ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['owl', 'http://www.w3.org/2002/07/owl#'],
  ['xsd', 'http://www.w3.org/2001/XMLSchema#'],
  ['dcterms', 'http://purl.org/dc/terms/'],
  ['vtype', 'urn:epcglobal:epcis:vtype:'],
]);

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pointer(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// characters an IRI never holds unescaped: controls and space, and the RFC 3986 excluded set
const EXCLUDED = /[<>"{}|\\^`]/;

function hasForbiddenCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return EXCLUDED.test(value);
}

/** An absolute URI (RFC 3986 / 3987: a scheme, a colon, something; no space or excluded character). */
export function isAbsoluteUri(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    SCHEME.test(value) &&
    value.length > value.indexOf(':') + 1 &&
    !hasForbiddenCharacter(value)
  );
}

export interface ContextReading {
  /** the context as an array (a string or an object becomes its only element) */
  entries: JsonValue[];
  /** whether one of the entries is a standard EPCIS context URL */
  standard: boolean;
  /** the prefixes its inline objects define */
  prefixes: Map<string, string>;
  problems: Problem[];
}

/** Reads an `@context` value: a URL, an object of term definitions, or an array of them. */
export function readContext(value: unknown, path: string): ContextReading {
  const entries: JsonValue[] = Array.isArray(value) ? value : [value as JsonValue];
  const reading: ContextReading = { entries, standard: false, prefixes: new Map(), problems: [] };
  entries.forEach((entry, i) => {
    const at = Array.isArray(value) ? pointer(path, i) : path;
    if (entry === null) return;
    if (typeof entry === 'string') {
      if (STANDARD_CONTEXTS.has(entry)) reading.standard = true;
      else if (!isAbsoluteUri(entry))
        reading.problems.push({ path: at, message: 'a context URL must be a URI' });
      return;
    }
    if (!isObject(entry)) {
      reading.problems.push({ path: at, message: 'a context entry must be a URL or an object' });
      return;
    }
    for (const [term, definition] of Object.entries(entry)) {
      if (term.startsWith('@') || term.includes(':')) continue;
      const iri =
        typeof definition === 'string' ? definition : isObject(definition) ? definition['@id'] : undefined;
      if (typeof iri === 'string' && isAbsoluteUri(iri)) reading.prefixes.set(term, iri);
    }
  });
  return reading;
}

/** The prefixes in force: the standard ones, then each context's own (later ones win). */
export function mergePrefixes(...layers: ReadonlyMap<string, string>[]): Map<string, string> {
  const merged = new Map(STANDARD_PREFIXES);
  for (const layer of layers) for (const [k, v] of layer) merged.set(k, v);
  return merged;
}

/** `prefix:rest` → namespace + rest when the prefix is known (not for `scheme://…`). */
export function expandCurie(value: string, prefixes: Prefixes = STANDARD_PREFIXES): string {
  const colon = value.indexOf(':');
  if (colon <= 0) return value;
  const rest = value.slice(colon + 1);
  if (rest.startsWith('//')) return value;
  const namespace = prefixes.get(value.slice(0, colon));
  return namespace === undefined ? value : namespace + rest;
}

/**
 * An extension key: `prefix:name` with a declared prefix, or a full IRI (`https://…/name`,
 * `urn:…`). Returns the problem with the key, or null when it is a proper extension name.
 */
export function extensionKeyProblem(key: string, prefixes: Prefixes): string | null {
  const colon = key.indexOf(':');
  if (colon <= 0) {
    return `unknown field '${key}' (an extension must be namespaced: prefix:name, with the prefix declared in @context)`;
  }
  const prefix = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  if (rest.length === 0) return `'${key}' has no name after its prefix`;
  if (prefixes.has(prefix)) return null;
  if ((rest.startsWith('//') || prefix === 'urn') && isAbsoluteUri(key)) return null;
  return `the prefix '${prefix}' of '${key}' is not declared in @context`;
}

/** `{namespace}local` of an extension key, as the event hash names it. */
export function qualifiedName(key: string, prefixes: Prefixes): string {
  const colon = key.indexOf(':');
  if (colon <= 0) return key;
  const namespace = prefixes.get(key.slice(0, colon));
  if (namespace !== undefined && !key.slice(colon + 1).startsWith('//')) {
    return `{${namespace}}${key.slice(colon + 1)}`;
  }
  const cut = Math.max(key.lastIndexOf('/'), key.lastIndexOf('#'));
  if (cut > colon && cut < key.length - 1) return `{${key.slice(0, cut + 1)}}${key.slice(cut + 1)}`;
  return key;
}
