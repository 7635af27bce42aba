/**
 * GS1 Digital Link URIs (uncompressed): parse and generate. Pure functions, no I/O.
 *
 * Follows the current GS1 Digital Link URI Syntax as the GS1 Barcode Syntax Engine implements it
 * (gs1/gs1-syntax-engine `dl.c`; its test vectors are in `tests/fixtures/gs1-digital-link/`):
 *  - scheme `http` or `https`, written all lower or all upper case; a domain without the characters
 *    that cannot appear in one; only characters allowed in a URI;
 *  - the path ends with the primary key and its key qualifiers, `/01/{gtin}/22/{cpv}/10/{lot}/21/
 *    {serial}`; anything before them is the stem (`https://example.com/some/path`). They are found
 *    by reading `/AI/value` pairs back from the end of the path until a primary key. The key
 *    qualifiers must follow one of the primary key's sequences in the dictionary, in order
 *    (`dlpkey=22,10,21|235`: any ordered subset of 22, 10, 21; or 235);
 *  - data attributes in the query string, `?17=201225&3103=000195`, only AIs the dictionary flags
 *    `?`, not one that belongs in the path, no AI twice; other parameters (`linkType=…`, singletons)
 *    are kept apart and ignored; a numeric parameter that is no AI is an error;
 *  - percent-decoding: `%HH` anywhere, `+` is a space in the query only; a decoded NUL is an error;
 *  - strict defaults: a GTIN must be written with 14 digits (`permitZeroSuppressedGtin` pads
 *    GTIN-8/12/13), convenience alphas (`/gtin/`) are refused (`permitConvenienceAlphas`), unknown
 *    AIs are refused (`permitUnknownAis`, never as data attributes); then every value is checked
 *    against the dictionary and the association rules (required and exclusive AIs) apply.
 * Generation: the first primary key of the data, with the longest sequence of key qualifiers the
 * data has, in the path; other AIs as data attributes, those of predefined length first, each in
 * the given order; percent-encoding of everything but `A–Z a–z 0–9 - . _ ~` (space = `+` in the
 * query). Compressed Digital Link URIs are not implemented.
 */

import {
  type AiElement,
  type AiParseOptions,
  aiDefinition,
  checkAiAssociations,
  KNOWN_AIS,
  lookupAi,
  toElementString,
  validateAiValue,
} from './ai.ts';

/** The canonical stem of GS1 Digital Link URIs (GS1's own resolver). */
export const CANONICAL_DL_STEM = 'https://id.gs1.org';

export interface DigitalLinkParseOptions extends AiParseOptions {
  /** Accept a GTIN-8, -12 or -13 for AI (01) and pad it to 14 digits (legacy URIs). Off by default. */
  readonly permitZeroSuppressedGtin?: boolean;
  /** Accept the deprecated convenience alphas (`/gtin/`, `/ser/`, `/lot/`, …). Off by default. */
  readonly permitConvenienceAlphas?: boolean;
  /** Apply the required-AI rules (`req=`). On by default, as in the syntax engine. */
  readonly checkRequisites?: boolean;
}

export interface ParsedDigitalLink {
  readonly ok: true;
  /** Scheme, domain and any path before the primary key, e.g. `https://example.com/some/path`. */
  readonly stem: string;
  /** The primary key and key qualifiers (with dlPathOrder 0, 1, …), then the data attributes. */
  readonly elements: AiElement[];
  readonly primaryKey: AiElement;
  readonly keyQualifiers: AiElement[];
  readonly attributes: AiElement[];
  /** Query parameters that are not AIs (e.g. `linkType`), as written; value null for a singleton. */
  readonly otherParameters: { name: string; value: string | null }[];
  readonly fragment: string | null;
  /** The elements in the syntax engine's "^" form. */
  readonly elementString: string;
}

export type DigitalLinkParse = ParsedDigitalLink | { ok: false; problem: string };

// --- key-qualifier sequences ---------------------------------------------------------------------

/** Every valid path AI sequence, "01 22 10 21" style, sorted as the syntax engine sorts them. */
const PATH_SEQUENCES: readonly string[] = (() => {
  const sequences: string[] = [];
  for (const ai of KNOWN_AIS) {
    const definition = aiDefinition(ai);
    if (!definition?.dlPrimaryKey) continue;
    const alternatives =
      definition.dlKeyQualifierSequences.length > 0 ? definition.dlKeyQualifierSequences : [[]];
    for (const qualifiers of alternatives) {
      let subsets: string[][] = [[]];
      for (const qualifier of qualifiers) subsets = [...subsets, ...subsets.map((s) => [...s, qualifier])];
      for (const subset of subsets) sequences.push([ai, ...subset].join(' '));
    }
  }
  return [...new Set(sequences)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
})();

const PATH_SEQUENCE_SET = new Set(PATH_SEQUENCES);

/** Whether AIs in this order may form a Digital Link path: a primary key, then its qualifiers. */
export function isValidDlPathSequence(ais: readonly string[]): boolean {
  return PATH_SEQUENCE_SET.has(ais.join(' '));
}

/** Whether the AI is a Digital Link primary key. */
export function isDlPrimaryKey(ai: string): boolean {
  return aiDefinition(ai)?.dlPrimaryKey === true;
}

// --- percent-encoding ----------------------------------------------------------------------------

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * Percent-encodes a value for a path segment or a query parameter of a Digital Link URI: every
 * character but the unreserved ones becomes %HH (UTF-8 bytes, upper-case hex); in the query a space
 * becomes `+`.
 */
export function escapeUriComponent(value: string, component: 'path' | 'query'): string {
  let out = '';
  for (const char of value) {
    if (UNRESERVED.test(char)) out += char;
    else if (char === ' ' && component === 'query') out += '+';
    else {
      for (const byte of new TextEncoder().encode(char)) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  return out;
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * Reverses percent-encoding as the syntax engine does: `%HH` gives that byte (one character per
 * byte, U+0000–U+00FF), a `%` not followed by two hex digits stays as it is, `+` is a space in the
 * query. Returns null when a NUL would result.
 */
export function unescapeUriComponent(value: string, component: 'path' | 'query'): string | null {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const char = value.charAt(i);
    const hex = value.slice(i + 1, i + 3);
    if (char === '%' && HEX.test(hex)) {
      const code = Number.parseInt(hex, 16);
      if (code === 0) return null;
      out += String.fromCharCode(code);
      i += 2;
    } else if (char === '+' && component === 'query') {
      out += ' ';
    } else {
      out += char;
    }
  }
  return out;
}

// --- parsing -------------------------------------------------------------------------------------

/** Characters allowed anywhere in a URI (RFC 3986 reserved and unreserved, and "%"). */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const BAD_DOMAIN_CHARACTERS = /[_~?#@!$&'()*+,;=%]/;

/** Convenience alphas of DL URI Syntax 1.x (deprecated), accepted only on request. */
const CONVENIENCE_ALPHAS: Readonly<Record<string, string>> = {
  cpid: '8010',
  cpsn: '8011',
  cpv: '22',
  gcn: '255',
  gdti: '253',
  giai: '8004',
  ginc: '401',
  gln: '414',
  glnx: '254',
  gmn: '8013',
  grai: '8003',
  gsin: '402',
  gsrn: '8018',
  gsrnp: '8017',
  gtin: '01',
  itip: '8006',
  lot: '10',
  party: '417',
  refno: '8020',
  ser: '21',
  srin: '8019',
  sscc: '00',
};

function pathAi(segment: string, options: DigitalLinkParseOptions): string | undefined {
  if (options.permitConvenienceAlphas && /^[a-z]{3,5}$/.test(segment)) {
    const ai = CONVENIENCE_ALPHAS[segment];
    if (ai) return ai;
  }
  return lookupAi(segment, options)?.ai;
}

/** The index of the primary key's segment, reading /AI/value pairs back from the end; -1 if none. */
function findPrimaryKey(segments: readonly string[], options: DigitalLinkParseOptions): number {
  for (let valueIndex = segments.length - 1; valueIndex >= 2; valueIndex -= 2) {
    const ai = pathAi(segments[valueIndex - 1]!, options);
    if (ai === undefined) return -1;
    if (isDlPrimaryKey(ai)) return valueIndex - 1;
  }
  return -1;
}

/**
 * Whether an http(s) URI claims to be a GS1 Digital Link URI, valid or not: its host is id.gs1.org,
 * or its path ends with `/AI/value` pairs that start with a primary key whose value starts with a
 * digit, as every GS1 key does (`…/01/9520…`). Anything else (`http://www.w3.org/2000/01/rdf-schema`)
 * is some other web URI.
 */
export function looksLikeDigitalLink(uri: string, options: DigitalLinkParseOptions = {}): boolean {
  const match = /^https?:\/\/([^/?#]*)([^?#]*)/i.exec(uri);
  if (!match) return false;
  if (match[1]!.toLowerCase() === 'id.gs1.org') return true;
  const segments = (match[2] ?? '').split('/');
  const keyIndex = findPrimaryKey(segments, options);
  return keyIndex >= 0 && /^[0-9]/.test(segments[keyIndex + 1] ?? '');
}

function fail(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}

/** Decodes one value and applies the GTIN padding option and the length checks. */
function decodeValue(
  ai: string,
  raw: string,
  component: 'path' | 'query',
  options: DigitalLinkParseOptions,
): string | { problem: string } {
  if (raw === '') return { problem: `AI (${ai}) has an empty value` };
  let value = unescapeUriComponent(raw, component);
  if (value === null) return { problem: `AI (${ai}): the decoded value contains a NUL character` };
  if (options.permitZeroSuppressedGtin && ai === '01' && [8, 12, 13].includes(value.length)) {
    value = value.padStart(14, '0');
  }
  const definition = lookupAi(ai, options);
  if (definition && value.length < definition.minLength)
    return { problem: `AI (${ai}): the value is too short` };
  if (definition && value.length > definition.maxLength)
    return { problem: `AI (${ai}): the value is too long` };
  if (value.includes('^')) return { problem: `AI (${ai}): the value contains "^"` };
  return value;
}

/**
 * Parses a GS1 Digital Link URI (uncompressed) into its AI elements; see the module comment for
 * the rules. Returns `{ ok: false, problem }` for anything that is not a valid GS1 Digital Link URI.
 */
export function parseDigitalLink(uri: string, options: DigitalLinkParseOptions = {}): DigitalLinkParse {
  if (!URI_CHARACTERS.test(uri)) return fail('the URI contains characters that are not allowed in a URI');
  const scheme = /^(https?:\/\/|HTTPS?:\/\/)/.exec(uri)?.[0];
  if (!scheme) return fail('the URI must start with http:// or https://');
  const afterScheme = uri.slice(scheme.length);
  const slash = afterScheme.indexOf('/');
  const domain = slash < 0 ? afterScheme : afterScheme.slice(0, slash);
  if (BAD_DOMAIN_CHARACTERS.test(domain))
    return fail('the domain contains characters that are not allowed in a domain');
  if (slash < 1) return fail('the URI has no domain or no path');

  let rest = afterScheme.slice(slash);
  let fragment: string | null = null;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query: string | null = null;
  const question = rest.indexOf('?');
  if (question >= 0) {
    query = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }

  // Read /AI/value pairs back from the end of the path until a primary key.
  const segments = rest.split('/'); // segments[0] is the empty string before the leading "/"
  const keyIndex = findPrimaryKey(segments, options);
  if (keyIndex < 0) return fail('no GS1 Digital Link primary key found in the path');
  const stem = `${scheme}${domain}${segments
    .slice(1, keyIndex)
    .map((s) => `/${s}`)
    .join('')}`;

  const path: AiElement[] = [];
  for (let i = keyIndex; i < segments.length; i += 2) {
    const ai = pathAi(segments[i]!, options)!;
    const value = decodeValue(ai, segments[i + 1]!, 'path', options);
    if (typeof value !== 'string') return fail(value.problem);
    path.push({ ai, value, dlPathOrder: path.length });
  }

  const attributes: AiElement[] = [];
  const otherParameters: { name: string; value: string | null }[] = [];
  for (const parameter of (query ?? '').split('&')) {
    if (parameter === '') continue;
    const equals = parameter.indexOf('=');
    if (equals < 0) {
      otherParameters.push({ name: parameter, value: null });
      continue;
    }
    const name = parameter.slice(0, equals);
    if (!/^[0-9]*$/.test(name)) {
      otherParameters.push({ name, value: parameter.slice(equals + 1) });
      continue;
    }
    const definition = lookupAi(name, options);
    if (!definition) return fail(`the query parameter ${name} is numeric but not a known AI`);
    const value = decodeValue(name, parameter.slice(equals + 1), 'query', options);
    if (typeof value !== 'string') return fail(value.problem);
    attributes.push({ ai: name, value });
  }

  const pathAis = path.map((e) => e.ai);
  if (!isValidDlPathSequence(pathAis)) {
    return fail(
      `the path AIs ${pathAis.map((ai) => `(${ai})`).join('')} are not a valid key-qualifier sequence`,
    );
  }
  const elements = [...path, ...attributes];
  const seen = new Set<string>();
  for (const { ai } of elements) {
    if (seen.has(ai)) return fail(`AI (${ai}) appears more than once`);
    seen.add(ai);
  }
  for (const { ai } of attributes) {
    const definition = lookupAi(ai, options);
    if (!definition?.dlDataAttribute) return fail(`AI (${ai}) is not allowed as a data attribute`);
    for (let position = 1; position <= pathAis.length; position++) {
      const trial = [...pathAis.slice(0, position), ai, ...pathAis.slice(position)];
      if (isValidDlPathSequence(trial)) return fail(`AI (${ai}) belongs in the path, not the query string`);
    }
  }
  for (const { ai, value } of elements) {
    const problem = validateAiValue(ai, value, options);
    if (problem) return fail(problem);
  }
  const association = checkAiAssociations(elements, { requisites: options.checkRequisites !== false });
  if (association) return fail(association);

  return {
    ok: true,
    stem,
    elements,
    primaryKey: path[0]!,
    keyQualifiers: path.slice(1),
    attributes,
    otherParameters,
    fragment,
    elementString: toElementString(elements),
  };
}

// --- generation ----------------------------------------------------------------------------------

/** The path elements: those already placed (from a parsed URI), or the best the data allows. */
function choosePath(elements: readonly AiElement[]): AiElement[] {
  const placed = elements.filter((e) => e.dlPathOrder !== undefined);
  if (placed.length > 0) return [...placed].sort((a, b) => a.dlPathOrder! - b.dlPathOrder!);
  const key = elements.find((e) => isDlPrimaryKey(e.ai));
  if (!key) throw new RangeError('a GS1 Digital Link URI needs a primary key AI (01, 00, 414, …)');
  let best = [key.ai];
  for (const sequence of PATH_SEQUENCES) {
    const ais = sequence.split(' ');
    if (ais[0] !== key.ai || ais.length <= best.length) continue;
    if (ais.slice(1).every((ai) => elements.some((e) => e.ai === ai))) best = ais;
  }
  return best.map((ai) => elements.find((e) => e.ai === ai)!);
}

/**
 * A GS1 Digital Link URI for the elements, under `stem` (a trailing "/" is dropped). Every value is
 * checked against the dictionary and the association rules first. Throws RangeError, with the
 * problem, when the data cannot make a valid Digital Link URI (no primary key, an AI that may not
 * be a data attribute, an invalid value, …).
 */
export function generateDigitalLink(
  elements: readonly AiElement[],
  stem: string = CANONICAL_DL_STEM,
): string {
  for (const { ai, value } of elements) {
    const problem = validateAiValue(ai, value);
    if (problem) throw new RangeError(problem);
  }
  const association = checkAiAssociations(elements);
  if (association) throw new RangeError(association);

  const path = choosePath(elements);
  if (!isValidDlPathSequence(path.map((e) => e.ai))) {
    throw new RangeError('the path AIs are not a valid key-qualifier sequence');
  }
  let uri = stem.endsWith('/') ? stem.slice(0, -1) : stem;
  const emitted = new Set<string>();
  for (const { ai, value } of path) {
    uri += `/${ai}/${escapeUriComponent(value, 'path')}`;
    emitted.add(ai);
  }
  const query: string[] = [];
  for (const fixedLength of [true, false]) {
    for (const { ai, value } of elements) {
      const definition = aiDefinition(ai);
      if (emitted.has(ai) || !definition || definition.fnc1Required === fixedLength) continue;
      if (!definition.dlDataAttribute) throw new RangeError(`AI (${ai}) is not allowed as a data attribute`);
      query.push(`${ai}=${escapeUriComponent(value, 'query')}`);
      emitted.add(ai);
    }
  }
  return query.length > 0 ? `${uri}?${query.join('&')}` : uri;
}
