/**
 * Scoring a product against its criteria form (QĐ 26/2026/QĐ-TTg, Phụ lục II): from the council
 * members' score sheets to a score, a band and a star rating.
 *
 * What this file decides (pure functions, no I/O):
 * - what a valid set of sheets is (`validateSheets`): one option per leaf criterion, by its 0-based
 *   index; 0/1 for a criterion without options (the bilingual-label criterion: not met / met, its
 *   maximum); in set 26 one case for every criterion that offers two; 1 to 50 sheets;
 * - the arithmetic: member total = sum of the chosen points; score = mean of the member totals,
 *   kept at full precision (`formatScore` shows two decimals);
 * - the band from the score (`bandOf`): < 30 → 1★, < 50 → 2★, < 70 → 3★, < 90 → 4★, else 5★;
 * - the star-marker gates (`gateMinimum`, and `applyGates`: THE policy on how minimums combine
 *   with averages, which the official texts do not spell out — change it there and nowhere else);
 * - the spread check (highest − lowest member total > 10 by default → discuss and re-score);
 * - disqualification (`disqualificationFlags`): the form's "Hồ sơ bị loại khi …" clauses and its
 *   knock-out notes ("Bị loại nếu …", "… không đánh giá các bước tiếp theo") are explicit flags a
 *   sheet raises by id; any raised flag ends the evaluation with no stars.
 */
import { DomainError, type FieldError } from '../../platform/errors.ts';
import {
  type CriteriaForm,
  type Criterion,
  choiceCount,
  isMetOrNot,
  type PartCode,
  pointsOf,
  type StarMarker,
} from './criteria.ts';

/** One council member's sheet (or a producer's self-assessment). */
export interface Sheet {
  /** Leaf criterion code → the chosen option's 0-based index (0/1 for a criterion without options). */
  choices: Record<string, number>;
  /** Ids of the disqualification flags this member raises (see `disqualificationFlags`). */
  disqualified?: string[];
}

export type Band = 1 | 2 | 3 | 4 | 5;
export type Stars = 0 | Band;

export interface FailedGate {
  criterion: string;
  /** The star level whose minimum is not reached. */
  stars: StarMarker;
  required: number;
  /** The criterion's value for the gates: the mean of the members' points on it. */
  actual: number;
}

export interface ScoreResult {
  /** The criteria version slug, e.g. "26-2026". */
  version: string;
  set: number;
  /** Each sheet's total, in the order given. */
  memberTotals: number[];
  /** Mean of the member totals, full precision. */
  score: number;
  band: Band;
  /** 0 when disqualified; otherwise the band lowered by failed gates (never below 2★ by a gate). */
  stars: Stars;
  /** Every gate that fails between the result and the band, highest level first. */
  failedGates: FailedGate[];
  spread: number;
  spreadLimit: number;
  /** True when spread > spreadLimit: the council discusses and re-scores. */
  spreadExceeded: boolean;
  /** The flags raised by at least one sheet, in the form's flag order. */
  disqualified: string[];
  /** Mean of the members' part totals. */
  partTotals: Record<PartCode, number>;
  /** Mean of the members' points per leaf criterion. */
  criterionMeans: Record<string, number>;
  /** Chosen options whose printed value is flagged or corrected, to show the council. */
  flaggedChoices: FlaggedChoice[];
}

export interface FlaggedChoice {
  criterion: string;
  option: number;
  /** The sheets (0-based) that chose it. */
  sheets: number[];
  points: number;
  printed: number | null;
  sourceIssue: string | null;
}

export interface DisqualificationFlag {
  /** Stable within a form: "dossier-1", "criterion-1.1", … */
  id: string;
  text: string;
  /** The criterion whose note (or option text) it comes from; null for the form's clause. */
  criterion: string | null;
}

export interface ScoreOptions {
  /** The largest allowed difference between member totals; default 10. */
  spreadLimit?: number;
}

export const DEFAULT_SPREAD_LIMIT = 10;
export const MAX_SHEETS = 50;
/** The lowest score of each band: index = stars. */
export const BAND_THRESHOLDS: Readonly<Record<Band, number>> = { 1: 0, 2: 30, 3: 50, 4: 70, 5: 90 };
/** A gate never takes the result below this (markers start at 3★). */
export const GATE_FLOOR = 2;

/** The band of a score: < 30 → 1, 30 to < 50 → 2, 50 to < 70 → 3, 70 to < 90 → 4, ≥ 90 → 5. */
export function bandOf(score: number): Band {
  if (score >= 90) return 5;
  if (score >= 70) return 4;
  if (score >= 50) return 3;
  if (score >= 30) return 2;
  return 1;
}

/** A score as shown: two decimals ("72.50"). The score itself is never rounded. */
export function formatScore(score: number): string {
  return score.toFixed(2);
}

/**
 * The minimum a criterion must reach for `stars` stars: the points of its option whose marker is
 * the greatest marker ≤ `stars`; null when no marker is ≤ `stars` (no gate). Criteria with
 * sub-criteria carry no markers (their leaves do), so they never gate.
 */
export function gateMinimum(criterion: Criterion, stars: number): number | null {
  let best: { marker: number; points: number } | null = null;
  for (const option of criterion.options) {
    const marker = option.minimumForStars;
    if (marker !== null && marker <= stars && (best === null || marker > best.marker)) {
      best = { marker, points: option.points };
    }
  }
  return best?.points ?? null;
}

/**
 * THE GATE POLICY — the one place that decides how the star markers combine with averages.
 *
 * QĐ 26/2026 says only "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao" (the asterisk
 * is the minimum to reach for each star level); it does not say whether the minimum applies to
 * each member's sheet, to the mean, or to a consensus. This function is our interpretation:
 * - a criterion's value is the MEAN of the members' points on it (`criterionMeans`);
 * - for s stars every leaf must reach `gateMinimum(leaf, s)` (no gate where no marker ≤ s);
 * - the result is the highest s ≤ band whose gates all pass; because a gate only exists at 3★
 *   and above, a gate never takes the result below min(band, 2★) (`GATE_FLOOR`);
 * - every failing gate at the levels above the result (up to the band) is reported.
 * If a ruling says otherwise (e.g. every member must reach the minimum, or the median), change it
 * here; `scoreSheets` and `nextSteps` use nothing else, and data/criteria/README.md points here.
 */
export function applyGates(
  band: Band,
  criterionMeans: Readonly<Record<string, number>>,
  form: CriteriaForm,
): { stars: Band; failedGates: FailedGate[] } {
  const failedAt = (stars: StarMarker): FailedGate[] => {
    const failed: FailedGate[] = [];
    for (const leaf of form.leaves) {
      const required = gateMinimum(leaf, stars);
      const actual = criterionMeans[leaf.code] ?? 0;
      if (required !== null && actual < required)
        failed.push({ criterion: leaf.code, stars, required, actual });
    }
    return failed;
  };
  const failedGates: FailedGate[] = [];
  let stars: Band = band;
  while (stars > GATE_FLOOR) {
    const failed = failedAt(stars as StarMarker);
    if (failed.length === 0) break;
    failedGates.push(...failed);
    stars = (stars - 1) as Band;
  }
  return { stars, failedGates };
}

const KNOCK_OUT = /bị loại|không đánh giá/i;

/**
 * The disqualification flags of a form, in form order: each "Hồ sơ bị loại khi …" clause
 * (`dossier-1`, …), then each criterion note that knocks the product out ("Bị loại nếu …",
 * "… sẽ không đánh giá các bước tiếp theo", "Không đánh giá những sản phẩm …") and each such note
 * printed inside an option's text (`criterion-<code>`, with `-2`, `-3` if a criterion had more).
 */
export function disqualificationFlags(form: CriteriaForm): DisqualificationFlag[] {
  const flags: DisqualificationFlag[] = form.disqualifyIf.map((text, i) => ({
    id: `dossier-${i + 1}`,
    text,
    criterion: null,
  }));
  const visit = (criterion: Criterion) => {
    const texts = criterion.notes.filter((n) => KNOCK_OUT.test(n));
    for (const option of criterion.options) {
      const at = option.text.search(/ghi chú:|chú ý:/i);
      if (at >= 0 && KNOCK_OUT.test(option.text.slice(at))) texts.push(option.text.slice(at).trim());
    }
    texts.forEach((text, i) => {
      flags.push({
        id: `criterion-${criterion.code}${i === 0 ? '' : `-${i + 1}`}`,
        text,
        criterion: criterion.code,
      });
    });
    criterion.children.forEach(visit);
  };
  for (const part of form.parts) for (const section of part.sections) section.criteria.forEach(visit);
  return flags;
}

/** The case index (0 = a, 1 = b) of option `choice` of a set-26 criterion; null elsewhere. */
export function caseOf(criterion: Criterion, choice: number): number | null {
  const text = criterion.options[choice]?.case ?? null;
  if (text === null) return null;
  const index = criterion.cases.indexOf(text);
  return index < 0 ? null : index;
}

const caseLetter = (index: number) => String.fromCharCode(97 + index);

/**
 * The faults of a list of sheets, as field errors (empty: they can be scored). Names are paths
 * such as `sheets/0/choices/2.1`; rules: minItems / maxItems (the list), type (a sheet or its
 * choices is not an object), unknownCriterion (no such code), notALeaf (a parent such as 6.1:
 * its sub-criteria are answered), optionOutOfRange (not an integer, or no such option), missing
 * (every unanswered leaf), mixedCases (set 26: a criterion answered from another case than the
 * sheet's first case criterion), unknownFlag (a disqualification id the form does not have).
 */
export function validateSheets(form: CriteriaForm, sheets: readonly Sheet[]): FieldError[] {
  const errors: FieldError[] = [];
  const field = (name: string, rule: string, params?: Record<string, string | number>): void => {
    errors.push(params ? { in: 'body', name, rule, params } : { in: 'body', name, rule });
  };
  if (!Array.isArray(sheets)) {
    field('sheets', 'type', { type: 'array' });
    return errors;
  }
  if (sheets.length === 0) field('sheets', 'minItems', { limit: 1 });
  if (sheets.length > MAX_SHEETS) {
    field('sheets', 'maxItems', { limit: MAX_SHEETS });
    return errors;
  }
  const leaves = new Map(form.leaves.map((c) => [c.code, c]));
  const parents = new Set<string>();
  const collectParents = (c: Criterion) => {
    if (!c.leaf) parents.add(c.code);
    c.children.forEach(collectParents);
  };
  for (const part of form.parts)
    for (const section of part.sections) section.criteria.forEach(collectParents);
  const flagIds = new Set(disqualificationFlags(form).map((f) => f.id));

  for (const [i, sheet] of sheets.entries()) {
    const at = `sheets/${i}`;
    const choices: unknown = (sheet as Sheet | null)?.choices;
    if (typeof choices !== 'object' || choices === null || Array.isArray(choices)) {
      field(typeof sheet === 'object' && sheet !== null ? `${at}/choices` : at, 'type', { type: 'object' });
      continue;
    }
    const answers = choices as Record<string, unknown>;
    for (const [code, value] of Object.entries(answers)) {
      const leaf = leaves.get(code);
      if (!leaf) {
        field(`${at}/choices/${code}`, parents.has(code) ? 'notALeaf' : 'unknownCriterion');
        continue;
      }
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= choiceCount(leaf)) {
        field(`${at}/choices/${code}`, 'optionOutOfRange', { min: 0, max: choiceCount(leaf) - 1 });
      }
    }
    for (const leaf of form.leaves) {
      if (!Object.hasOwn(answers, leaf.code)) field(`${at}/choices/${leaf.code}`, 'missing');
    }
    let first: { code: string; index: number } | null = null;
    for (const leaf of form.leaves) {
      if (leaf.cases.length === 0) continue;
      const value = answers[leaf.code];
      if (typeof value !== 'number') continue;
      const index = caseOf(leaf, value);
      if (index === null) continue;
      if (first === null) first = { code: leaf.code, index };
      else if (index !== first.index) {
        field(`${at}/choices/${leaf.code}`, 'mixedCases', {
          case: caseLetter(index),
          expected: caseLetter(first.index),
          criterion: first.code,
        });
      }
    }
    const raised: unknown = (sheet as Sheet).disqualified;
    if (raised === undefined) continue;
    if (!Array.isArray(raised)) {
      field(`${at}/disqualified`, 'type', { type: 'array' });
      continue;
    }
    for (const [j, id] of raised.entries()) {
      if (typeof id !== 'string' || !flagIds.has(id)) field(`${at}/disqualified/${j}`, 'unknownFlag');
    }
  }
  return errors;
}

/** The refusal of sheets that `validateSheets` faults (422, every fault named). */
export const invalidSheets = (fields: FieldError[]) =>
  new DomainError('score_sheets_invalid', 'unprocessable', { count: fields.length }, fields);

/** The points a valid sheet gives a leaf. */
function chosenPoints(leaf: Criterion, choices: Record<string, number>): number {
  return pointsOf(leaf, choices[leaf.code] ?? -1) ?? 0;
}

/** A valid sheet's total: the sum of its chosen points. */
export function memberTotal(form: CriteriaForm, choices: Record<string, number>): number {
  let total = 0;
  for (const leaf of form.leaves) total += chosenPoints(leaf, choices);
  return total;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Scores a council's sheets (or one self-assessment). Throws `score_sheets_invalid` (422) with the
 * field errors of `validateSheets` when the sheets cannot be scored.
 */
export function scoreSheets(
  form: CriteriaForm,
  sheets: readonly Sheet[],
  options: ScoreOptions = {},
): ScoreResult {
  const errors = validateSheets(form, sheets);
  if (errors.length > 0) throw invalidSheets(errors);
  const spreadLimit = options.spreadLimit ?? DEFAULT_SPREAD_LIMIT;
  if (!Number.isFinite(spreadLimit) || spreadLimit < 0) {
    throw new DomainError('spread_limit_invalid', 'invalid', { spreadLimit: String(spreadLimit) }, [
      { in: 'body', name: 'spreadLimit', rule: 'minimum', params: { min: 0 } },
    ]);
  }

  const memberTotals = sheets.map((s) => memberTotal(form, s.choices));
  const score = mean(memberTotals);
  const band = bandOf(score);

  const criterionMeans: Record<string, number> = {};
  const partSums: Record<PartCode, number> = { A: 0, B: 0, C: 0 };
  for (const leaf of form.leaves) {
    const points = sheets.map((s) => chosenPoints(leaf, s.choices));
    criterionMeans[leaf.code] = mean(points);
    partSums[leaf.part] += points.reduce((a, b) => a + b, 0);
  }
  const partTotals: Record<PartCode, number> = {
    A: partSums.A / sheets.length,
    B: partSums.B / sheets.length,
    C: partSums.C / sheets.length,
  };

  const gated = applyGates(band, criterionMeans, form);
  const raised = new Set(sheets.flatMap((s) => s.disqualified ?? []));
  const disqualified = disqualificationFlags(form)
    .map((f) => f.id)
    .filter((id) => raised.has(id));
  const spread = Math.max(...memberTotals) - Math.min(...memberTotals);

  return {
    version: form.version,
    set: form.set,
    memberTotals,
    score,
    band,
    stars: disqualified.length > 0 ? 0 : gated.stars,
    failedGates: gated.failedGates,
    spread,
    spreadLimit,
    spreadExceeded: spread > spreadLimit,
    disqualified,
    partTotals,
    criterionMeans,
    flaggedChoices: flaggedChoices(form, sheets),
  };
}

function flaggedChoices(form: CriteriaForm, sheets: readonly Sheet[]): FlaggedChoice[] {
  const found: FlaggedChoice[] = [];
  for (const leaf of form.leaves) {
    if (isMetOrNot(leaf)) continue;
    leaf.options.forEach((option, index) => {
      if (option.sourceIssue === null && option.correction === null) return;
      const chosenBy = sheets.flatMap((s, i) => (s.choices[leaf.code] === index ? [i] : []));
      if (chosenBy.length === 0) return;
      found.push({
        criterion: leaf.code,
        option: index,
        sheets: chosenBy,
        points: option.points,
        printed: option.correction ? option.correction.printed : option.points,
        sourceIssue: option.sourceIssue,
      });
    });
  }
  return found;
}
