/**
 * EPC identifiers for EPCIS: EPC pure-identity URNs (GS1 EPC Tag Data Standard 2.0) and GS1
 * Digital Link URIs, converted into each other, checked, and reduced to one stored form. Pure.
 *
 * The URNs (TDS 2.0 §6 and §7, the EPC URI of each scheme; `CP` = GS1 Company Prefix):
 *   urn:epc:id:sgtin:CP.IndicatorItemRef.Serial      ↔ /01/{gtin}/21/{serial}
 *   urn:epc:class:lgtin:CP.IndicatorItemRef.Lot      ↔ /01/{gtin}/10/{lot}
 *   urn:epc:idpat:sgtin:CP.IndicatorItemRef.*        ↔ /01/{gtin}          (every instance of a GTIN)
 *   urn:epc:id:sscc:CP.ExtensionSerialRef            ↔ /00/{sscc}
 *   urn:epc:id:sgln:CP.LocationRef.Extension         ↔ /414/{gln}/254/{ext}, /414/{gln} when ext is 0
 *   urn:epc:id:pgln:CP.PartyRef                      ↔ /417/{gln}
 *   urn:epc:id:grai:CP.AssetType.Serial              ↔ /8003/0{grai}{serial}
 *   urn:epc:id:giai:CP.AssetRef                      ↔ /8004/{giai}
 *   urn:epc:id:gsrn:CP.ServiceRef, gsrnp             ↔ /8018/{gsrn}, /8017/{gsrn}
 *   urn:epc:id:gdti:CP.DocType.Serial                ↔ /253/{gdti}{serial}
 *   urn:epc:id:sgcn:CP.CouponRef.Serial              ↔ /255/{gcn}{serial}
 *   urn:epc:id:ginc:CP.ConsignmentRef                ↔ /401/{ginc}
 *   urn:epc:id:gsin:CP.ShipperRef                    ↔ /402/{gsin}
 *   urn:epc:id:cpi:CP.PartRef.Serial                 ↔ /8010/{cpid}/8011/{serial}
 *   urn:epc:id:itip:CP.IndicatorItemRef.Piece.Total.Serial ↔ /8006/{gtin}{piece}{total}/21/{serial}
 *   urn:epc:id:upui:CP.IndicatorItemRef.TPX          ↔ /01/{gtin}/235/{tpx}
 * plus `urn:epc:id:gid:Manager.Class.Serial` and the wildcard patterns `urn:epc:idpat:sgtin:CP.*.*`
 * / `*.*.*`, which are valid but have no Digital Link form. Serial-like components use the GS1 AI
 * encodable character set 82; in a URN `"`, `%`, `&`, `/`, `<`, `>`, `?` are written %22, %25,
 * %26, %2F, %3C, %3E, %3F (TDS 2.0 "GS3A3" components); a CPI part reference writes `#` and `/` as
 * %23 and %2F.
 *
 * A Digital Link URI does not say where the Company Prefix ends, which a URN needs. `gcpLength`
 * tells it (a number, or a function of the key's digits from the Company Prefix on); when it is
 * unknown, `defaultGcpLength` is used: 10 digits under GS1 Vietnam's prefix 893, 7 elsewhere (see
 * there). A wrong length still gives a valid URN of the same GS1 key, which converts back to the same
 * Digital Link URI; only the split of the key is wrong. That is why the stored form is the Digital
 * Link URI (`canonicalEpc`).
 */

import { type AiElement, checkAiAssociations, isCset82, validateAiValue } from './ai.ts';
import { withGs1CheckDigit } from './check-digit.ts';
import {
  CANONICAL_DL_STEM,
  type DigitalLinkParseOptions,
  generateDigitalLink,
  looksLikeDigitalLink,
  parseDigitalLink,
} from './digital-link.ts';

/** Where a key's GS1 Company Prefix ends: a length, or a function of the key's digits from it on. */
export type GcpLength = number | ((keyFromCompanyPrefix: string) => number | undefined);

export interface EpcOptions {
  /** The GS1 Company Prefix length of the key being converted; `defaultGcpLength` when unknown. */
  readonly gcpLength?: GcpLength;
}

/** GS1 Vietnam's GS1 prefix. */
export const VIETNAM_GS1_PREFIX = '893';

/**
 * The Company Prefix length assumed when none is given.
 *
 *  - Keys under 893 (GS1 Vietnam): 10 digits. TCVN 6939:2019 gives Vietnamese Company Prefixes of
 *    7, 8, 9 or 10 digits (893 + 4 to 7 digits); GS1 Vietnam now issues 8, 9 and 10 digits, by the
 *    number of products a company needs (under 10 000, 1 000, 100). OCOP producers are small and
 *    rarely number more than 100 products, so the 10-digit prefix is the likeliest.
 *  - Any other key: 7 digits, the length of every Company Prefix in GS1's EPCIS and TDS examples
 *    (0614141, 4012345, 9520123…) and the commonest length among long-standing GS1 members.
 * A function of the same shape can replace it through `EpcOptions.gcpLength` (e.g. a lookup in the
 * producers' registered prefixes).
 */
export function defaultGcpLength(keyFromCompanyPrefix: string): number {
  return keyFromCompanyPrefix.startsWith(VIETNAM_GS1_PREFIX) ? 10 : 7;
}

const MIN_GCP_LENGTH = 6;
const MAX_GCP_LENGTH = 12;

function gcpLengthOf(keyFromCompanyPrefix: string, options: EpcOptions): number | null {
  const given = options.gcpLength;
  const length =
    typeof given === 'number'
      ? given
      : ((typeof given === 'function' ? given(keyFromCompanyPrefix) : undefined) ??
        defaultGcpLength(keyFromCompanyPrefix));
  if (!Number.isInteger(length) || length < MIN_GCP_LENGTH || length > MAX_GCP_LENGTH) return null;
  return length;
}

// --- URN components ------------------------------------------------------------------------------

const GS3A3_ESCAPES: Readonly<Record<string, string>> = {
  '"': '%22',
  '%': '%25',
  '&': '%26',
  '/': '%2F',
  '<': '%3C',
  '>': '%3E',
  '?': '%3F',
};
const GS3A3_SAFE = /^[A-Za-z0-9!'()*+,\-.:;=_]$/;

/** Writes a CSET 82 value as an EPC URN component (TDS "GS3A3"), escaping what a URN may not hold. */
export function escapeEpcComponent(value: string): string {
  let out = '';
  for (const char of value) out += GS3A3_ESCAPES[char] ?? char;
  return out;
}

/**
 * Reads an EPC URN component (TDS "GS3A3") back to its value: null when it holds a character a URN
 * component may not, or an escape other than the seven of TDS 2.0.
 */
export function unescapeEpcComponent(component: string): string | null {
  let out = '';
  for (let i = 0; i < component.length; i++) {
    const char = component.charAt(i);
    if (char === '%') {
      const escaped = component.slice(i, i + 3).toUpperCase();
      const decoded = Object.keys(GS3A3_ESCAPES).find((c) => GS3A3_ESCAPES[c] === escaped);
      if (decoded === undefined) return null;
      out += decoded;
      i += 2;
    } else if (GS3A3_SAFE.test(char)) {
      out += char;
    } else {
      return null;
    }
  }
  return out;
}

const CPI_ESCAPES: Readonly<Record<string, string>> = { '#': '%23', '/': '%2F' };

function escapeCpiComponent(value: string): string {
  return value.replace(/[#/]/g, (c) => CPI_ESCAPES[c]!);
}

function unescapeCpiComponent(component: string): string | null {
  if (!/^(?:[-0-9A-Z]|%2[3Ff])+$/.test(component)) return null;
  return component.replace(/%23/g, '#').replace(/%2F/gi, '/');
}

// --- URN parsing ---------------------------------------------------------------------------------

export type EpcUrnKind = 'id' | 'class' | 'idpat';

/** The EPC schemes this module reads and writes, by kind. */
export const EPC_SCHEMES: Readonly<Record<EpcUrnKind, readonly string[]>> = {
  id: [
    'sgtin',
    'sscc',
    'sgln',
    'pgln',
    'grai',
    'giai',
    'gsrn',
    'gsrnp',
    'gdti',
    'sgcn',
    'ginc',
    'gsin',
    'cpi',
    'itip',
    'upui',
    'gid',
  ],
  class: ['lgtin'],
  idpat: ['sgtin'],
};

export interface EpcUrn {
  readonly kind: EpcUrnKind;
  readonly scheme: string;
  /** The URN as this module writes it (lower-case prefix, upper-case escapes). */
  readonly urn: string;
  /** The GS1 AI elements it stands for, in Digital Link path order; null when it has no DL form. */
  readonly elements: AiElement[] | null;
}

export type EpcUrnParse = ({ ok: true } & EpcUrn) | { ok: false; problem: string };

class UrnProblem extends Error {}

function problem(message: string): never {
  throw new UrnProblem(message);
}

/** The body split at its first count-1 dots: the last component may itself contain dots. */
function split(body: string, count: number, scheme: string): string[] {
  const parts: string[] = [];
  let rest = body;
  for (let i = 1; i < count; i++) {
    const dot = rest.indexOf('.');
    if (dot < 0) problem(`an EPC ${scheme} URN has ${count} parts separated by "."`);
    parts.push(rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  parts.push(rest);
  return parts;
}

function companyPrefix(cp: string): string {
  if (!/^[0-9]+$/.test(cp)) problem('the GS1 Company Prefix must be digits');
  if (cp.length < MIN_GCP_LENGTH || cp.length > MAX_GCP_LENGTH) {
    problem(`the GS1 Company Prefix must have ${MIN_GCP_LENGTH} to ${MAX_GCP_LENGTH} digits`);
  }
  return cp;
}

/** A numeric reference that completes the Company Prefix to `total` digits (may be empty). */
function reference(cp: string, ref: string, total: number, what: string): string {
  if (!/^[0-9]*$/.test(ref)) problem(`the ${what} must be digits`);
  if (cp.length + ref.length !== total) {
    problem(`the Company Prefix and the ${what} must have ${total} digits together`);
  }
  return ref;
}

function serialComponent(component: string, max: number, what: string): string {
  const value = unescapeEpcComponent(component);
  if (value === null) problem(`the ${what} contains a character that must be %-escaped or is not allowed`);
  if (value === '') problem(`the ${what} is empty`);
  if (!isCset82(value)) problem(`the ${what} must use the GS1 character set 82`);
  if (value.length > max) problem(`the ${what} is longer than ${max} characters`);
  return value;
}

function numericSerial(component: string, max: number, what: string): string {
  if (!/^[0-9]+$/.test(component)) problem(`the ${what} must be digits`);
  if (component.length > max) problem(`the ${what} is longer than ${max} digits`);
  return component;
}

/** GTIN-14 from the Company Prefix and the indicator digit + item reference. */
function gtin(cp: string, indicatorItemRef: string): string {
  reference(cp, indicatorItemRef, 13, 'indicator digit and item reference');
  return withGs1CheckDigit(`${indicatorItemRef.charAt(0)}${cp}${indicatorItemRef.slice(1)}`);
}

function path(...pairs: [string, string][]): AiElement[] {
  return pairs.map(([ai, value], index) => ({ ai, value, dlPathOrder: index }));
}

/** The AI elements of an EPC URN body; throws UrnProblem. Null: valid, no Digital Link form. */
function elementsOf(kind: EpcUrnKind, scheme: string, body: string): AiElement[] | null {
  if (kind === 'idpat') {
    const [cp = '', iir = '', serial = ''] = split(body, 3, scheme);
    if (serial !== '*') problem('an sgtin pattern ends with ".*"');
    if (cp === '*' && iir === '*') return null;
    companyPrefix(cp);
    if (iir === '*') return null;
    return path(['01', gtin(cp, iir)]);
  }
  if (kind === 'class') {
    const [cp = '', iir = '', lot = ''] = split(body, 3, scheme);
    companyPrefix(cp);
    return path(['01', gtin(cp, iir)], ['10', serialComponent(lot, 20, 'lot')]);
  }
  switch (scheme) {
    case 'sgtin': {
      const [cp = '', iir = '', serial = ''] = split(body, 3, scheme);
      companyPrefix(cp);
      return path(['01', gtin(cp, iir)], ['21', serialComponent(serial, 20, 'serial number')]);
    }
    case 'sscc': {
      const [cp = '', ref = ''] = split(body, 2, scheme);
      companyPrefix(cp);
      reference(cp, ref, 17, 'extension digit and serial reference');
      return path(['00', withGs1CheckDigit(`${ref.charAt(0)}${cp}${ref.slice(1)}`)]);
    }
    case 'sgln': {
      const [cp = '', ref = '', ext = ''] = split(body, 3, scheme);
      companyPrefix(cp);
      const gln = withGs1CheckDigit(`${cp}${reference(cp, ref, 12, 'location reference')}`);
      const extension = serialComponent(ext, 20, 'GLN extension');
      return extension === '0' ? path(['414', gln]) : path(['414', gln], ['254', extension]);
    }
    case 'pgln': {
      const [cp = '', ref = ''] = split(body, 2, scheme);
      companyPrefix(cp);
      return path(['417', withGs1CheckDigit(`${cp}${reference(cp, ref, 12, 'party reference')}`)]);
    }
    case 'grai': {
      const [cp = '', type = '', serial = ''] = split(body, 3, scheme);
      companyPrefix(cp);
      const key = withGs1CheckDigit(`${cp}${reference(cp, type, 12, 'asset type')}`);
      return path(['8003', `0${key}${serialComponent(serial, 16, 'serial number')}`]);
    }
    case 'giai':
    case 'ginc': {
      const [cp = '', ref = ''] = split(body, 2, scheme);
      companyPrefix(cp);
      const value = `${cp}${serialComponent(ref, 30, scheme === 'giai' ? 'asset reference' : 'consignment reference')}`;
      if (value.length > 30) problem('the Company Prefix and the reference are longer than 30 characters');
      return path([scheme === 'giai' ? '8004' : '401', value]);
    }
    case 'gsrn':
    case 'gsrnp': {
      const [cp = '', ref = ''] = split(body, 2, scheme);
      companyPrefix(cp);
      const key = withGs1CheckDigit(`${cp}${reference(cp, ref, 17, 'service reference')}`);
      return path([scheme === 'gsrn' ? '8018' : '8017', key]);
    }
    case 'gdti':
    case 'sgcn': {
      const [cp = '', ref = '', serial = ''] = split(body, 3, scheme);
      companyPrefix(cp);
      const gdti = scheme === 'gdti';
      const key = withGs1CheckDigit(
        `${cp}${reference(cp, ref, 12, gdti ? 'document type' : 'coupon reference')}`,
      );
      const tail = gdti
        ? serialComponent(serial, 17, 'serial number')
        : numericSerial(serial, 12, 'serial number');
      return path([gdti ? '253' : '255', `${key}${tail}`]);
    }
    case 'gsin': {
      const [cp = '', ref = ''] = split(body, 2, scheme);
      companyPrefix(cp);
      return path(['402', withGs1CheckDigit(`${cp}${reference(cp, ref, 16, 'shipper reference')}`)]);
    }
    case 'cpi': {
      const [cp = '', ref = '', serial = ''] = split(body, 3, scheme);
      companyPrefix(cp);
      const part = unescapeCpiComponent(ref);
      if (part === null) problem('the component/part reference must be digits, A-Z, "-", "%2F" or "%23"');
      if (cp.length + part.length > 30) problem('the component/part identifier is longer than 30 characters');
      return path(['8010', `${cp}${part}`], ['8011', numericSerial(serial, 12, 'serial number')]);
    }
    case 'itip': {
      const [cp = '', iir = '', piece = '', total = '', serial = ''] = split(body, 5, scheme);
      companyPrefix(cp);
      if (!/^[0-9]{2}$/.test(piece) || !/^[0-9]{2}$/.test(total))
        problem('piece and total are two digits each');
      return path(
        ['8006', `${gtin(cp, iir)}${piece}${total}`],
        ['21', serialComponent(serial, 20, 'serial number')],
      );
    }
    case 'upui': {
      const [cp = '', iir = '', tpx = ''] = split(body, 3, scheme);
      companyPrefix(cp);
      return path(
        ['01', gtin(cp, iir)],
        ['235', serialComponent(tpx, 28, 'third-party controlled extension')],
      );
    }
    case 'gid': {
      for (const part of split(body, 3, scheme)) {
        if (!/^(0|[1-9][0-9]*)$/.test(part))
          problem('the parts of a GID are decimal numbers without leading zeros');
      }
      return null;
    }
    default:
      return problem(`urn:epc:${kind}:${scheme} is not an EPC scheme this platform knows`);
  }
}

const URN_PREFIX = /^urn:epc:(id|class|idpat):([a-z0-9]+):/i;

/** Whether the identifier is written as an EPC URN (`urn:epc:…`), valid or not. */
export function isEpcUrn(identifier: string): boolean {
  return /^urn:epc:/i.test(identifier);
}

/**
 * Reads an EPC pure-identity URN (or the lgtin class / sgtin pattern URNs of EPCIS), checking
 * lengths, digits, escapes and the character set; the check digits are computed, not carried.
 */
export function parseEpcUrn(identifier: string): EpcUrnParse {
  const match = URN_PREFIX.exec(identifier);
  if (!match) {
    return { ok: false, problem: 'an EPC URN starts with urn:epc:id:, urn:epc:class: or urn:epc:idpat:' };
  }
  const kind = match[1]!.toLowerCase() as EpcUrnKind;
  const scheme = match[2]!.toLowerCase();
  if (!EPC_SCHEMES[kind].includes(scheme)) {
    return { ok: false, problem: `urn:epc:${kind}:${scheme} is not an EPC scheme this platform knows` };
  }
  const body = identifier.slice(match[0].length);
  try {
    const elements = elementsOf(kind, scheme, body);
    if (elements) {
      for (const { ai, value } of elements) {
        const invalid = validateAiValue(ai, value);
        if (invalid) problem(invalid);
      }
      const association = checkAiAssociations(elements);
      if (association) problem(association);
    }
    // Written again from its elements with its own Company Prefix: escapes and case normalised.
    const own = elements ? fromPath(elements, { gcpLength: body.indexOf('.') }) : null;
    return { ok: true, kind, scheme, urn: own ?? `urn:epc:${kind}:${scheme}:${body}`, elements };
  } catch (error) {
    if (error instanceof UrnProblem) return { ok: false, problem: `${identifier}: ${error.message}` };
    throw error;
  }
}

// --- from Digital Link path to URN ---------------------------------------------------------------

/** Splits a key at its Company Prefix; null when the key has fewer digits than that or other chars. */
function cut(keyFromCp: string, numericLength: number, options: EpcOptions): [string, string] | null {
  const length = gcpLengthOf(keyFromCp, options);
  if (length === null || length > numericLength) return null;
  const cp = keyFromCp.slice(0, length);
  if (!/^[0-9]+$/.test(cp)) return null;
  return [cp, keyFromCp.slice(length, numericLength)];
}

function fromPath(elements: readonly AiElement[], options: EpcOptions): string | null {
  const [key, ...qualifiers] = elements;
  if (!key) return null;
  const q = new Map(qualifiers.map((e) => [e.ai, e.value]));
  const only = (...ais: string[]) => qualifiers.every((e) => ais.includes(e.ai));
  const value = key.value;
  switch (key.ai) {
    case '01': {
      const split = cut(value.slice(1), 12, options);
      if (!split) return null;
      const [cp, itemRef] = split;
      const iir = `${value.charAt(0)}${itemRef}`;
      const serial = q.get('21');
      const lot = q.get('10');
      const tpx = q.get('235');
      if (serial !== undefined) return `urn:epc:id:sgtin:${cp}.${iir}.${escapeEpcComponent(serial)}`;
      if (lot !== undefined) return `urn:epc:class:lgtin:${cp}.${iir}.${escapeEpcComponent(lot)}`;
      if (tpx !== undefined) return `urn:epc:id:upui:${cp}.${iir}.${escapeEpcComponent(tpx)}`;
      if (qualifiers.length === 0) return `urn:epc:idpat:sgtin:${cp}.${iir}.*`;
      return null;
    }
    case '00': {
      const split = cut(value.slice(1), 16, options);
      return split ? `urn:epc:id:sscc:${split[0]}.${value.charAt(0)}${split[1]}` : null;
    }
    case '414': {
      const split = cut(value, 12, options);
      if (!split || !only('254')) return null;
      return `urn:epc:id:sgln:${split[0]}.${split[1]}.${escapeEpcComponent(q.get('254') ?? '0')}`;
    }
    case '417': {
      const split = cut(value, 12, options);
      return split && qualifiers.length === 0 ? `urn:epc:id:pgln:${split[0]}.${split[1]}` : null;
    }
    case '8003': {
      const split = cut(value.slice(1), 12, options);
      const serial = value.slice(14);
      return split && serial !== ''
        ? `urn:epc:id:grai:${split[0]}.${split[1]}.${escapeEpcComponent(serial)}`
        : null;
    }
    case '8004':
    case '401': {
      const length = gcpLengthOf(value, options);
      if (length === null || qualifiers.length > 0 || value.length <= length) return null;
      const cp = value.slice(0, length);
      if (!/^[0-9]+$/.test(cp)) return null;
      return `urn:epc:id:${key.ai === '8004' ? 'giai' : 'ginc'}:${cp}.${escapeEpcComponent(value.slice(length))}`;
    }
    case '8017':
    case '8018': {
      const split = cut(value, 17, options);
      if (!split || qualifiers.length > 0) return null;
      return `urn:epc:id:${key.ai === '8018' ? 'gsrn' : 'gsrnp'}:${split[0]}.${split[1]}`;
    }
    case '253':
    case '255': {
      const split = cut(value, 12, options);
      const serial = value.slice(13);
      if (!split || serial === '') return null;
      const tail = key.ai === '253' ? escapeEpcComponent(serial) : serial;
      return `urn:epc:id:${key.ai === '253' ? 'gdti' : 'sgcn'}:${split[0]}.${split[1]}.${tail}`;
    }
    case '402': {
      const split = cut(value, 16, options);
      return split ? `urn:epc:id:gsin:${split[0]}.${split[1]}` : null;
    }
    case '8010': {
      const length = gcpLengthOf(value, options);
      const serial = q.get('8011');
      if (length === null || serial === undefined || value.length <= length) return null;
      const cp = value.slice(0, length);
      if (!/^[0-9]+$/.test(cp)) return null;
      return `urn:epc:id:cpi:${cp}.${escapeCpiComponent(value.slice(length))}.${serial}`;
    }
    case '8006': {
      const serial = q.get('21');
      const split = cut(value.slice(1), 12, options);
      if (!split || serial === undefined) return null;
      const iir = `${value.charAt(0)}${split[1]}`;
      return `urn:epc:id:itip:${split[0]}.${iir}.${value.slice(14, 16)}.${value.slice(16, 18)}.${escapeEpcComponent(serial)}`;
    }
    default:
      return null;
  }
}

// --- the public conversions ----------------------------------------------------------------------

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\p{Cc}]+$/u;

type Resolved =
  | { form: 'urn'; epc: EpcUrn }
  | { form: 'dl'; elements: AiElement[]; path: AiElement[] }
  | { form: 'other' }
  | { form: 'invalid'; problem: string };

function resolve(identifier: string, options: DigitalLinkParseOptions = {}): Resolved {
  if (identifier === '') return { form: 'invalid', problem: 'the identifier is empty' };
  if (isEpcUrn(identifier)) {
    const parsed = parseEpcUrn(identifier);
    return parsed.ok ? { form: 'urn', epc: parsed } : { form: 'invalid', problem: parsed.problem };
  }
  if (/^https?:/i.test(identifier) && looksLikeDigitalLink(identifier, options)) {
    const parsed = parseDigitalLink(identifier, options);
    if (!parsed.ok) return { form: 'invalid', problem: `${identifier}: ${parsed.problem}` };
    return { form: 'dl', elements: parsed.elements, path: [parsed.primaryKey, ...parsed.keyQualifiers] };
  }
  if (!ABSOLUTE_URI.test(identifier)) {
    return { form: 'invalid', problem: `${JSON.stringify(identifier)} is not an absolute URI` };
  }
  return { form: 'other' };
}

/**
 * Checks an identifier of an EPCIS event (epcList, parentID, readPoint, bizLocation, …): an EPC
 * URN or a GS1 Digital Link URI with a wrong check digit, a bad character or length, or an unknown
 * EPC scheme gives `{ problem }`; a valid one, or any other absolute URI (EPCIS allows private
 * identifiers: `urn:example:…`, `https://example.com/…` that is not a Digital Link URI), null.
 */
export function checkEpcIdentifier(identifier: string): { problem: string } | null {
  const resolved = resolve(identifier);
  return resolved.form === 'invalid' ? { problem: resolved.problem } : null;
}

/**
 * The EPC URN of an identifier given as a URN (returned normalised) or a GS1 Digital Link URI
 * (split at the Company Prefix by `options.gcpLength`, else `defaultGcpLength`). Null for an invalid
 * identifier, a non-GS1 URI, or a Digital Link URI with no EPC (e.g. `/01/{gtin}/22/{cpv}` alone,
 * `/414/{gln}/7040/…`, a GRAI or GDTI without serial). A CPV (22) is dropped, and a Digital Link
 * URI naming both a lot and a serial gives the SGTIN: GTIN + serial identify the instance, GTIN +
 * lot the lot, and an EPC URN has no place for the rest.
 */
export function toEpcUrn(identifier: string, options: EpcOptions = {}): string | null {
  const resolved = resolve(identifier);
  if (resolved.form === 'urn') return resolved.epc.urn;
  if (resolved.form === 'dl') return fromPath(resolved.path, options);
  return null;
}

/**
 * The GS1 Digital Link URI of an identifier under `stem`: from an EPC URN (null for those without a
 * Digital Link form: gid, wildcard patterns), or a Digital Link URI moved to `stem` with its data
 * attributes kept. Null for an invalid identifier or a non-GS1 URI.
 */
export function toDigitalLink(identifier: string, stem: string = CANONICAL_DL_STEM): string | null {
  const resolved = resolve(identifier);
  if (resolved.form === 'urn')
    return resolved.epc.elements ? generateDigitalLink(resolved.epc.elements, stem) : null;
  if (resolved.form === 'dl') return generateDigitalLink(resolved.elements, stem);
  return null;
}

/**
 * The one form the repository stores for an identifier, so that the same object written as an EPC
 * URN or as a Digital Link URI (under any domain) matches:
 *  - a GS1 identifier with a Digital Link form: the Digital Link URI under https://id.gs1.org, with
 *    the primary key and key qualifiers only (data attributes and other query parameters are not
 *    part of an identifier), a GLN extension "0" left out (TDS: extension 0 = none). It needs no
 *    Company Prefix length and converts back to the EPC URN without loss;
 *  - an EPC URN without a Digital Link form (gid, wildcard patterns): the URN, normalised;
 *  - any other absolute URI: itself, unchanged;
 *  - null for an invalid GS1 identifier (see checkEpcIdentifier) or a string that is not a URI.
 */
export function canonicalEpc(identifier: string, options: DigitalLinkParseOptions = {}): string | null {
  const resolved = resolve(identifier, options);
  switch (resolved.form) {
    case 'urn':
      return resolved.epc.elements ? generateDigitalLink(resolved.epc.elements) : resolved.epc.urn;
    case 'dl': {
      const path = resolved.path.filter((e) => !(e.ai === '254' && e.value === '0'));
      return generateDigitalLink(path);
    }
    case 'other':
      return identifier;
    case 'invalid':
      return null;
  }
}
