/**
 * GS1 Application Identifiers (AIs): the table, value validation, element strings. Pure functions;
 * the table is read once, when this module is loaded, from `data/gs1/gs1-ai-dictionary.json` (the
 * GS1 Barcode Syntax Dictionary, Apache-2.0, see `data/gs1/README.md`).
 *
 * What the dictionary says about each AI, and what is checked here:
 *  - its components, each `N` (digits), `X` (GS1 AI encodable character set 82), `Y` (CSET 39:
 *    `#-/0-9A-Z`) or `Z` (base64url), fixed (`N14`) or variable (`X..20`) length, optional
 *    (`[N3]`), each followed by linters (`csum` check digit, `yymmd0` date with day 00 allowed,
 *    `yymmdd`, …). Every linter of the dictionary is applied, except those that need a code list
 *    this repository does not carry (`UNCHECKED_LINTERS`: country, currency, package type, coupon
 *    codes): those components are checked for their character set and length only.
 *  - whether it needs an FNC1 separator after it (flag `*` = predefined length, no separator);
 *  - whether it may be a GS1 Digital Link data attribute (flag `?`), whether it is a Digital Link
 *    primary key and its key qualifiers in order (`dlpkey=22,10,21|235`);
 *  - which AIs it requires (`req=01+21,02`) or excludes (`ex=255,37`).
 *
 * Element strings come in two notations: bracketed, `(01)09520123456788(10)ABC`, with `\(` for a
 * bracket inside a value, and the "^" form of the GS1 Barcode Syntax Engine, `^0109520123456788` +
 * `10ABC`, where `^` stands for FNC1: first, and after a variable-length value that is followed by
 * another AI. Both parse into `AiElement`s in the order given; the association rules
 * (`checkAiAssociations`) are a separate step, as in the syntax engine, because a label's data
 * may be split over several carriers.
 */

import fs from 'node:fs';
import { referenceDataPath } from '../paths.ts';
import { hasValidCheckCharacterPair, hasValidGs1CheckDigit } from './check-digit.ts';

/** One AI and its value, as found in an element string or a Digital Link URI. */
export interface AiElement {
  readonly ai: string;
  readonly value: string;
  /**
   * Set by parseDigitalLink on the primary key (0) and key qualifiers (1, 2, …) of the URI's path;
   * generateDigitalLink keeps that path as it is. Absent on data attributes and element-string data.
   */
  readonly dlPathOrder?: number;
}

export type CharacterSet = 'N' | 'X' | 'Y' | 'Z';

export interface AiComponent {
  readonly cset: CharacterSet;
  readonly min: number;
  readonly max: number;
  readonly optional: boolean;
  readonly linters: readonly string[];
}

export interface AiDefinition {
  readonly ai: string;
  readonly title: string | null;
  readonly components: readonly AiComponent[];
  /** True unless the dictionary flags the AI `*` (predefined length: no FNC1 after it). */
  readonly fnc1Required: boolean;
  /** Flag `?`: may be a GS1 Digital Link URI data attribute (query parameter). */
  readonly dlDataAttribute: boolean;
  readonly dlPrimaryKey: boolean;
  /** The alternative ordered key-qualifier sequences of a primary key (`[['22','10','21'],['235']]`). */
  readonly dlKeyQualifierSequences: readonly (readonly string[])[];
  /** Each `req=` attribute: alternatives, each a group of AIs (or patterns such as `31nn`) all needed. */
  readonly requires: readonly (readonly (readonly string[])[])[];
  /** `ex=`: AIs or patterns (`310n`) that must not appear with this one (the AI itself excepted). */
  readonly excludes: readonly string[];
  readonly minLength: number;
  readonly maxLength: number;
  /** Vivified for an AI the dictionary does not define (only with `permitUnknownAis`). */
  readonly unknown: boolean;
}

export interface AiParseOptions {
  /**
   * Accept AIs the dictionary does not define, as the syntax engine's `permitUnknownAIs` does: any
   * content of CSET 82, up to 90 characters (or the predefined length of its prefix). Off by default.
   */
  readonly permitUnknownAis?: boolean;
}

export type AiParse =
  | { ok: true; elements: AiElement[]; elementString: string }
  | { ok: false; problem: string };

// --- the dictionary ------------------------------------------------------------------------------

interface DictionaryEntry {
  ai: string;
  title: string | null;
  flags: string;
  spec: string[];
  attributes: string[];
}

const COMPONENT = /^(\[)?([NXYZ])(\.\.)?([0-9]+)(\])?((?:,[a-z0-9]+)*)$/;

function parseComponent(ai: string, spec: string): AiComponent {
  const match = COMPONENT.exec(spec);
  if (!match || (match[1] === undefined) !== (match[5] === undefined)) {
    throw new Error(`GS1 syntax dictionary: AI ${ai}: cannot read component ${JSON.stringify(spec)}`);
  }
  const max = Number(match[4]);
  return {
    cset: match[2] as CharacterSet,
    min: match[3] ? 1 : max,
    max,
    optional: match[1] !== undefined,
    linters: (match[6] ?? '').split(',').filter((l) => l !== ''),
  };
}

function expandAis(range: string): string[] {
  const [from, to] = range.split('-');
  if (from === undefined || !/^[0-9]{2,4}$/.test(from)) throw new Error(`GS1 syntax dictionary: AI ${range}`);
  if (to === undefined) return [from];
  const ais: string[] = [];
  for (let n = Number(from); n <= Number(to); n++) ais.push(String(n).padStart(from.length, '0'));
  return ais;
}

function buildDefinition(ai: string, entry: DictionaryEntry): AiDefinition {
  const components = entry.spec.map((spec) => parseComponent(ai, spec));
  const requires: string[][][] = [];
  const excludes: string[] = [];
  let dlPrimaryKey = false;
  const dlKeyQualifierSequences: string[][] = [];
  for (const attribute of entry.attributes) {
    if (attribute.startsWith('req=')) {
      requires.push(
        attribute
          .slice(4)
          .split(',')
          .map((group) => group.split('+')),
      );
    } else if (attribute.startsWith('ex=')) {
      excludes.push(...attribute.slice(3).split(','));
    } else if (attribute === 'dlpkey') {
      dlPrimaryKey = true;
    } else if (attribute.startsWith('dlpkey=')) {
      dlPrimaryKey = true;
      for (const sequence of attribute.slice(7).split('|')) dlKeyQualifierSequences.push(sequence.split(','));
    }
  }
  return {
    ai,
    title: entry.title,
    components,
    fnc1Required: !entry.flags.includes('*'),
    dlDataAttribute: entry.flags.includes('?'),
    dlPrimaryKey,
    dlKeyQualifierSequences,
    requires,
    excludes,
    minLength: components.reduce((sum, c) => sum + (c.optional ? 0 : c.min), 0),
    maxLength: components.reduce((sum, c) => sum + c.max, 0),
    unknown: false,
  };
}

function loadDictionary(): Map<string, AiDefinition> {
  const entries = JSON.parse(
    fs.readFileSync(referenceDataPath('gs1', 'gs1-ai-dictionary.json'), 'utf8'),
  ) as DictionaryEntry[];
  const table = new Map<string, AiDefinition>();
  for (const entry of entries) {
    for (const ai of expandAis(entry.ai)) table.set(ai, buildDefinition(ai, entry));
  }
  return table;
}

const AI_TABLE = loadDictionary();

/** The AI length of each two-digit prefix in use (all AIs sharing a prefix have one length). */
const AI_LENGTH_BY_PREFIX = new Map<string, number>();
for (const ai of AI_TABLE.keys()) {
  const prefix = ai.slice(0, 2);
  const known = AI_LENGTH_BY_PREFIX.get(prefix);
  if (known !== undefined && known !== ai.length) {
    throw new Error(`GS1 syntax dictionary: AIs with prefix ${prefix} differ in length`);
  }
  AI_LENGTH_BY_PREFIX.set(prefix, ai.length);
}

/**
 * Value lengths predefined by the GS1 General Specifications (Figure 7.8.5-2, "Element strings with
 * predefined length using GS1 Application Identifiers") for two-digit prefixes, including
 * prefixes not yet allocated: used only to vivify unknown AIs.
 */
const PREDEFINED_LENGTH_BY_PREFIX: Readonly<Record<string, number>> = {
  '00': 18,
  '01': 14,
  '02': 14,
  '03': 14,
  '04': 16,
  '11': 6,
  '12': 6,
  '13': 6,
  '14': 6,
  '15': 6,
  '16': 6,
  '17': 6,
  '18': 6,
  '19': 6,
  '20': 2,
  '31': 6,
  '32': 6,
  '33': 6,
  '34': 6,
  '35': 6,
  '36': 6,
  '41': 13,
};

/** Every AI the dictionary defines, in lexical order. */
export const KNOWN_AIS: readonly string[] = [...AI_TABLE.keys()].sort();

/** The dictionary's definition of an AI, or undefined when it defines no such AI. */
export function aiDefinition(ai: string): AiDefinition | undefined {
  return AI_TABLE.get(ai);
}

function unknownDefinition(ai: string, cset: AiComponent['cset'], min: number, max: number): AiDefinition {
  return {
    ai,
    title: null,
    components: [{ cset, min, max, optional: false, linters: [] }],
    fnc1Required: min !== max,
    dlDataAttribute: false,
    dlPrimaryKey: false,
    dlKeyQualifierSequences: [],
    requires: [],
    excludes: [],
    minLength: min,
    maxLength: max,
    unknown: true,
  };
}

/**
 * The definition for an AI as written (2–4 digits): the dictionary's, or, with permitUnknownAis, a
 * vivified one for an AI that does not clash with the length of its prefix's AIs.
 */
export function lookupAi(ai: string, options: AiParseOptions = {}): AiDefinition | undefined {
  if (!/^[0-9]{2,4}$/.test(ai)) return undefined;
  const known = AI_TABLE.get(ai);
  if (known || !options.permitUnknownAis) return known;
  const prefix = ai.slice(0, 2);
  const aiLength = AI_LENGTH_BY_PREFIX.get(prefix);
  if (aiLength !== undefined && aiLength !== ai.length) return undefined;
  const predefined = PREDEFINED_LENGTH_BY_PREFIX[prefix];
  if (aiLength !== undefined && predefined !== undefined && ai.length > 2) {
    return unknownDefinition(ai, 'X', predefined, predefined);
  }
  return unknownDefinition(ai, 'X', 1, 90);
}

/**
 * The AI at the start of unbracketed data: its length is known from its prefix. An unknown AI whose
 * prefix belongs to no defined AI has no known length, so it cannot be read out of such data.
 */
function lookupAiAtStart(data: string, options: AiParseOptions): AiDefinition | undefined {
  const length = AI_LENGTH_BY_PREFIX.get(data.slice(0, 2));
  if (length === undefined || data.length < length) return undefined;
  return lookupAi(data.slice(0, length), options);
}

// --- character sets and linters ------------------------------------------------------------------

const CSET_PATTERN: Readonly<Record<AiComponent['cset'], RegExp>> = {
  N: /^[0-9]*$/,
  X: /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/,
  Y: /^[#\-/0-9A-Z]*$/,
  Z: /^[A-Za-z0-9_-]*={0,2}$/,
};

const CSET_NAME: Readonly<Record<AiComponent['cset'], string>> = {
  N: 'digits only',
  X: 'the GS1 character set 82 only',
  Y: 'the GS1 character set 39 only',
  Z: 'base64url characters only',
};

/** Whether every character is in the GS1 AI encodable character set 82. */
export function isCset82(value: string): boolean {
  return CSET_PATTERN.X.test(value);
}

function checkCset(cset: AiComponent['cset'], data: string): string | null {
  if (!CSET_PATTERN[cset].test(data)) return `must contain ${CSET_NAME[cset]}`;
  if (cset === 'Z') {
    const pads = data.length - data.replace(/=+$/, '').length;
    if (pads > 0 && data.length % 3 !== 0) return 'has base64 padding in the wrong place';
  }
  return null;
}

const TWO_DIGITS = /^[0-9]{2}$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** YYYYMMDD, day 00 allowed when `dayZero` (GS1: "the last day of the month" is meant). */
function checkDate(year: number, mm: string, dd: string, dayZero: boolean): string | null {
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12) return 'has no such month';
  if (day === 0) return dayZero ? null : 'has day 00';
  if (day > daysInMonth(year, month)) return 'has no such day';
  return null;
}

/**
 * Two-digit years: GS1 General Specifications §7.12 places YY within −49…+50 years of the current
 * year. Leap years are what it changes here; for any current year from 2000 to 2049 the year 00 is
 * 2000, so 20YY is taken (pure: no clock).
 */
function checkYymmdd(data: string, dayZero: boolean): string | null {
  if (!/^[0-9]{6}$/.test(data)) return 'must be a date YYMMDD';
  return checkDate(2000 + Number(data.slice(0, 2)), data.slice(2, 4), data.slice(4, 6), dayZero);
}

function checkYyyymmdd(data: string, dayZero: boolean): string | null {
  if (!/^[0-9]{8}$/.test(data)) return 'must be a date YYYYMMDD';
  return checkDate(Number(data.slice(0, 4)), data.slice(4, 6), data.slice(6, 8), dayZero);
}

function checkRange(data: string, max: number, what: string): string | null {
  if (!TWO_DIGITS.test(data) || Number(data) > max) return `must be ${what}`;
  return null;
}

function checkIban(data: string): string | null {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(data)) return 'must be an IBAN';
  const rearranged = `${data.slice(4)}${data.slice(0, 4)}`;
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? char.charCodeAt(0) - 55 : char.charCodeAt(0) - 48;
    remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return remainder === 1 ? null : 'has an incorrect IBAN check';
}

function checkPieceOfTotal(data: string): string | null {
  if (!/^[0-9]+$/.test(data) || data.length % 2 !== 0) return 'must be a piece number and a total';
  const piece = data.slice(0, data.length / 2);
  const total = data.slice(data.length / 2);
  if (/^0+$/.test(piece)) return 'has piece number zero';
  if (/^0+$/.test(total)) return 'has total zero';
  if (piece > total) return 'has a piece number above the total';
  return null;
}

function checkPositionInSequence(data: string): string | null {
  const match = /^([0-9]+)\/([0-9]+)$/.exec(data);
  if (!match) return 'must be a position "n/total"';
  const [, position = '', end = ''] = match;
  if (position.startsWith('0') || end.startsWith('0')) return 'must not start with zero';
  if (position.length > end.length || (position.length === end.length && position > end)) {
    return 'has a position past the end';
  }
  return null;
}

/** The minimum length of a GS1 Company Prefix, as the syntax engine's gcppos linters check it. */
const GCP_MIN_LENGTH = 4;

function checkGcpPosition(data: string): string | null {
  if (data.length < GCP_MIN_LENGTH) return 'is too short to hold a GS1 Company Prefix';
  if (!/^[0-9]+$/.test(data.slice(0, GCP_MIN_LENGTH))) return 'must start with a GS1 Company Prefix (digits)';
  return null;
}

/** Linters of the dictionary that need a code list: character set and length are checked only. */
export const UNCHECKED_LINTERS: readonly string[] = [
  'iso3166',
  'iso3166999',
  'iso4217',
  'packagetype',
  'couponcode',
  'couponposoffer',
];

type Linter = (data: string) => string | null;

const LINTERS: Readonly<Record<string, Linter>> = {
  csum: (d) => (hasValidGs1CheckDigit(d) ? null : 'has an incorrect check digit'),
  csumalpha: (d) => (hasValidCheckCharacterPair(d) ? null : 'has an incorrect check character pair'),
  gcppos1: checkGcpPosition,
  gcppos2: (d) => (d.length < 2 ? 'is too short to hold a GS1 Company Prefix' : checkGcpPosition(d.slice(1))),
  yymmdd: (d) => checkYymmdd(d, false),
  yymmd0: (d) => checkYymmdd(d, true),
  yyyymmdd: (d) => checkYyyymmdd(d, false),
  yyyymmd0: (d) => checkYyyymmdd(d, true),
  hh: (d) => checkRange(d, 23, 'an hour 00–23'),
  mi: (d) => checkRange(d, 59, 'minutes 00–59'),
  ss: (d) => checkRange(d, 59, 'seconds 00–59'),
  hhmi: (d) =>
    d.length === 4
      ? (checkRange(d.slice(0, 2), 23, 'a time HHMI') ?? checkRange(d.slice(2), 59, 'a time HHMI'))
      : 'must be a time HHMI',
  zero: (d) => (/^0+$/.test(d) ? null : 'must be zero'),
  nonzero: (d) => (/^[0-9]*$/.test(d) && /[1-9]/.test(d) ? null : 'must not be zero'),
  nozeroprefix: (d) => (/^[1-9][0-9]*$/.test(d) || d === '' ? null : 'must not start with zero'),
  hasnondigit: (d) => (/[^0-9]/.test(d) ? null : 'must contain a character other than a digit'),
  winding: (d) => (/^[019]$/.test(d) ? null : 'must be a winding direction 0, 1 or 9'),
  yesno: (d) => (/^[01]$/.test(d) ? null : 'must be 0 or 1'),
  iso5218: (d) => (/^[0129]$/.test(d) ? null : 'must be a sex code 0, 1, 2 or 9 (ISO/IEC 5218)'),
  hyphen: (d) => (/^-+$/.test(d) ? null : 'must be a hyphen'),
  latitude: (d) => (/^[0-9]{10}$/.test(d) && Number(d) <= 1800000000 ? null : 'must be a latitude'),
  longitude: (d) => (/^[0-9]{10}$/.test(d) && Number(d) <= 3600000000 ? null : 'must be a longitude'),
  pieceoftotal: checkPieceOfTotal,
  posinseqslash: checkPositionInSequence,
  pcenc: (d) => (/%(?![0-9A-Fa-f]{2})/.test(d) ? 'has an invalid percent-encoding' : null),
  importeridx: (d) => (/^[-0-9A-Z_a-z]$/.test(d) ? null : 'must be one importer index character'),
  mediatype: (d) =>
    TWO_DIGITS.test(d) && ((Number(d) >= 1 && Number(d) <= 10) || Number(d) >= 80)
      ? null
      : 'must be a media type',
  iso3166alpha2: (d) => (/^[A-Z]{2}$/.test(d) ? null : 'must be an ISO 3166 alpha-2 country code'),
  iban: checkIban,
};

// --- values --------------------------------------------------------------------------------------

/**
 * Runs an AI's components over `value` from its start, as the syntax engine does: each component
 * takes up to its maximum length; an optional component with nothing left is skipped. Returns the
 * number of characters consumed, or the problem.
 */
function consumeComponents(definition: AiDefinition, value: string): number | string {
  const name = `AI (${definition.ai})`;
  if (value === '') return `${name}: the value is empty`;
  let position = 0;
  for (const component of definition.components) {
    const length = Math.min(component.max, value.length - position);
    if (component.optional && length === 0) continue;
    if (length < component.min) return `${name}: the value has an incorrect length`;
    const data = value.slice(position, position + length);
    const csetProblem = checkCset(component.cset, data);
    if (csetProblem) return `${name}: the value ${csetProblem}`;
    for (const linter of component.linters) {
      const problem = LINTERS[linter]?.(data) ?? null;
      if (problem) return `${name}: ${JSON.stringify(data)} ${problem}`;
    }
    position += length;
  }
  return position;
}

/** Length and content checks made before the components are read (syntax engine order). */
function lengthProblem(definition: AiDefinition, value: string): string | null {
  const name = `AI (${definition.ai})`;
  if (value.length < definition.minLength) return `${name}: the value is too short`;
  if (value.length > definition.maxLength) return `${name}: the value is too long`;
  if (value.includes('^')) return `${name}: the value contains "^"`;
  return null;
}

/**
 * Validates one AI's value against the dictionary: length, character set of each component and its
 * linters. Returns a problem in English naming the AI, or null when the value is valid.
 */
export function validateAiValue(ai: string, value: string, options: AiParseOptions = {}): string | null {
  const definition = lookupAi(ai, options);
  if (!definition) return `AI (${ai}) is not a known GS1 Application Identifier`;
  const problem = lengthProblem(definition, value);
  if (problem) return problem;
  const consumed = consumeComponents(definition, value);
  if (typeof consumed === 'string') return consumed;
  return consumed === value.length ? null : `AI (${ai}): the value is too long`;
}

// --- element strings -----------------------------------------------------------------------------

/** The "^" form of the elements: FNC1 first and after each variable-length value but the last. */
export function toElementString(elements: readonly AiElement[]): string {
  let out = '^';
  elements.forEach((element, index) => {
    out += `${element.ai}${element.value}`;
    const fnc1 = AI_TABLE.get(element.ai)?.fnc1Required ?? true;
    if (fnc1 && index < elements.length - 1) out += '^';
  });
  return out;
}

/** The bracketed form of the elements, `(01)…(10)…`, with `\(` for a bracket in a value. */
export function toBracketedAiData(elements: readonly AiElement[]): string {
  return elements.map((e) => `(${e.ai})${e.value.replaceAll('(', '\\(')}`).join('');
}

/**
 * Parses bracketed AI data, `(01)09520123456788(10)ABC123`, validating every value. `\(` is a
 * bracket inside a value.
 */
export function parseBracketedAiData(input: string, options: AiParseOptions = {}): AiParse {
  const elements: AiElement[] = [];
  let position = 0;
  while (position < input.length) {
    if (input[position] !== '(') return { ok: false, problem: `expected "(" at position ${position + 1}` };
    const close = input.indexOf(')', position + 1);
    if (close < 0) return { ok: false, problem: 'an AI is not closed by ")"' };
    const ai = input.slice(position + 1, close);
    const definition = lookupAi(ai, options);
    if (!definition) return { ok: false, problem: `AI (${ai}) is not a known GS1 Application Identifier` };
    let value = '';
    let cursor = close + 1;
    if (cursor >= input.length) return { ok: false, problem: `AI (${ai}): the value is empty` };
    for (;;) {
      const next = input.indexOf('(', cursor);
      const end = next < 0 ? input.length : next;
      if (next > 0 && input[next - 1] === '\\') {
        value += `${input.slice(cursor, next - 1)}(`;
        cursor = next + 1;
        continue;
      }
      value += input.slice(cursor, end);
      cursor = end;
      break;
    }
    const problem = lengthProblem(definition, value);
    if (problem) return { ok: false, problem };
    elements.push({ ai, value });
    position = cursor;
  }
  if (elements.length === 0) return { ok: false, problem: 'no AI data' };
  for (const element of elements) {
    const problem = validateAiValue(element.ai, element.value, options);
    if (problem) return { ok: false, problem };
  }
  return { ok: true, elements, elementString: toElementString(elements) };
}

/**
 * Parses the "^" form (FNC1 = `^`, first character included), reading each AI by its prefix and
 * each predefined-length value by its length; a superfluous FNC1 after a fixed-length value is
 * tolerated.
 */
export function parseElementString(input: string, options: AiParseOptions = {}): AiParse {
  if (!input.startsWith('^')) return { ok: false, problem: 'the element string must start with FNC1 ("^")' };
  if (input.length === 1) return { ok: false, problem: 'no AI data' };
  const elements: AiElement[] = [];
  let position = 1;
  while (position < input.length) {
    const rest = input.slice(position);
    const definition = lookupAiAtStart(rest, options);
    if (!definition) return { ok: false, problem: `no known AI at ${JSON.stringify(rest.slice(0, 4))}` };
    position += definition.ai.length;
    let end = input.indexOf('^', position);
    if (end < 0) end = input.length;
    if (!definition.fnc1Required) end = Math.min(end, position + definition.maxLength);
    const consumed = consumeComponents(definition, input.slice(position, end));
    if (typeof consumed === 'string') return { ok: false, problem: consumed };
    elements.push({ ai: definition.ai, value: input.slice(position, position + consumed) });
    position += consumed;
    if (definition.fnc1Required && position < input.length && input[position] !== '^') {
      return { ok: false, problem: `AI (${definition.ai}): the value is too long` };
    }
    if (input[position] === '^') position++;
  }
  return { ok: true, elements, elementString: toElementString(elements) };
}

// --- association rules ---------------------------------------------------------------------------

/** Whether an AI matches a dictionary pattern: `01`, or `310n` / `31nn` (n = any digit). */
function matchesPattern(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== 'n' && pattern[i] !== ai[i]) return false;
  }
  return true;
}

function present(elements: readonly AiElement[], pattern: string, except: string): AiElement | undefined {
  return elements.find((e) => e.ai !== except && matchesPattern(e.ai, pattern));
}

/** An AI given more than once must have the same value each time. */
export function checkAiRepeats(elements: readonly AiElement[]): string | null {
  const seen = new Map<string, string>();
  for (const { ai, value } of elements) {
    const earlier = seen.get(ai);
    if (earlier !== undefined && earlier !== value) return `AI (${ai}) is given twice with different values`;
    seen.set(ai, value);
  }
  return null;
}

/** No AI may appear with one its definition excludes (`ex=`). */
export function checkAiMutex(elements: readonly AiElement[]): string | null {
  for (const element of elements) {
    for (const pattern of AI_TABLE.get(element.ai)?.excludes ?? []) {
      const other = present(elements, pattern, element.ai);
      if (other) return `AI (${element.ai}) cannot be used with AI (${other.ai})`;
    }
  }
  return null;
}

/** Every `req=` of every AI must be met by one of its groups, all of whose AIs are present. */
export function checkAiRequisites(elements: readonly AiElement[]): string | null {
  for (const element of elements) {
    for (const alternatives of AI_TABLE.get(element.ai)?.requires ?? []) {
      const met = alternatives.some((group) => group.every((p) => present(elements, p, element.ai)));
      if (!met) {
        const needed = alternatives.map((group) => group.map((p) => `(${p})`).join(' + ')).join(' or ');
        return `AI (${element.ai}) needs ${needed}`;
      }
    }
  }
  return null;
}

/** With a digital signature (8030), a GDTI, GCN or GRAI must carry its serial component. */
export function checkDigSigSerialisedKey(elements: readonly AiElement[]): string | null {
  if (!elements.some((e) => e.ai === '8030')) return null;
  for (const ai of ['253', '255', '8003']) {
    const element = elements.find((e) => e.ai === ai);
    const definition = AI_TABLE.get(ai);
    if (element && definition && element.value.length === definition.minLength) {
      return `AI (${ai}) needs a serial component with a digital signature (8030)`;
    }
  }
  return null;
}

/**
 * The association rules of the syntax engine, in its order: exclusive AIs, required AIs (may be
 * switched off, as the engine allows, for data that is only part of what an item carries),
 * repeated AIs, digital signature needing a serialised key.
 */
export function checkAiAssociations(
  elements: readonly AiElement[],
  options: { requisites?: boolean } = {},
): string | null {
  return (
    checkAiMutex(elements) ??
    (options.requisites === false ? null : checkAiRequisites(elements)) ??
    checkAiRepeats(elements) ??
    checkDigSigSerialisedKey(elements)
  );
}
