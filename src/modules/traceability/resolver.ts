/**
 * The pure core of the GS1 Digital Link resolver: no database, no HTTP framework.
 *
 * Standards: GS1 Digital Link URI Syntax 1.4 (request syntax, through the platform's strict parser
 * `parseDigitalLink`) and the GS1-Conformant Resolver Standard 1.1 ("Resolver" below; its
 * conformance statement is section 5):
 *  - `parseResolverRequest`: the request target as received → a syntactically valid request, or the
 *    refusal (400 for any syntax error, Resolver 2.4.1; 414 for a URI past `MAX_RESOLVER_URL`; 404
 *    for a path that is no Digital Link at all);
 *  - `readDataEntries`: resolver data in the GS1 Resolver CE "data entry v3" format, validated;
 *  - `resolve`: the request and the entries of its primary key → a 307 redirect, a 404, or the
 *    RFC 9264 linkset (200);
 *  - `resolverDescription`: the `/.well-known/gs1resolver` document (Resolver 3).
 * Compressed Digital Link URIs and EPC binary strings (Resolver 2.3) are not implemented: such a path
 * is not recognised as a Digital Link and gets 404.
 */

import {
  aiDefinition,
  escapeUriComponent,
  isDlPrimaryKey,
  isValidDlPathSequence,
  KNOWN_AIS,
  looksLikeDigitalLink,
  lookupAi,
  type ParsedDigitalLink,
  parseDigitalLink,
  unescapeUriComponent,
  validateAiValue,
} from '../../platform/gs1/index.ts';

/** Longest request URI (path and query, or absolute URI) the resolver reads; longer gets 414. */
export const MAX_RESOLVER_URL = 2048;
export const MAX_DATA_ENTRIES = 1000;
export const MAX_LINKS_PER_ENTRY = 100;
export const MAX_HREF_LENGTH = 2000;
export const MAX_TITLE_LENGTH = 500;
export const MAX_ITEM_DESCRIPTION_LENGTH = 1000;
const MAX_LANGUAGES = 20;
const MAX_CONTEXTS = 20;
const MAX_CONTEXT_LENGTH = 100;
const MAX_PROBLEMS = 100;

/** The GS1 Web Vocabulary namespace: link types are `gs1:pip` as CURIEs, this + `pip` as URIs. */
export const GS1_VOCABULARY = 'https://gs1.org/voc/';
/** The JSON-LD context of GS1 linksets (Resolver 2.10, and its artefacts page). */
export const LINKSET_CONTEXT = 'https://ref.gs1.org/standards/resolver/linkset-context';

/** Any stem will do: the parser needs an absolute URI, the resolver only reads what follows. */
const PARSE_STEM = 'https://resolver.invalid';

// --- types ---------------------------------------------------------------------------------------

export interface AiValue {
  readonly ai: string;
  readonly value: string;
}

export interface ResolverRequest {
  readonly ok: true;
  readonly primaryKey: AiValue;
  /** In path order (the order the key's qualifier sequence prescribes). */
  readonly keyQualifiers: readonly AiValue[];
  /** AIs of the query string (`?17=260131`), values checked against the AI dictionary. */
  readonly dataAttributes: readonly AiValue[];
  /** The requested link type as a CURIE (`gs1:pip`), or null; null too when `all` is set. */
  readonly linkType: string | null;
  /** `linkType=linkset` (or the deprecated `linkType=all`): the client asks for the linkset. */
  readonly all: boolean;
  /** The `context` keyword (Digital Link URI Syntax 4.10.1), used to choose among links. */
  readonly context: string | null;
  /** The other parameters that are no AIs, decoded; value null for a singleton (`?foo`). */
  readonly otherParameters: readonly { readonly name: string; readonly value: string | null }[];
  /** The query string exactly as received (without "?"), passed on when redirecting. */
  readonly query: string;
  /** Path segments before the primary key (a custom URI stem), usually "". */
  readonly stem: string;
  /** `/01/{gtin}/10/{lot}/21/{serial}`: the key and its qualifiers, values percent-encoded. */
  readonly canonicalPath: string;
}

export interface ResolverRefusal {
  readonly ok: false;
  readonly status: 400 | 404 | 414;
  readonly problem: string;
}

export type ResolverParse = ResolverRequest | ResolverRefusal;

export interface ResolverLink {
  /** A CURIE of the GS1 Web Vocabulary, e.g. `gs1:pip`. */
  readonly linkType: string;
  /** Absolute http(s) URL; may hold `{variables}` bound by the entry's qualifiers, `{0}` and `{1}`. */
  readonly href: string;
  readonly title: string;
  readonly type?: string | null;
  readonly hreflang?: readonly string[];
  readonly context?: readonly string[];
}

export interface ResolverEntry {
  /** The primary key only: `/01/09506000134376`. */
  readonly anchor: string;
  /** `''`, or key qualifiers in path order with fixed values or `{variable}` templates. */
  readonly qualifierPath: string;
  readonly itemDescription: string;
  /** A CURIE, or '' when the entry names none. */
  readonly defaultLinkType: string;
  readonly links: readonly ResolverLink[];
}

export interface LinksetTarget {
  readonly href: string;
  readonly title: string;
  readonly type?: string;
  readonly hreflang?: string[];
  readonly context?: string[];
}

/** RFC 9264 JSON: each context object has `anchor`, `itemDescription` and link types → targets. */
export interface Linkset {
  readonly linkset: Record<string, string | LinksetTarget[]>[];
}

export type LinksetMediaType = 'application/linkset+json' | 'application/json';

export type ResolveOutcome =
  | {
      readonly status: 307;
      readonly location: string;
      /** The chosen link, its variables substituted (without the passed-on query string). */
      readonly link: ResolverLink;
      /** Where the linkset of the request is (for an HTTP Link header, Resolver 2.2). */
      readonly linksetUrl: string;
      /**
       * Present when other links of the chosen type have the same media type, languages and context
       * as `link` (it first among them, variables substituted): nothing in the request tells them
       * apart, and Resolver 2.6.3 recommends answering 300 Multiple Choices with these links.
       */
      readonly alternatives?: readonly ResolverLink[];
    }
  | { readonly status: 404; readonly problem: string }
  | { readonly status: 200; readonly linkset: Linkset; readonly mediaType: LinksetMediaType };

export interface ResolveHeaders {
  readonly accept?: string;
  readonly acceptLanguage?: string;
}

// --- link types ----------------------------------------------------------------------------------

const GS1_VOCABULARY_URI = /^https?:\/\/(?:www\.|ref\.)?gs1\.org\/voc\/([A-Za-z][A-Za-z0-9_-]*)$/i;
const GS1_CURIE = /^gs1:([A-Za-z][A-Za-z0-9_-]*)$/i;

/**
 * A GS1 link type as its CURIE: `gs1:pip`, `https://gs1.org/voc/pip`, `https://ref.gs1.org/voc/pip`
 * and `http://gs1.org/voc/pip` all give `gs1:pip`. Null for anything else.
 */
export function gs1LinkTypeCurie(value: string): string | null {
  const match = GS1_CURIE.exec(value) ?? GS1_VOCABULARY_URI.exec(value);
  return match ? `gs1:${match[1]}` : null;
}

/** The link type as a URI, the relation type of a linkset (`gs1:pip` → `https://gs1.org/voc/pip`). */
function linkTypeUri(linkType: string): string {
  const curie = gs1LinkTypeCurie(linkType);
  return curie ? `${GS1_VOCABULARY}${curie.slice(4)}` : linkType;
}

const DEFAULT_LINK = 'gs1:defaultLink';

// --- parsing requests ----------------------------------------------------------------------------

function refuse(status: 400 | 404 | 414, problem: string): ResolverRefusal {
  return { ok: false, status, problem };
}

/** A user-supplied fragment for a message: quoted, and cut short. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function decodeQueryValue(raw: string): string {
  const spaced = raw.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** The path segments of a URI or origin-form target, after the authority, before query/fragment. */
function pathSegments(target: string): string[] {
  const path = target.replace(/^[A-Za-z]+:\/\/[^/?#]*/, '').replace(/[?#].*$/s, '');
  return path.split('/').slice(1);
}

/** The key-qualifier sequences of a primary key in words: "(22), (10), (21) in this order, …". */
function describeSequences(key: string): string {
  const sequences = aiDefinition(key)?.dlKeyQualifierSequences ?? [];
  if (sequences.length === 0) return `AI (${key}) takes no key qualifiers`;
  const alternatives = sequences.map((sequence) => {
    const list = sequence.map((ai) => `(${ai})`).join(', ');
    return sequence.length > 1 ? `${list} in this order, each optional` : list;
  });
  return `after (${key}) come the key qualifiers ${alternatives.join(', or ')}`;
}

/** Why the path AIs do not form a valid sequence, more precisely than the parser says it. */
function explainSequence(ais: readonly string[]): string | null {
  const [key, ...qualifiers] = ais;
  if (key === undefined) return null;
  const allowed = new Set((aiDefinition(key)?.dlKeyQualifierSequences ?? []).flat());
  for (const ai of qualifiers) {
    if (allowed.has(ai)) continue;
    if (aiDefinition(ai)?.dlDataAttribute) {
      return `AI (${ai}) is a data attribute: it belongs in the query string (?${ai}=…), not in the path`;
    }
    return `AI (${ai}) is not a key qualifier of AI (${key}); ${describeSequences(key)}`;
  }
  const repeated = qualifiers.find((ai, index) => qualifiers.indexOf(ai) !== index);
  if (repeated !== undefined) return `AI (${repeated}) appears more than once in the path`;
  const sequences = aiDefinition(key)?.dlKeyQualifierSequences ?? [];
  if (!sequences.some((sequence) => qualifiers.every((ai) => sequence.includes(ai)))) {
    return `the key qualifiers ${qualifiers.map((ai) => `(${ai})`).join('')} cannot be combined: ${describeSequences(key)}`;
  }
  return `the path AIs ${ais.map((ai) => `(${ai})`).join('')} are out of order: ${describeSequences(key)}`;
}

/** Why no primary key was found: the pairs after the first primary-key segment, read forwards. */
function explainPath(segments: readonly string[]): string {
  const keyIndex = segments.findIndex(isDlPrimaryKey);
  if (keyIndex < 0) return 'the path has no GS1 Digital Link primary key (such as /01/ for a GTIN)';
  for (let i = keyIndex; i < segments.length; i += 2) {
    const ai = segments[i]!;
    const value = segments[i + 1];
    if (!/^[0-9]{2,4}$/.test(ai)) return `the path segment ${quote(ai)} is not a GS1 Application Identifier`;
    if (!lookupAi(ai)) return `AI (${ai}) in the path is not a known GS1 Application Identifier`;
    if (value === undefined) return `AI (${ai}) at the end of the path has no value`;
    if (value === '') return `AI (${ai}) has an empty value`;
  }
  return 'no GS1 Digital Link primary key found in the path';
}

/**
 * A precise reason for a refused URI: the platform parser's, sharpened where it is terse (GTINs not
 * written with 14 digits, convenience alphas, path structure, key-qualifier order).
 */
function explainRefusal(target: string, problem: string): string {
  const alphas = parseDigitalLink(target, { permitConvenienceAlphas: true });
  if (alphas.ok) {
    const segments = pathSegments(target);
    const path = [alphas.primaryKey, ...alphas.keyQualifiers];
    const pairs = segments.slice(segments.length - 2 * path.length);
    for (let i = 0; i < path.length; i++) {
      const written = pairs[2 * i];
      if (written !== undefined && written !== path[i]!.ai) {
        return `convenience alphas are not part of GS1 Digital Link URI Syntax 1.4: write /${path[i]!.ai}/ instead of /${written}/`;
      }
    }
  }
  if (parseDigitalLink(target, { permitZeroSuppressedGtin: true }).ok) {
    const gtin = /(?:\/01\/|[?&]01=)([0-9]+)/.exec(target)?.[1] ?? '';
    return `AI (01): a GTIN in a GS1 Digital Link URI must be written with 14 digits (got ${gtin.length}); pad a GTIN-8, -12 or -13 with leading zeros`;
  }
  if (problem === 'no GS1 Digital Link primary key found in the path')
    return explainPath(pathSegments(target));
  const sequence = /^the path AIs ((?:\(\d+\))+) are not a valid key-qualifier sequence$/.exec(problem);
  if (sequence) return explainSequence([...sequence[1]!.matchAll(/\d+/g)].map((m) => m[0])) ?? problem;
  const notAttribute = /^AI \((\d+)\) is not allowed as a data attribute$/.exec(problem);
  const key = pathSegments(target).find(isDlPrimaryKey);
  if (notAttribute && key && aiDefinition(key)?.dlKeyQualifierSequences.flat().includes(notAttribute[1]!)) {
    return `AI (${notAttribute[1]}) is a key qualifier of AI (${key}): it belongs in the path, not the query string`;
  }
  return problem;
}

/**
 * Whether an origin-form path that failed to parse was meant as a Digital Link (then 400) rather than
 * being some other resource (404): it starts with a numeric segment, or ends like a Digital Link path
 * (convenience alphas included).
 */
function claimsDigitalLink(path: string): boolean {
  if (/^\/[0-9]+(?:\/|$)/.test(path)) return true;
  return looksLikeDigitalLink(PARSE_STEM + path, { permitConvenienceAlphas: true });
}

function readQueryKeywords(parsed: ParsedDigitalLink):
  | {
      linkType: string | null;
      all: boolean;
      context: string | null;
      others: ResolverRequest['otherParameters'];
    }
  | { problem: string } {
  let linkType: string | null = null;
  let all = false;
  let context: string | null = null;
  let seenLinkType: string | null = null;
  const others: { name: string; value: string | null }[] = [];
  for (const parameter of parsed.otherParameters) {
    const name = decodeQueryValue(parameter.name);
    const value = parameter.value === null ? null : decodeQueryValue(parameter.value);
    // The keyword is `linkType`; its case is not significant (Resolver CE reads `linktype` too).
    if (name.toLowerCase() === 'linktype') {
      if (value === null || value === '') return { problem: 'the linkType parameter has no value' };
      if (seenLinkType !== null && seenLinkType !== value) {
        return { problem: 'the linkType parameter is given more than once, with different values' };
      }
      seenLinkType = value;
      const word = value.toLowerCase();
      // Resolver 2.2: `linkset` asks for the linkset; `all` is its deprecated synonym (Resolver 1.0).
      if (word === 'linkset' || word === 'all') {
        all = true;
        continue;
      }
      const curie = gs1LinkTypeCurie(value);
      if (curie) linkType = curie;
      else if (/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(value))
        linkType = value; // another CURIE or URI
      else {
        return {
          problem: `linkType ${quote(value)} is not a link type: give a CURIE (gs1:pip), a GS1 Web Vocabulary URI (https://gs1.org/voc/pip) or linkset`,
        };
      }
      continue;
    }
    if (name === 'context') {
      context = value;
      continue;
    }
    others.push({ name, value });
  }
  return { linkType: all ? null : linkType, all, context, others };
}

/**
 * Reads a request target: origin-form (`/01/09506000134352/10/ABC?17=260131&linkType=gs1:pip`) or
 * absolute-form (`https://id.example.org/01/…`, RFC 9112 3.2.2). One trailing slash of an origin-form
 * path is tolerated (Resolver 2.13). See `ResolverRefusal` for the statuses.
 */
export function parseResolverRequest(url: string): ResolverParse {
  if (url.length > MAX_RESOLVER_URL) {
    return refuse(
      414,
      `the request URI has ${url.length} characters; this resolver reads at most ${MAX_RESOLVER_URL}`,
    );
  }
  const absolute = /^https?:\/\//i.test(url);
  if (!absolute && !url.startsWith('/')) {
    return refuse(400, 'the request target must be a path (/01/…) or an absolute http(s) URI');
  }
  const hash = url.indexOf('#');
  const beforeFragment = hash < 0 ? url : url.slice(0, hash);
  const question = beforeFragment.indexOf('?');
  let path = question < 0 ? beforeFragment : beforeFragment.slice(0, question);
  const query = question < 0 ? '' : beforeFragment.slice(question + 1);
  // Resolver 2.13: a request path may end with one "/". An absolute URI is judged by the URI syntax
  // alone, which has no trailing slash (the syntax engine refuses `https://a/00/…/`).
  if (!absolute && path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);

  const target = `${absolute ? path : PARSE_STEM + path}${question >= 0 ? `?${query}` : ''}${hash >= 0 ? url.slice(hash) : ''}`;
  const parsed = parseDigitalLink(target);
  if (!parsed.ok) {
    if (!absolute && !claimsDigitalLink(path)) {
      return refuse(404, `${quote(path)} is not a GS1 Digital Link URI path`);
    }
    return refuse(400, explainRefusal(target, parsed.problem));
  }
  const keywords = readQueryKeywords(parsed);
  if ('problem' in keywords) return refuse(400, keywords.problem);

  const pathElements = [parsed.primaryKey, ...parsed.keyQualifiers];
  return {
    ok: true,
    primaryKey: { ai: parsed.primaryKey.ai, value: parsed.primaryKey.value },
    keyQualifiers: parsed.keyQualifiers.map(({ ai, value }) => ({ ai, value })),
    dataAttributes: parsed.attributes.map(({ ai, value }) => ({ ai, value })),
    linkType: keywords.linkType,
    all: keywords.all,
    context: keywords.context,
    otherParameters: keywords.others,
    query,
    stem: parsed.stem.replace(/^[A-Za-z]+:\/\/[^/]*/, ''),
    canonicalPath: pathElements
      .map(({ ai, value }) => `/${ai}/${escapeUriComponent(value, 'path')}`)
      .join(''),
  };
}

// --- data entries (GS1 Resolver CE "data entry v3") ---------------------------------------------

export type DataEntriesRead =
  | { readonly ok: true; readonly entries: ResolverEntry[] }
  | { readonly ok: false; readonly problems: string[] };

const ENTRY_MEMBERS = ['anchor', 'itemDescription', 'defaultLinktype', 'qualifiers', 'links'];
const LINK_MEMBERS = ['linktype', 'href', 'title', 'type', 'hreflang', 'context'];
const TEMPLATE = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const HREF_VARIABLE = /\{([^{}]*)\}/g;
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
/** RFC 6838 type/subtype, no parameters. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
/** A BCP 47 language tag in its general shape (`en`, `en-GB`, `zh-Hant-TW`, `es-419`, `und`). */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** A JSON pointer token (RFC 6901). */
function pointer(base: string, token: string | number): string {
  return `${base}/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Problems {
  readonly list: string[] = [];
  add(at: string, message: string): void {
    // The root's pointer is the empty string (RFC 6901); "/" would be a member named "".
    if (this.list.length < MAX_PROBLEMS) this.list.push(`${at || '(root)'}: ${message}`);
    else if (this.list.length === MAX_PROBLEMS) this.list.push(`…: more than ${MAX_PROBLEMS} problems`);
  }
  get count(): number {
    return this.list.length;
  }
}

function checkMembers(
  value: Record<string, unknown>,
  allowed: readonly string[],
  at: string,
  problems: Problems,
) {
  for (const name of Object.keys(value)) {
    if (allowed.includes(name)) continue;
    const meant = allowed.find((a) => a.toLowerCase() === name.toLowerCase());
    problems.add(
      pointer(at, name),
      meant ? `unknown member (did you mean "${meant}"?)` : `unknown member (expected ${allowed.join(', ')})`,
    );
  }
}

/** The anchor: a Digital Link path of a primary key alone; its canonical form, or null. */
function readAnchor(value: unknown, at: string, problems: Problems): AiValue | null {
  if (typeof value !== 'string' || value === '') {
    problems.add(at, 'required: the primary key as a Digital Link path, e.g. "/01/09506000134352"');
    return null;
  }
  if (!value.startsWith('/') || /[?#]/.test(value)) {
    problems.add(at, 'must be a Digital Link path such as "/01/09506000134352", without query or fragment');
    return null;
  }
  const parsed = parseDigitalLink(PARSE_STEM + value);
  if (!parsed.ok) {
    problems.add(
      at,
      `not a valid GS1 Digital Link primary key: ${explainRefusal(PARSE_STEM + value, parsed.problem)}`,
    );
    return null;
  }
  if (parsed.stem !== PARSE_STEM) {
    problems.add(at, 'must start with the primary key AI (no path before it)');
    return null;
  }
  if (parsed.keyQualifiers.length > 0) {
    problems.add(at, 'must be the primary key only; give key qualifiers in "qualifiers"');
    return null;
  }
  return { ai: parsed.primaryKey.ai, value: parsed.primaryKey.value };
}

/** The qualifiers → `/10/{lot}/21/ABC`, and the template variables they define. */
function readQualifiers(
  value: unknown,
  key: AiValue | null,
  at: string,
  problems: Problems,
): { path: string; variables: Set<string> } | null {
  const variables = new Set<string>();
  if (value === undefined) return { path: '', variables };
  if (!Array.isArray(value)) {
    problems.add(at, 'must be an array of one-member objects such as {"10": "{lotnumber}"}');
    return null;
  }
  const before = problems.count;
  const qualifiers: { ai: string; value: string; template: boolean }[] = [];
  value.forEach((item, index) => {
    const itemAt = pointer(at, index);
    const names = isObject(item) ? Object.keys(item) : [];
    if (!isObject(item) || names.length !== 1) {
      problems.add(
        itemAt,
        'must be an object with exactly one member, AI → value, such as {"21": "{serialnumber}"}',
      );
      return;
    }
    const ai = names[0]!;
    const raw = item[ai];
    const rawAt = pointer(itemAt, ai);
    if (!/^[0-9]{2,4}$/.test(ai) || !lookupAi(ai)) {
      problems.add(rawAt, `${quote(ai)} is not a known GS1 Application Identifier`);
      return;
    }
    if (typeof raw !== 'string' || raw === '') {
      problems.add(rawAt, 'must be a non-empty string: a value or a template such as "{serialnumber}"');
      return;
    }
    const template = TEMPLATE.exec(raw);
    if (template) {
      if (variables.has(template[1]!)) problems.add(rawAt, `the variable {${template[1]}} is defined twice`);
      variables.add(template[1]!);
    } else {
      const invalid = validateAiValue(ai, raw);
      if (invalid) problems.add(rawAt, invalid);
    }
    qualifiers.push({ ai, value: raw, template: template !== null });
  });
  if (problems.count > before || key === null) return null;
  const ais = [key.ai, ...qualifiers.map((q) => q.ai)];
  if (!isValidDlPathSequence(ais)) {
    problems.add(at, explainSequence(ais) ?? 'not a valid key-qualifier sequence');
    return null;
  }
  const path = qualifiers
    .map((q) => `/${q.ai}/${q.template ? q.value : escapeUriComponent(q.value, 'path')}`)
    .join('');
  return { path, variables };
}

function readString(
  value: unknown,
  at: string,
  problems: Problems,
  what: { required: boolean; max: number },
): string | undefined {
  if (value === undefined && !what.required) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.add(at, 'required: a non-empty string');
    return undefined;
  }
  if (value.length > what.max) problems.add(at, `too long (${value.length} characters; at most ${what.max})`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) problems.add(at, 'contains control characters');
  return value;
}

function readLinkType(value: unknown, at: string, problems: Problems): string | undefined {
  if (typeof value !== 'string' || value === '') {
    problems.add(at, 'required: a GS1 link type such as gs1:pip or https://gs1.org/voc/pip');
    return undefined;
  }
  const curie = gs1LinkTypeCurie(value);
  if (curie === null) {
    problems.add(at, `${quote(value)} is not a GS1 link type: give gs1:pip or https://gs1.org/voc/pip`);
  }
  return curie ?? undefined;
}

function readHref(value: unknown, variables: ReadonlySet<string>, at: string, problems: Problems) {
  if (typeof value !== 'string' || value === '') {
    problems.add(at, 'required: an absolute http(s) URL');
    return undefined;
  }
  if (value.length > MAX_HREF_LENGTH) {
    problems.add(at, `too long (${value.length} characters; at most ${MAX_HREF_LENGTH})`);
    return undefined;
  }
  let unknown: string | null = null;
  const filled = value.replace(HREF_VARIABLE, (_whole, name: string) => {
    if (!variables.has(name) && name !== '0' && name !== '1') unknown ??= name;
    return 'x';
  });
  if (unknown !== null) {
    problems.add(at, `uses the variable {${unknown}}, which the entry's qualifiers do not define`);
    return undefined;
  }
  let url: URL | null = null;
  try {
    url = new URL(filled);
  } catch {
    url = null;
  }
  if (
    !URI_CHARACTERS.test(filled) ||
    url === null ||
    !/^https?:$/.test(url.protocol) ||
    url.hostname === ''
  ) {
    problems.add(
      at,
      `${quote(value)} is not an absolute http(s) URL (characters outside a URI percent-encoded)`,
    );
    return undefined;
  }
  return value;
}

function readStringList(
  value: unknown,
  at: string,
  problems: Problems,
  rule: { max: number; pattern: RegExp; what: string; allowSingle: boolean },
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = rule.allowSingle && typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    problems.add(at, `must be a non-empty array of ${rule.what}`);
    return undefined;
  }
  if (list.length > rule.max) problems.add(at, `too many values (${list.length}; at most ${rule.max})`);
  const out: string[] = [];
  list.forEach((item, index) => {
    if (typeof item !== 'string' || !rule.pattern.test(item)) {
      problems.add(
        pointer(at, index),
        `${typeof item === 'string' ? quote(item) : 'this'} is not ${rule.what}`,
      );
    } else if (out.some((seen) => seen.toLowerCase() === item.toLowerCase())) {
      problems.add(pointer(at, index), `${quote(item)} is given twice`);
    } else out.push(item);
  });
  return out;
}

function readLink(value: unknown, variables: ReadonlySet<string>, at: string, problems: Problems) {
  if (!isObject(value)) {
    problems.add(at, 'must be an object with linktype, href and title');
    return null;
  }
  checkMembers(value, LINK_MEMBERS, at, problems);
  const linkType = readLinkType(value.linktype, pointer(at, 'linktype'), problems);
  const href = readHref(value.href, variables, pointer(at, 'href'), problems);
  const title = readString(value.title, pointer(at, 'title'), problems, {
    required: true,
    max: MAX_TITLE_LENGTH,
  });
  let type: string | null | undefined;
  if (value.type === null || value.type === undefined) type = value.type;
  else if (typeof value.type === 'string' && MEDIA_TYPE.test(value.type)) type = value.type;
  else problems.add(pointer(at, 'type'), 'must be a media type such as "text/html" (RFC 6838), or null');
  const hreflang = readStringList(value.hreflang, pointer(at, 'hreflang'), problems, {
    max: MAX_LANGUAGES,
    pattern: LANGUAGE_TAG,
    what: 'BCP 47 language tags such as "en" or "en-GB" ("und": any language)',
    allowSingle: false,
  });
  const context = readStringList(value.context, pointer(at, 'context'), problems, {
    max: MAX_CONTEXTS,
    pattern: new RegExp(`^[^\\s\\u0000-\\u001f][^\\u0000-\\u001f]{0,${MAX_CONTEXT_LENGTH - 1}}$`),
    what: `context values (non-empty strings of at most ${MAX_CONTEXT_LENGTH} characters)`,
    allowSingle: true,
  });
  if (linkType === undefined || href === undefined || title === undefined) return null;
  const link: ResolverLink = {
    linkType,
    href,
    title,
    ...(type !== undefined ? { type } : {}),
    ...(hreflang ? { hreflang } : {}),
    ...(context ? { context } : {}),
  };
  return link;
}

function readEntry(value: unknown, at: string, problems: Problems): ResolverEntry | null {
  if (!isObject(value)) {
    problems.add(at, 'must be an object with anchor, itemDescription, defaultLinktype and links');
    return null;
  }
  const before = problems.count;
  checkMembers(value, ENTRY_MEMBERS, at, problems);
  const key = readAnchor(value.anchor, pointer(at, 'anchor'), problems);
  const qualifiers = readQualifiers(value.qualifiers, key, pointer(at, 'qualifiers'), problems);
  const itemDescription = readString(value.itemDescription, pointer(at, 'itemDescription'), problems, {
    required: true,
    max: MAX_ITEM_DESCRIPTION_LENGTH,
  });
  const defaultLinkType = readLinkType(value.defaultLinktype, pointer(at, 'defaultLinktype'), problems);
  const linksAt = pointer(at, 'links');
  const links: ResolverLink[] = [];
  if (!Array.isArray(value.links) || value.links.length === 0) {
    problems.add(linksAt, 'required: a non-empty array of links');
  } else if (value.links.length > MAX_LINKS_PER_ENTRY) {
    problems.add(linksAt, `too many links (${value.links.length}; at most ${MAX_LINKS_PER_ENTRY} per entry)`);
  } else {
    value.links.forEach((item, index) => {
      const link = readLink(item, qualifiers?.variables ?? new Set(), pointer(linksAt, index), problems);
      if (link) links.push(link);
    });
  }
  if (defaultLinkType && links.length > 0 && !links.some((l) => l.linkType === defaultLinkType)) {
    problems.add(pointer(at, 'defaultLinktype'), `no link of the entry has the link type ${defaultLinkType}`);
  }
  if (problems.count > before || !key || !qualifiers || itemDescription === undefined || !defaultLinkType) {
    return null;
  }
  return {
    anchor: `/${key.ai}/${escapeUriComponent(key.value, 'path')}`,
    qualifierPath: qualifiers.path,
    itemDescription,
    defaultLinkType,
    links,
  };
}

/**
 * Reads resolver data in the GS1 Resolver CE "data entry v3" format: one entry or an array of them,
 * each `{ anchor, itemDescription, defaultLinktype, qualifiers?, links: [{ linktype, href, title,
 * type?, hreflang?, context? }] }`. Link types become CURIEs, anchors and qualifier paths canonical
 * Digital Link paths. Every problem is reported, with the JSON pointer of the offending value.
 */
export function readDataEntries(json: unknown): DataEntriesRead {
  const problems = new Problems();
  const items = Array.isArray(json) ? json : [json];
  const base = Array.isArray(json) ? '' : null;
  if (items.length === 0) return { ok: false, problems: ['(root): no entry'] };
  if (items.length > MAX_DATA_ENTRIES) {
    return {
      ok: false,
      problems: [`(root): too many entries (${items.length}; at most ${MAX_DATA_ENTRIES})`],
    };
  }
  const entries: ResolverEntry[] = [];
  const seen = new Map<string, string>();
  items.forEach((item, index) => {
    const at = base === null ? '' : pointer(base, index);
    const entry = readEntry(item, at, problems);
    if (!entry) return;
    // Two entries for the same level would compete for every request; template names do not matter.
    const level = `${entry.anchor}${entry.qualifierPath.replace(/\{[^}]*\}/g, '{}')}`;
    const first = seen.get(level);
    if (first !== undefined) {
      problems.add(at, `a second entry for ${entry.anchor}${entry.qualifierPath} (the first is at ${first})`);
      return;
    }
    seen.set(level, at);
    entries.push(entry);
  });
  return problems.count > 0 ? { ok: false, problems: problems.list } : { ok: true, entries };
}

// --- resolution ----------------------------------------------------------------------------------

interface QualifierTemplate {
  readonly ai: string;
  /** The fixed value, or null for a template. */
  readonly value: string | null;
  readonly variable: string | null;
}

/** One entry that applies to the request: an "entry level" of Resolver 2.5.9. */
interface Level {
  readonly entry: ResolverEntry;
  readonly bindings: ReadonlyMap<string, string>;
  /** The level's Digital Link path with the request's values: the linkset anchor. */
  readonly path: string;
  /** Positions of the entry's qualifiers in the request path, largest first. */
  readonly rank: readonly number[];
  readonly fixedValues: number;
  readonly order: number;
}

function anchorKey(anchor: string): AiValue | null {
  const match = /^\/([0-9]{2,4})\/([^/?#]+)$/.exec(anchor);
  const value = match ? unescapeUriComponent(match[2]!, 'path') : null;
  return match && value !== null ? { ai: match[1]!, value } : null;
}

function qualifierTemplates(path: string): QualifierTemplate[] | null {
  if (path === '') return [];
  const segments = path.split('/');
  if (segments[0] !== '' || segments.length % 2 !== 1) return null;
  const out: QualifierTemplate[] = [];
  for (let i = 1; i < segments.length; i += 2) {
    const raw = segments[i + 1]!;
    const template = TEMPLATE.exec(raw);
    const value = template ? null : unescapeUriComponent(raw, 'path');
    if (!template && value === null) return null;
    out.push({ ai: segments[i]!, value, variable: template ? template[1]! : null });
  }
  return out;
}

function curieOf(linkType: string): string {
  return gs1LinkTypeCurie(linkType) ?? linkType;
}

/** Most specific first: the finest qualifier, then the next (lexicographic), then fixed values. */
function compareLevels(a: Level, b: Level): number {
  for (let i = 0; i < Math.max(a.rank.length, b.rank.length); i++) {
    const difference = (b.rank[i] ?? -1) - (a.rank[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return b.fixedValues - a.fixedValues || a.order - b.order;
}

/**
 * The entries that apply to the request, most specific first. Resolver 2.5.9: a request is answered
 * from its own level or a higher one, without redirecting ("walking up the tree"), and its linkset is
 * the union of the levels. An entry applies when each of its qualifiers is in the request with the
 * same value (a `{variable}` takes any value and binds it). The order of the key qualifiers in a path
 * (CPV, lot, serial) is one of growing granularity, so an entry with a serial number outranks one with
 * a lot and a CPV. For a key without an entry of its own, an entry whose anchor value begins the key's
 * value and whose links use `{1}` applies (variable assets, e.g. a GIAI range: GS1 Resolver CE); the
 * longest such anchor wins, `{0}` binds the anchor's value and `{1}` the rest.
 */
function levelsOf(request: ResolverRequest, entries: readonly ResolverEntry[]): Level[] {
  const key = request.primaryKey;
  const sameKey = entries
    .map((entry, order) => ({ entry, order, anchor: anchorKey(entry.anchor) }))
    .filter((x): x is typeof x & { anchor: AiValue } => x.anchor?.ai === key.ai);
  let pool = sameKey.filter((x) => x.anchor.value === key.value);
  let matched = key.value.length;
  if (pool.length === 0) {
    const prefixes = sameKey.filter(
      (x) =>
        x.anchor.value.length < key.value.length &&
        key.value.startsWith(x.anchor.value) &&
        x.entry.links.some((link) => link.href.includes('{1}')),
    );
    matched = Math.max(0, ...prefixes.map((x) => x.anchor.value.length));
    pool = prefixes.filter((x) => x.anchor.value.length === matched);
  }
  const keyPath = `/${key.ai}/${escapeUriComponent(key.value, 'path')}`;
  const levels: Level[] = [];
  for (const { entry, order } of pool) {
    const templates = qualifierTemplates(entry.qualifierPath);
    if (!templates) continue;
    const bindings = new Map([
      ['0', key.value.slice(0, matched)],
      ['1', key.value.slice(matched)],
    ]);
    const rank: number[] = [];
    let fixedValues = 0;
    let path = keyPath;
    const applies = templates.every((template) => {
      const index = request.keyQualifiers.findIndex((q) => q.ai === template.ai);
      const qualifier = request.keyQualifiers[index];
      if (!qualifier) return false;
      if (template.variable !== null) bindings.set(template.variable, qualifier.value);
      else if (template.value !== qualifier.value) return false;
      else fixedValues++;
      rank.push(index);
      path += `/${qualifier.ai}/${escapeUriComponent(qualifier.value, 'path')}`;
      return true;
    });
    if (applies) levels.push({ entry, bindings, path, rank: rank.sort((a, b) => b - a), fixedValues, order });
  }
  return levels.sort(compareLevels);
}

/** Bound variables into an href, each value percent-encoded as a URI component. */
function substitute(href: string, bindings: ReadonlyMap<string, string>): string {
  return href.replace(HREF_VARIABLE, (whole, name: string) => {
    const value = bindings.get(name);
    return value === undefined ? whole : escapeUriComponent(value, 'path');
  });
}

/**
 * The links of an entry's default type: its `defaultLinkType`, else `gs1:defaultLink`, else the type
 * of its first link. Resolver 2.5.8: one default per entry; its first link is the default link.
 */
function defaultLinksOf(entry: ResolverEntry): readonly ResolverLink[] {
  for (const type of [entry.defaultLinkType, DEFAULT_LINK]) {
    if (!type) continue;
    const links = entry.links.filter((link) => curieOf(link.linkType) === curieOf(type));
    if (links.length > 0) return links;
  }
  const first = entry.links[0];
  return first ? entry.links.filter((link) => link.linkType === first.linkType) : [];
}

/** `value;q=0.8, …` (Accept, Accept-Language): items by falling q (stable); bad q drops the item. */
function weighted(header: string | undefined): { value: string; q: number }[] {
  const out: { value: string; q: number }[] = [];
  for (const part of (header ?? '').split(',')) {
    const [rawValue = '', ...parameters] = part.split(';');
    const value = rawValue.trim().toLowerCase();
    if (value === '') continue;
    let q: number | null = 1;
    for (const parameter of parameters) {
      const match = /^\s*q\s*=\s*(\S*)\s*$/i.exec(parameter);
      if (!match) continue;
      q = /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/.test(match[1]!) ? Number(match[1]) : null;
    }
    if (q !== null) out.push({ value, q });
  }
  return out.sort((a, b) => b.q - a.q);
}

/** RFC 4647 3.4 lookup: the range, then shorter and shorter prefixes (a singleton goes with its tail). */
function lookupChain(range: string): string[] {
  const chain: string[] = [];
  let subtags = range.split('-');
  while (subtags.length > 0) {
    chain.push(subtags.join('-'));
    subtags = subtags.slice(0, -1);
    while (subtags.length > 0 && subtags[subtags.length - 1]!.length === 1) subtags = subtags.slice(0, -1);
  }
  return chain;
}

/**
 * Chooses among links of one type (Resolver 2.6.3: Accept-Language SHOULD, `context` MAY be used).
 * The `context` keyword keeps the links of that context, if any. Then for each language range of
 * Accept-Language by falling q (q=0 and `*` ignored), RFC 4647 lookup: a link tagged with the range
 * or a prefix of it (`en` for `en-GB`), then one tagged more specifically than the range or one of
 * its prefixes (`en-US` for `en` or `en-GB`). When the request names languages and none matches, a
 * link for any language (`und`, or no hreflang); otherwise — and with no language information at all
 * (Resolver 2.6.1: the default unless the request says better) — the first link.
 */
function chooseLink(
  links: readonly ResolverLink[],
  acceptLanguage: string | undefined,
  context: string | null,
): { link: ResolverLink; pool: readonly ResolverLink[] } {
  let pool = links;
  if (context !== null) {
    const inContext = pool.filter((link) => link.context?.includes(context));
    if (inContext.length > 0) pool = inContext;
  }
  const chosen = (link: ResolverLink) => ({ link, pool });
  const tags = (link: ResolverLink) => (link.hreflang ?? []).map((tag) => tag.toLowerCase());
  const ranges = weighted(acceptLanguage)
    .filter((item) => item.q > 0 && LANGUAGE_TAG.test(item.value))
    .map((item) => item.value);
  for (const range of ranges) {
    const chain = lookupChain(range);
    for (const tag of chain) {
      const hit = pool.find((link) => tags(link).includes(tag));
      if (hit) return chosen(hit);
    }
    for (const tag of chain) {
      const hit = pool.find((link) => tags(link).some((t) => t.startsWith(`${tag}-`)));
      if (hit) return chosen(hit);
    }
  }
  if (ranges.length > 0) {
    const anyLanguage = pool.find((link) => tags(link).length === 0 || tags(link).includes('und'));
    if (anyLanguage) return chosen(anyLanguage);
  }
  return chosen(pool[0]!);
}

function sameValues(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const normal = (list: readonly string[] | undefined) =>
    [...(list ?? [])].map((v) => v.toLowerCase()).sort();
  return normal(a).join('\n') === normal(b).join('\n');
}

/** The links a request cannot tell from `link`: same media type, languages and context. */
function indistinguishable(link: ResolverLink, pool: readonly ResolverLink[]): ResolverLink[] {
  return pool.filter(
    (other) =>
      (other.type ?? null) === (link.type ?? null) &&
      sameValues(other.hreflang, link.hreflang) &&
      sameValues(other.context, link.context),
  );
}

/**
 * Resolver 2.12: "by default, SHALL pass on all key=value pairs in the query string of the request
 * URI (if present) when redirecting" — so the whole query string goes on to the target, as received
 * (linkType and data attributes included), before the target's fragment. The per-link switch of
 * Resolver 1.1 (`fwqs`) is not part of the data entry format and was removed in Resolver 1.2.
 */
function withQuery(href: string, query: string): string {
  if (query === '') return href;
  const hash = href.indexOf('#');
  const base = hash < 0 ? href : href.slice(0, hash);
  const fragment = hash < 0 ? '' : href.slice(hash);
  const separator = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  return `${base}${separator}${query}${fragment}`;
}

function qualityOf(items: readonly { value: string; q: number }[], type: string): number {
  return Math.max(-1, ...items.filter((item) => item.value === type).map((item) => item.q));
}

/** Whether Accept asks for the linkset: linkset+json acceptable and no concrete type preferred to it. */
function prefersLinkset(accept: string | undefined): boolean {
  const items = weighted(accept);
  const linkset = qualityOf(items, 'application/linkset+json');
  const others = items.filter(
    (item) => !item.value.includes('*') && item.value !== 'application/linkset+json',
  );
  return linkset > 0 && others.every((item) => item.q <= linkset);
}

function linksetMediaType(accept: string | undefined): LinksetMediaType {
  const items = weighted(accept);
  const json = qualityOf(items, 'application/json');
  return json > 0 && json > qualityOf(items, 'application/linkset+json')
    ? 'application/json'
    : 'application/linkset+json';
}

function resolverRoot(publicBase: URL): string {
  return `${publicBase.origin}${publicBase.pathname.replace(/\/+$/, '')}`;
}

function targetOf(link: ResolverLink, bindings: ReadonlyMap<string, string>): LinksetTarget {
  // `und` is for choosing; the GS1 linkset schema admits only language tags in hreflang.
  const hreflang = (link.hreflang ?? []).filter((tag) => tag.toLowerCase() !== 'und');
  return {
    href: substitute(link.href, bindings),
    title: link.title,
    ...(link.type ? { type: link.type } : {}),
    ...(hreflang.length > 0 ? { hreflang } : {}),
    ...(link.context && link.context.length > 0 ? { context: [...link.context] } : {}),
  };
}

/**
 * The RFC 9264 linkset (Resolver 2.2, 2.10): one context object per level, most specific first, its
 * anchor the level's URI on this resolver; `itemDescription`; link types as GS1 Web Vocabulary URIs;
 * `gs1:defaultLink` with only href and title (Resolver 2.5.8), the default also listed under its own
 * type.
 */
function linksetOf(levels: readonly Level[], root: string): Linkset {
  return {
    linkset: levels.map((level) => {
      const context: Record<string, string | LinksetTarget[]> = { anchor: `${root}${level.path}` };
      if (level.entry.itemDescription) context.itemDescription = level.entry.itemDescription;
      const explicit = level.entry.links.find((link) => curieOf(link.linkType) === DEFAULT_LINK);
      const defaultLink = explicit ?? defaultLinksOf(level.entry)[0];
      if (defaultLink) {
        context[linkTypeUri(DEFAULT_LINK)] = [
          { href: substitute(defaultLink.href, level.bindings), title: defaultLink.title },
        ];
      }
      for (const link of level.entry.links) {
        if (curieOf(link.linkType) === DEFAULT_LINK) continue;
        const relation = linkTypeUri(link.linkType);
        const targets = context[relation];
        const target = targetOf(link, level.bindings);
        if (Array.isArray(targets)) targets.push(target);
        else context[relation] = [target];
      }
      return context;
    }),
  };
}

/**
 * Answers a parsed request from the entries of its primary key (others are ignored):
 *  - 200 with the linkset when the request says `linkType=linkset` (or `all`), or names no link type
 *    and its Accept header prefers `application/linkset+json` (Resolver 2.2); `mediaType` is
 *    `application/json` when Accept prefers that;
 *  - 307 to the requested link type, found at the most specific level that has it (Resolver 2.6.2),
 *    404 when no level has it — never the default instead;
 *  - 307 to the default link of the most specific level, without a link type (Resolver 2.6.1);
 *  - 404 when no entry applies (Resolver 2.4.1: a valid URI of which nothing is known).
 * Among links of the chosen type the request's context and languages choose (`chooseLink`); the
 * query string is passed on (`withQuery`). `publicBase` is the resolver root the anchors use.
 */
export function resolve(
  request: ResolverRequest,
  entries: readonly ResolverEntry[],
  headers: ResolveHeaders,
  publicBase: URL,
): ResolveOutcome {
  const levels = levelsOf(request, entries);
  if (levels.length === 0) {
    return {
      status: 404,
      problem:
        request.keyQualifiers.length > 0
          ? `nothing is registered for ${request.canonicalPath} nor for a less specific level of it`
          : `nothing is registered for ${request.canonicalPath}`,
    };
  }
  const root = resolverRoot(publicBase);
  if (request.all || (request.linkType === null && prefersLinkset(headers.accept))) {
    return { status: 200, linkset: linksetOf(levels, root), mediaType: linksetMediaType(headers.accept) };
  }
  const wanted = request.linkType === null ? null : curieOf(request.linkType);
  let choice: { level: Level; links: readonly ResolverLink[] } | null = null;
  for (const level of levels) {
    const links =
      wanted === null || wanted === DEFAULT_LINK
        ? defaultLinksOf(level.entry)
        : level.entry.links.filter((link) => curieOf(link.linkType) === wanted);
    if (links.length > 0) {
      choice = { level, links };
      break;
    }
  }
  if (!choice) {
    return {
      status: 404,
      problem: wanted
        ? `no link of type ${wanted} for ${request.canonicalPath}`
        : `no link for ${request.canonicalPath}`,
    };
  }
  const { link, pool } = chooseLink(choice.links, headers.acceptLanguage, request.context);
  const bindings = choice.level.bindings;
  const href = substitute(link.href, bindings);
  const alternatives = indistinguishable(link, pool);
  return {
    status: 307,
    location: withQuery(href, request.query),
    link: { ...link, href },
    linksetUrl: `${root}${request.canonicalPath}?linkType=linkset`,
    ...(alternatives.length > 1
      ? { alternatives: alternatives.map((other) => ({ ...other, href: substitute(other.href, bindings) })) }
      : {}),
  };
}

// --- resolver description ------------------------------------------------------------------------

export interface ResolverDescription {
  readonly name: string;
  readonly resolverRoot: string;
  readonly supportedPrimaryKeys: readonly string[];
  readonly supportedLinkType: readonly { readonly namespace: string; readonly prefix: string }[];
  readonly linkTypeDefaultCanBeLinkset: boolean;
  readonly jsonLdContextLocation: string;
}

/**
 * The resolver description file served at `/.well-known/gs1resolver` (Resolver 3, validated by its
 * description-file schema): `resolverRoot` and `supportedPrimaryKeys` (required: every Digital Link
 * primary key of the AI dictionary, listed rather than "all", which would also promise compressed and
 * EPC binary URIs), the GS1 Web Vocabulary as the one link-type namespace (Resolver 2.14), the default
 * link type never `linkset` (2.11), and the linkset JSON-LD context (2.10).
 */
export function resolverDescription(
  publicUrl: URL,
  name = 'OCOP platform GS1 Digital Link resolver',
): ResolverDescription {
  return {
    name,
    resolverRoot: resolverRoot(publicUrl),
    supportedPrimaryKeys: KNOWN_AIS.filter(isDlPrimaryKey),
    supportedLinkType: [{ namespace: GS1_VOCABULARY, prefix: 'gs1:' }],
    linkTypeDefaultCanBeLinkset: false,
    jsonLdContextLocation: LINKSET_CONTEXT,
  };
}
