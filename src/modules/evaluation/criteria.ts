/**
 * The criteria forms (bộ tiêu chí kiêm phiếu đánh giá) a council scores against: their types, and the
 * loader that reads one criteria version from `data/criteria/<slug>/` (the index and the 26 set
 * files) plus `data/criteria/corrections-<slug>.json`.
 *
 * What this file decides:
 * - the in-memory shape of a form (parts → sections → criteria → sub-criteria → options), with the
 *   leaves (the criteria a sheet answers, in form order) listed once;
 * - that the printed values stay as they are in the data files and that corrections (typos, blank
 *   cells) are applied at load, each option keeping its printed value and its `sourceIssue`;
 * - what makes a form valid (`validateForm`): a version that fails is refused whole, with every
 *   problem listed, so nothing is ever scored against a broken form.
 *
 * Only `loadCriteriaVersion` (and `builtInCriteria`, which calls it once) touch the file system.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../platform/paths.ts';

/** A star-level marker: "***" 3 sao, "****" 4 sao, "*****" 5 sao. */
export type StarMarker = 3 | 4 | 5;

/** A change to a printed option value, applied at load (see `data/criteria/corrections-<slug>.json`). */
export interface Correction {
  /** The official set number (1–26). */
  set: number;
  /** The criterion code, e.g. "7" or "6.1.1". */
  criterion: string;
  /** The option's 0-based index in the criterion's `options`. */
  option: number;
  /** The option text the correction is for (checked at load). */
  text: string;
  /** The value printed in the source; null for an empty cell. */
  printed: number | null;
  corrected: number;
  reason: string;
}

/** A fix to a field the transcription derived (not a printed value), applied at load. */
export interface TranscriptionFix {
  set: number;
  criterion: string;
  field: 'mandatoryForStars';
  from: StarMarker | null;
  to: StarMarker | null;
  reason: string;
}

export interface CriteriaOption {
  text: string;
  /** The points that count, after corrections. */
  points: number;
  /** The star level this option is the minimum for (the source's asterisks), if any. */
  minimumForStars: StarMarker | null;
  /** Set 26: the case ("a. Trường hợp 1: …") this option belongs to; null elsewhere. */
  case: string | null;
  /** Why the printed value looks wrong, as flagged by the transcription. */
  sourceIssue: string | null;
  /** The correction applied to this option (its `printed` is the value in the source). */
  correction: Correction | null;
}

export interface Criterion {
  code: string;
  text: string;
  max: number;
  /** The lowest star level for which one of the options carries a marker. */
  mandatoryForStars: StarMarker | null;
  /** Empty for a parent (it has children) and for a met/not-met criterion (see `isMetOrNot`). */
  options: CriteriaOption[];
  /** A sheet answers the leaves; a criterion with sub-criteria is not a leaf, its children are. */
  leaf: boolean;
  children: Criterion[];
  notes: string[];
  /** Set 26: the cases the options are grouped in (choose one); empty elsewhere. */
  cases: string[];
  scoringNote: string | null;
  /** The section had its options directly; the criterion repeats the section's code and name. */
  implicitFromSection: boolean;
  sourceIssue: string | null;
  part: PartCode;
  section: string;
  /** The parent criterion's code for a sub-criterion; null otherwise. */
  parent: string | null;
}

export interface Section {
  code: string;
  name: string;
  max: number;
  notes: string[];
  sourceIssue: string | null;
  criteria: Criterion[];
}

export type PartCode = 'A' | 'B' | 'C';

export interface Part {
  code: PartCode;
  name: string;
  max: number;
  notes: string[];
  sourceIssue: string | null;
  sections: Section[];
}

export interface Classification {
  nganh: string;
  nhom: string;
  phanNhom: string | null;
  coQuanChuTriQuanLy: string;
}

export interface CriteriaForm {
  /** The criteria version's slug, e.g. "26-2026". */
  version: string;
  /** The official set number (1–26). */
  set: number;
  /** The set as written in file names, e.g. "01". */
  setCode: string;
  name: string;
  headingInForm: string;
  classificationInForm: string;
  classification: Classification;
  /** The "Hồ sơ bị loại khi …" clauses (empty for some sets). */
  disqualifyIf: string[];
  formHeaderFields: string[];
  footnotes: string[];
  starMarkerLegend: string;
  source: string;
  total: number;
  parts: Part[];
  /** Every leaf criterion in form order: what a sheet answers. */
  leaves: Criterion[];
}

export interface CriteriaVersion {
  slug: string;
  /** The legal text, e.g. "26/2026/QĐ-TTg". */
  title: string;
  source: string;
  /** In set order (1–26). */
  sets: CriteriaForm[];
  corrections: Correction[];
  transcriptionFixes: TranscriptionFix[];
}

/** A leaf without options: answered 0 (not met, 0 points) or 1 (met, its maximum). */
export function isMetOrNot(criterion: Criterion): boolean {
  return criterion.leaf && criterion.options.length === 0;
}

/** The points of answer `choice` on a leaf, or undefined when the answer is not one of its choices. */
export function pointsOf(criterion: Criterion, choice: number): number | undefined {
  if (!Number.isInteger(choice) || choice < 0) return undefined;
  if (isMetOrNot(criterion)) return choice === 0 ? 0 : choice === 1 ? criterion.max : undefined;
  return criterion.options[choice]?.points;
}

/** How many answers a leaf takes (its options, or 2 for met/not met). */
export function choiceCount(criterion: Criterion): number {
  return isMetOrNot(criterion) ? 2 : criterion.options.length;
}

/** The leaf with this code, if any. */
export function findLeaf(form: CriteriaForm, code: string): Criterion | undefined {
  return form.leaves.find((c) => c.code === code);
}

/** The form of set `set` (a number, or its code "01"); undefined when the version has no such set. */
export function findForm(version: CriteriaVersion, set: number | string): CriteriaForm | undefined {
  const n = typeof set === 'number' ? set : Number.parseInt(set, 10);
  return version.sets.find((f) => f.set === n);
}

// ---------------------------------------------------------------------------------------------
// Validation of the raw JSON (after corrections are applied to it)
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isMarker = (v: unknown): v is StarMarker => v === 3 || v === 4 || v === 5;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const PART_CODES: readonly PartCode[] = ['A', 'B', 'C'];

/** Points are compared with this tolerance (they are small integers in the data). */
const EPSILON = 1e-9;

/**
 * The problems of one form as stored (after corrections): an empty list means it can be scored.
 * Checks the shape (every field the loader needs, with its type), the arithmetic (sub-criteria sum
 * to their parent, criteria to their section, sections to their part, parts to 100), the options
 * (every option has a whole number, 0 ≤ points ≤ the criterion's maximum, the best option reaches the
 * maximum; in set 26 per case) and the star markers (only 3/4/5, at most one per level on a
 * criterion, a higher level never asks for fewer points, and `mandatoryForStars` equals the lowest
 * marker).
 */
export function validateForm(raw: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(raw)) return ['the form is not a JSON object'];
  const where = isString(raw.set) ? `set ${raw.set}` : 'set ?';
  const say = (at: string, message: string) => problems.push(`${where}${at ? `, ${at}` : ''}: ${message}`);

  if (!isString(raw.set) || !/^\d{2}$/.test(raw.set)) say('', '`set` must be a two-digit string');
  if (!isNumber(raw.officialNumber) || !Number.isInteger(raw.officialNumber)) {
    say('', '`officialNumber` must be an integer');
  } else if (isString(raw.set) && Number.parseInt(raw.set, 10) !== raw.officialNumber) {
    say('', `\`officialNumber\` ${raw.officialNumber} does not match \`set\` ${raw.set}`);
  }
  for (const key of ['name', 'criteriaVersion'] as const) {
    if (!isString(raw[key]) || raw[key] === '') say('', `\`${key}\` must be a non-empty string`);
  }
  for (const key of ['disqualifyIf', 'formHeaderFields', 'footnotes'] as const) {
    if (raw[key] !== undefined && !isStringArray(raw[key])) say('', `\`${key}\` must be a list of texts`);
  }
  const classification = raw.classification;
  if (!isObject(classification) || !isString(classification.nganh) || !isString(classification.nhom)) {
    say('', '`classification` must give at least `nganh` and `nhom`');
  }
  if (raw.total !== 100) say('', `\`total\` must be 100, found ${String(raw.total)}`);

  if (!Array.isArray(raw.parts)) {
    say('', '`parts` must be a list');
    return problems;
  }
  const codes = raw.parts.map((p) => (isObject(p) ? p.code : undefined));
  if (codes.length !== 3 || codes.some((c, i) => c !== PART_CODES[i])) {
    say('', `parts must be A, B, C in that order, found ${JSON.stringify(codes)}`);
  }

  const seen = new Set<string>();
  let partSum = 0;
  for (const [pi, part] of raw.parts.entries()) {
    if (!isObject(part)) {
      say(`part ${pi + 1}`, 'not an object');
      continue;
    }
    const partAt = `part ${String(part.code)}`;
    if (!isNumber(part.max) || part.max <= 0) say(partAt, '`max` must be a positive number');
    if (!isString(part.name)) say(partAt, '`name` must be a text');
    if (isNumber(part.max)) partSum += part.max;
    if (!Array.isArray(part.sections) || part.sections.length === 0) {
      say(partAt, '`sections` must be a non-empty list');
      continue;
    }
    let sectionSum = 0;
    for (const section of part.sections) {
      if (!isObject(section)) {
        say(partAt, 'a section is not an object');
        continue;
      }
      const sectionAt = `section ${String(section.code)}`;
      if (!isString(section.code) || section.code === '') say(partAt, 'a section has no code');
      if (!isString(section.name)) say(sectionAt, '`name` must be a text');
      if (section.notes !== undefined && !isStringArray(section.notes))
        say(sectionAt, '`notes` must be texts');
      if (!isNumber(section.max) || section.max <= 0) say(sectionAt, '`max` must be a positive number');
      else sectionSum += section.max;
      if (!Array.isArray(section.criteria) || section.criteria.length === 0) {
        say(sectionAt, '`criteria` must be a non-empty list');
        continue;
      }
      const criteriaSum = section.criteria.reduce<number>(
        (sum, c) => sum + (isObject(c) && isNumber(c.max) ? c.max : 0),
        0,
      );
      for (const criterion of section.criteria) validateCriterion(criterion, 1, seen, say);
      if (isNumber(section.max) && Math.abs(criteriaSum - section.max) > EPSILON) {
        say(sectionAt, `criteria maxima sum to ${criteriaSum}, the section maximum is ${section.max}`);
      }
    }
    if (isNumber(part.max) && Math.abs(sectionSum - part.max) > EPSILON) {
      say(partAt, `section maxima sum to ${sectionSum}, the part maximum is ${part.max}`);
    }
  }
  if (Math.abs(partSum - 100) > EPSILON) say('', `part maxima sum to ${partSum}, not 100`);
  return problems;
}

function validateCriterion(
  raw: unknown,
  depth: number,
  seen: Set<string>,
  say: (at: string, message: string) => void,
): void {
  if (!isObject(raw)) {
    say('', 'a criterion is not an object');
    return;
  }
  const at = `criterion ${String(raw.code)}`;
  if (!isString(raw.code) || raw.code === '') {
    say('', 'a criterion has no code');
    return;
  }
  if (seen.has(raw.code)) say(at, 'the code is used twice in the form');
  seen.add(raw.code);
  if (!isString(raw.text) || raw.text === '') say(at, '`text` must be a non-empty text');
  if (!isNumber(raw.max) || raw.max <= 0 || !Number.isInteger(raw.max)) {
    say(at, '`max` must be a positive whole number');
    return;
  }
  const max = raw.max;
  if (raw.notes !== undefined && !isStringArray(raw.notes)) say(at, '`notes` must be texts');
  if (raw.scoringNote !== undefined && !isString(raw.scoringNote)) say(at, '`scoringNote` must be a text');
  if (raw.mandatoryForStars !== null && !isMarker(raw.mandatoryForStars)) {
    say(at, `\`mandatoryForStars\` must be null, 3, 4 or 5, found ${String(raw.mandatoryForStars)}`);
  }
  const options = raw.options ?? [];
  if (!Array.isArray(options)) {
    say(at, '`options` must be a list');
    return;
  }
  const subcriteria = raw.subcriteria ?? [];
  if (!Array.isArray(subcriteria)) {
    say(at, '`subcriteria` must be a list');
    return;
  }

  if (subcriteria.length > 0) {
    if (depth > 1) say(at, 'sub-criteria may not have sub-criteria of their own');
    if (options.length > 0) say(at, 'a criterion with sub-criteria may not have options of its own');
    if (raw.mandatoryForStars !== null) say(at, 'a criterion with sub-criteria carries no star marker');
    const sum = subcriteria.reduce<number>((s, c) => s + (isObject(c) && isNumber(c.max) ? c.max : 0), 0);
    if (Math.abs(sum - max) > EPSILON)
      say(at, `sub-criteria maxima sum to ${sum}, the criterion maximum is ${max}`);
    for (const child of subcriteria) {
      validateCriterion(child, depth + 1, seen, say);
      if (isObject(child) && isString(child.code) && !child.code.startsWith(`${raw.code}.`)) {
        say(at, `sub-criterion ${child.code} does not start with ${raw.code}.`);
      }
    }
    return;
  }

  const cases = raw.cases ?? [];
  if (!isStringArray(cases)) {
    say(at, '`cases` must be texts');
    return;
  }
  if (options.length === 0) {
    // The met/not-met criterion (bilingual label): scored 0 or its maximum; nothing else to check.
    if (cases.length > 0) say(at, 'a criterion with cases must have options');
    if (raw.mandatoryForStars !== null) say(at, 'a criterion without options carries no star marker');
    return;
  }

  const markers: { marker: StarMarker; points: number }[] = [];
  const bestByCase = new Map<string | null, number>();
  for (const [i, option] of options.entries()) {
    const optionAt = `${at}, option ${i}`;
    if (!isObject(option)) {
      say(optionAt, 'not an object');
      continue;
    }
    if (!isString(option.text) || option.text === '') say(optionAt, '`text` must be a non-empty text');
    if (!isNumber(option.points)) {
      say(optionAt, `has no points (found ${String(option.points)}); add a correction`);
    } else if (!Number.isInteger(option.points)) {
      say(optionAt, `${option.points} points is not a whole number`);
    } else if (option.points < 0 || option.points > max + EPSILON) {
      say(optionAt, `${option.points} points is outside 0…${max}`);
    }
    const marker = option.minimumForStars;
    if (marker !== undefined && marker !== null && !isMarker(marker)) {
      say(optionAt, `\`minimumForStars\` must be 3, 4 or 5, found ${String(marker)}`);
    } else if (isMarker(marker) && isNumber(option.points)) {
      markers.push({ marker, points: option.points });
    }
    const optionCase = option.case === undefined ? null : option.case;
    if (cases.length > 0) {
      if (!isString(optionCase) || !cases.includes(optionCase)) {
        say(optionAt, `its case ${JSON.stringify(optionCase)} is not one of the criterion's cases`);
      }
    } else if (optionCase !== null) {
      say(optionAt, 'has a case but the criterion lists no cases');
    }
    if (isNumber(option.points)) {
      const key = isString(optionCase) ? optionCase : null;
      bestByCase.set(key, Math.max(bestByCase.get(key) ?? Number.NEGATIVE_INFINITY, option.points));
    }
  }
  for (const c of cases) {
    if (!bestByCase.has(c)) say(at, `case ${JSON.stringify(c)} has no options`);
  }
  for (const [c, best] of bestByCase) {
    if (Math.abs(best - max) > EPSILON) {
      say(
        at,
        `the best option${c === null ? '' : ` of case ${JSON.stringify(c)}`} gives ${best}, the maximum is ${max}`,
      );
    }
  }

  const levels = markers.map((m) => m.marker);
  if (new Set(levels).size !== levels.length)
    say(at, `two options carry the same star marker (${levels.join(', ')})`);
  for (const a of markers) {
    for (const b of markers) {
      if (a.marker < b.marker && a.points > b.points) {
        say(
          at,
          `the ${b.marker}-star minimum (${b.points}) is lower than the ${a.marker}-star minimum (${a.points})`,
        );
      }
    }
  }
  const lowest = levels.length > 0 ? (Math.min(...levels) as StarMarker) : null;
  if (isMarker(raw.mandatoryForStars) || raw.mandatoryForStars === null) {
    if (raw.mandatoryForStars !== lowest) {
      say(
        at,
        `\`mandatoryForStars\` is ${String(raw.mandatoryForStars)} but the lowest marker on its options is ${String(lowest)}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Building the typed form
// ---------------------------------------------------------------------------------------------

/** Builds the typed form from a raw form that `validateForm` accepted. */
function buildForm(raw: Json, slug: string, corrections: Correction[]): CriteriaForm {
  const set = raw.officialNumber as number;
  const leaves: Criterion[] = [];
  const strings = (v: unknown): string[] => (isStringArray(v) ? [...v] : []);
  const text = (v: unknown): string | null => (isString(v) ? v : null);

  const criterion = (c: Json, part: PartCode, section: string, parent: string | null): Criterion => {
    const code = c.code as string;
    const children = ((c.subcriteria ?? []) as Json[]).map((s) => criterion(s, part, section, code));
    const options = ((c.options ?? []) as Json[]).map(
      (o, i): CriteriaOption => ({
        text: o.text as string,
        points: o.points as number,
        minimumForStars: isMarker(o.minimumForStars) ? o.minimumForStars : null,
        case: text(o.case),
        sourceIssue: text(o.sourceIssue),
        correction: corrections.find((k) => k.set === set && k.criterion === code && k.option === i) ?? null,
      }),
    );
    const built: Criterion = {
      code,
      text: c.text as string,
      max: c.max as number,
      mandatoryForStars: isMarker(c.mandatoryForStars) ? c.mandatoryForStars : null,
      options,
      leaf: children.length === 0,
      children,
      notes: strings(c.notes),
      cases: strings(c.cases),
      scoringNote: text(c.scoringNote),
      implicitFromSection: c.implicitFromSection === true,
      sourceIssue: text(c.sourceIssue),
      part,
      section,
      parent,
    };
    return built;
  };
  const collect = (c: Criterion) => {
    if (c.leaf) leaves.push(c);
    else c.children.forEach(collect);
  };

  const parts = (raw.parts as Json[]).map((p): Part => {
    const code = p.code as PartCode;
    return {
      code,
      name: p.name as string,
      max: p.max as number,
      notes: strings(p.notes),
      sourceIssue: text(p.sourceIssue),
      sections: (p.sections as Json[]).map(
        (s): Section => ({
          code: s.code as string,
          name: s.name as string,
          max: s.max as number,
          notes: strings(s.notes),
          sourceIssue: text(s.sourceIssue),
          criteria: (s.criteria as Json[]).map((c) => criterion(c, code, s.code as string, null)),
        }),
      ),
    };
  });
  for (const p of parts) for (const s of p.sections) s.criteria.forEach(collect);

  const cl = (raw.classification ?? {}) as Json;
  return {
    version: slug,
    set,
    setCode: raw.set as string,
    name: raw.name as string,
    headingInForm: text(raw.headingInForm) ?? (raw.name as string),
    classificationInForm: text(raw.classificationInForm) ?? '',
    classification: {
      nganh: cl.nganh as string,
      nhom: cl.nhom as string,
      phanNhom: text(cl.phanNhom),
      coQuanChuTriQuanLy: text(cl.coQuanChuTriQuanLy) ?? '',
    },
    disqualifyIf: strings(raw.disqualifyIf),
    formHeaderFields: strings(raw.formHeaderFields),
    footnotes: strings(raw.footnotes),
    starMarkerLegend: text(raw.starMarkerLegend) ?? '',
    source: text(raw.source) ?? '',
    total: raw.total as number,
    parts,
    leaves,
  };
}

/** The raw criterion with this code anywhere in a raw form (sub-criteria included). */
function findRawCriterion(raw: Json, code: string): Json | undefined {
  const search = (list: unknown): Json | undefined => {
    if (!Array.isArray(list)) return undefined;
    for (const c of list) {
      if (!isObject(c)) continue;
      if (c.code === code) return c;
      const found = search(c.subcriteria);
      if (found) return found;
    }
    return undefined;
  };
  if (!Array.isArray(raw.parts)) return undefined;
  for (const p of raw.parts) {
    if (!isObject(p) || !Array.isArray(p.sections)) continue;
    for (const s of p.sections) {
      const found = isObject(s) ? search(s.criteria) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function readJson(file: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
    return undefined;
  }
}

/** An imported criteria version as one JSON document (what `ocop criteria import` reads). */
export interface CriteriaBundle {
  /** Lower-case letters, digits and dashes, e.g. "26-2026". */
  slug: string;
  /** The legal text, e.g. "26/2026/QĐ-TTg"; every form's `criteriaVersion` must equal it. */
  title: string;
  source?: string;
  /** The raw forms, in the shape of `data/criteria/26-2026/01.json`. */
  sets: unknown[];
  corrections?: unknown[];
  transcriptionFixes?: unknown[];
}

function parseCorrections(list: unknown, problems: string[]): Correction[] {
  const corrections: Correction[] = [];
  if (list === undefined) return corrections;
  if (!Array.isArray(list)) {
    problems.push('`corrections` must be a list');
    return corrections;
  }
  for (const [i, c] of list.entries()) {
    if (
      isObject(c) &&
      isNumber(c.set) &&
      isString(c.criterion) &&
      isNumber(c.option) &&
      Number.isInteger(c.option) &&
      isString(c.text) &&
      (c.printed === null || isNumber(c.printed)) &&
      isNumber(c.corrected) &&
      isString(c.reason) &&
      c.reason !== ''
    ) {
      corrections.push({
        set: c.set,
        criterion: c.criterion,
        option: c.option,
        text: c.text,
        printed: c.printed,
        corrected: c.corrected,
        reason: c.reason,
      });
    } else {
      problems.push(
        `corrections[${i}] needs set, criterion, option (index), text, printed (number or null), corrected and a reason`,
      );
    }
  }
  return corrections;
}

function parseFixes(list: unknown, problems: string[]): TranscriptionFix[] {
  const fixes: TranscriptionFix[] = [];
  if (list === undefined) return fixes;
  if (!Array.isArray(list)) {
    problems.push('`transcriptionFixes` must be a list');
    return fixes;
  }
  for (const [i, f] of list.entries()) {
    if (
      isObject(f) &&
      isNumber(f.set) &&
      isString(f.criterion) &&
      f.field === 'mandatoryForStars' &&
      (f.from === null || isMarker(f.from)) &&
      (f.to === null || isMarker(f.to)) &&
      isString(f.reason) &&
      f.reason !== ''
    ) {
      fixes.push({
        set: f.set,
        criterion: f.criterion,
        field: f.field,
        from: f.from,
        to: f.to,
        reason: f.reason,
      });
    } else {
      problems.push(
        `transcriptionFixes[${i}] needs set, criterion, field "mandatoryForStars", from, to and a reason`,
      );
    }
  }
  return fixes;
}

/** Applies the corrections and fixes of one raw form in place; each must find what it expects. */
function applyCorrections(
  raw: Json,
  corrections: readonly Correction[],
  fixes: readonly TranscriptionFix[],
  problems: string[],
): void {
  for (const c of corrections) {
    const at = `correction for set ${c.set}, ${c.criterion} option ${c.option}`;
    const options = findRawCriterion(raw, c.criterion)?.options;
    const target = Array.isArray(options) ? options[c.option] : undefined;
    if (!isObject(target)) problems.push(`${at}: no such option`);
    else if (target.text !== c.text) {
      problems.push(`${at}: the option reads ${JSON.stringify(target.text)}, not ${JSON.stringify(c.text)}`);
    } else if ((target.points ?? null) !== c.printed) {
      problems.push(`${at}: printed ${String(target.points)}, the correction expects ${String(c.printed)}`);
    } else target.points = c.corrected;
  }
  for (const f of fixes) {
    const at = `transcription fix for set ${f.set}, ${f.criterion}`;
    const target = findRawCriterion(raw, f.criterion);
    if (!target) problems.push(`${at}: no such criterion`);
    else if ((target[f.field] ?? null) !== f.from) {
      problems.push(`${at}: ${f.field} is ${String(target[f.field])}, the fix expects ${String(f.from)}`);
    } else target[f.field] = f.to;
  }
}

/** Parses, corrects and validates a bundle, adding every problem to `problems`. */
function parseInto(bundle: unknown, problems: string[]): CriteriaVersion {
  const empty: CriteriaVersion = {
    slug: '',
    title: '',
    source: '',
    sets: [],
    corrections: [],
    transcriptionFixes: [],
  };
  if (!isObject(bundle)) {
    problems.push('the criteria version is not a JSON object');
    return empty;
  }
  const slug = isString(bundle.slug) && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(bundle.slug) ? bundle.slug : '';
  if (slug === '') problems.push('`slug` must be lower-case letters, digits and dashes, e.g. "26-2026"');
  const title = isString(bundle.title) && bundle.title !== '' ? bundle.title : '';
  if (title === '') problems.push('`title` must name the legal text, e.g. "26/2026/QĐ-TTg"');
  const corrections = parseCorrections(bundle.corrections, problems);
  const transcriptionFixes = parseFixes(bundle.transcriptionFixes, problems);
  if (!Array.isArray(bundle.sets) || bundle.sets.length === 0) {
    problems.push('`sets` must be a non-empty list of forms');
    return { ...empty, slug, title };
  }

  const sets: CriteriaForm[] = [];
  const used = new Set<Correction | TranscriptionFix>();
  for (const [i, original] of bundle.sets.entries()) {
    if (!isObject(original)) {
      problems.push(`sets[${i}]: not a JSON object`);
      continue;
    }
    const raw = structuredClone(original);
    const name = isString(raw.set) ? `set ${raw.set}` : `sets[${i}]`;
    if (title !== '' && raw.criteriaVersion !== title) {
      problems.push(
        `${name}: criteriaVersion ${JSON.stringify(raw.criteriaVersion)}, the version is ${JSON.stringify(title)}`,
      );
    }
    const own = corrections.filter((c) => c.set === raw.officialNumber);
    const ownFixes = transcriptionFixes.filter((f) => f.set === raw.officialNumber);
    for (const c of [...own, ...ownFixes]) used.add(c);
    applyCorrections(raw, own, ownFixes, problems);
    const formProblems = validateForm(raw);
    problems.push(...formProblems);
    if (formProblems.length === 0) sets.push(buildForm(raw, slug, corrections));
  }
  for (const c of [...corrections, ...transcriptionFixes]) {
    if (!used.has(c))
      problems.push(`correction for set ${c.set}, ${c.criterion}: the version has no such set`);
  }
  const numbers = sets.map((s) => s.set);
  if (new Set(numbers).size !== numbers.length) problems.push('a set appears twice');
  sets.sort((a, b) => a.set - b.set);
  const source = isString(bundle.source) ? bundle.source : (sets[0]?.source ?? '');
  return { slug, title, source, sets, corrections, transcriptionFixes };
}

const invalidVersion = (slug: string, problems: string[]) =>
  new Error(
    `Criteria version ${slug || '?'} is invalid (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`,
  );

/**
 * Parses a criteria version given as one document (an import), applies its corrections and
 * validates it whole. Pure. Throws an Error whose message lists every problem, one per line
 * after "\n- ".
 */
export function parseCriteriaBundle(bundle: unknown): CriteriaVersion {
  const problems: string[] = [];
  const version = parseInto(bundle, problems);
  if (problems.length > 0) throw invalidVersion(version.slug, problems);
  return version;
}

/**
 * Reads criteria version `slug` from `dir` (normally `data/criteria`): `<slug>/index.json`, the
 * set files it lists and `corrections-<slug>.json` (optional). Applies the corrections and the
 * transcription fixes (each must find the value it expects: the option text and printed points,
 * or the stored field), validates every form and throws one Error listing every problem.
 */
export function loadCriteriaVersion(dir: string, slug: string): CriteriaVersion {
  const problems: string[] = [];
  const versionDir = path.join(dir, slug);
  const index = readJson(path.join(versionDir, 'index.json'), problems);
  const correctionsFile = path.join(dir, `corrections-${slug}.json`);
  let correctionsRaw: unknown;
  try {
    correctionsRaw = JSON.parse(readFileSync(correctionsFile, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      problems.push(`${correctionsFile}: ${(error as Error).message}`);
  }
  if (correctionsRaw !== undefined && !isObject(correctionsRaw))
    problems.push(`${correctionsFile}: not a JSON object`);
  const corrections = isObject(correctionsRaw) ? correctionsRaw : {};
  if (corrections.version !== undefined && corrections.version !== slug) {
    problems.push(`${correctionsFile}: \`version\` is ${String(corrections.version)}, not ${slug}`);
  }

  const sets: unknown[] = [];
  let title = '';
  if (isObject(index) && Array.isArray(index.sets) && isString(index.criteriaVersion)) {
    title = index.criteriaVersion;
    for (const [i, entry] of index.sets.entries()) {
      if (!isObject(entry) || !isString(entry.file) || !isString(entry.set)) {
        problems.push(`${slug}/index.json: sets[${i}] needs \`set\` and \`file\``);
        continue;
      }
      const file = path.join(versionDir, entry.file);
      const raw = readJson(file, problems);
      if (raw === undefined) continue;
      if (isObject(raw) && raw.set !== entry.set) {
        problems.push(`${file}: \`set\` ${String(raw.set)} but the index says ${entry.set}`);
      }
      sets.push(raw);
    }
  } else if (index !== undefined) {
    problems.push(`${slug}/index.json: needs \`criteriaVersion\` and a list of \`sets\``);
  }
  const version = parseInto(
    {
      slug,
      title,
      sets,
      corrections: corrections.corrections,
      transcriptionFixes: corrections.transcriptionFixes,
    },
    problems,
  );
  if (problems.length > 0) throw invalidVersion(slug, problems);
  return version;
}

/** The slug of the criteria version the platform ships and uses for new evaluations. */
export const BUILT_IN_VERSION = '26-2026';

let builtIn: CriteriaVersion | undefined;

/** The 26/2026 criteria from `data/criteria/`, loaded and validated once. */
export function builtInCriteria(): CriteriaVersion {
  builtIn ??= loadCriteriaVersion(path.join(projectRoot, 'data', 'criteria'), BUILT_IN_VERSION);
  return builtIn;
}
