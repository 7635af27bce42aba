/**
 * Consistency analytics for evaluation councils: how each member scores compared with the rest of
 * the council, how far apart the members' totals are on each product, and on which criteria the
 * members disagree most. Pure functions, no I/O; the charts are in consistency.charts.tsx.
 *
 * A product is a dossier in a round: sheets are grouped by roundId + productId, so the same
 * product evaluated in two rounds counts twice. Input is one sheet per member per product (a
 * second sheet of the same member on the same product is counted as another sheet). A product
 * with a single sheet has nothing to compare with and is left out of every figure.
 * Numbers are kept at full precision; the charts round them for display.
 */
import { DEFAULT_SPREAD_LIMIT } from './scoring.ts';

export interface ScoredSheet {
  roundId: string;
  roundName: string;
  /** The dossier id in the round. */
  productId: string;
  /** Stable person key (user id). */
  memberId: string;
  memberName: string;
  /** The member's total points for the product. */
  total: number;
  /** Leaf criterion code → points the member gave. */
  points: Record<string, number>;
}

export type Tendency = 'lenient' | 'severe' | 'consistent';

export interface MemberDeviation {
  memberId: string;
  /** The name on the member's first sheet in the input. */
  memberName: string;
  /** Products (with at least two sheets) the member scored. */
  products: number;
  /** Mean of (member total − mean of all the members' totals on the product). */
  meanDeviation: number;
  /** Mean of |member total − mean of all the members' totals on the product|. */
  meanAbsoluteDeviation: number;
  /** 'lenient' above +threshold, 'severe' below −threshold, else 'consistent'. */
  tendency: Tendency;
}

export interface DeviationOptions {
  /** Points of mean deviation beyond which a member is lenient or severe; default 3. */
  threshold?: number;
}

export interface ProductSpread {
  productId: string;
  roundId: string;
  /** Highest − lowest member total on the product. */
  spread: number;
}

export interface SpreadBin {
  /** Inclusive lower bound. */
  from: number;
  /** Exclusive upper bound. */
  to: number;
  count: number;
}

export interface SpreadDistribution {
  /** One entry per product with at least two sheets, widest spread first. */
  spreads: ProductSpread[];
  /** Consecutive bins [from, to) from 0 up to and including the widest spread; empty without data. */
  bins: SpreadBin[];
  /** Products whose spread is strictly greater than the limit. */
  aboveLimit: number;
  median: number;
  max: number;
}

export interface SpreadOptions {
  /** Width of a histogram bin in points; default 2. */
  binWidth?: number;
  /** The allowed spread; default DEFAULT_SPREAD_LIMIT of scoring.ts (10), as the council's check. */
  limit?: number;
}

export interface CriterionDisagreement {
  /** Leaf criterion code, e.g. "1.2". */
  criterion: string;
  /** Products on which at least two members scored the criterion. */
  products: number;
  /** Of those, the products on which the members did not all give the same points. */
  disagreements: number;
  /** disagreements / products, 0–1. */
  rate: number;
  /** Mean over those products of (highest − lowest points given on the criterion). */
  meanRange: number;
}

export const DEFAULT_TENDENCY_THRESHOLD = 3;
export const DEFAULT_BIN_WIDTH = 2;

/** Tolerance for comparing sums of decimal points (0.1 + 0.2 ≠ 0.3 in binary). */
const EPSILON = 1e-9;

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const mean = (values: number[]): number => (values.length === 0 ? 0 : sum(values) / values.length);

/** The sheets of each product (roundId + productId), in input order; only products with ≥ 2 sheets. */
function comparableProducts(sheets: ScoredSheet[]): ScoredSheet[][] {
  const byProduct = new Map<string, ScoredSheet[]>();
  for (const sheet of sheets) {
    // JSON of the pair: no separator can collide with characters inside the ids.
    const key = JSON.stringify([sheet.roundId, sheet.productId]);
    const group = byProduct.get(key);
    if (group) group.push(sheet);
    else byProduct.set(key, [sheet]);
  }
  return [...byProduct.values()].filter((group) => group.length >= 2);
}

/** The tendency of a mean deviation for a threshold (inclusive: exactly ±threshold is consistent). */
export function tendencyOf(meanDeviation: number, threshold = DEFAULT_TENDENCY_THRESHOLD): Tendency {
  if (meanDeviation > threshold + EPSILON) return 'lenient';
  if (meanDeviation < -threshold - EPSILON) return 'severe';
  return 'consistent';
}

/**
 * Each member's deviation from the council: on every product they scored that has at least two
 * sheets, their total minus the mean of all the totals on it (their own included), averaged over
 * those products. Members with no such product are left out. Sorted by meanDeviation descending
 * (most lenient first), then by name and id.
 */
export function memberDeviations(sheets: ScoredSheet[], options: DeviationOptions = {}): MemberDeviation[] {
  const threshold = options.threshold ?? DEFAULT_TENDENCY_THRESHOLD;
  if (!Number.isFinite(threshold) || threshold < 0) {
    throw new RangeError(`threshold must be a finite number ≥ 0, got ${threshold}`);
  }
  const byMember = new Map<string, { name: string; deviations: number[] }>();
  for (const group of comparableProducts(sheets)) {
    const productMean = mean(group.map((s) => s.total));
    for (const sheet of group) {
      let member = byMember.get(sheet.memberId);
      if (!member) {
        member = { name: sheet.memberName, deviations: [] };
        byMember.set(sheet.memberId, member);
      }
      member.deviations.push(sheet.total - productMean);
    }
  }
  const result: MemberDeviation[] = [];
  for (const [memberId, { name, deviations }] of byMember) {
    const meanDeviation = mean(deviations);
    result.push({
      memberId,
      memberName: name,
      products: deviations.length,
      meanDeviation,
      meanAbsoluteDeviation: mean(deviations.map(Math.abs)),
      tendency: tendencyOf(meanDeviation, threshold),
    });
  }
  return result.sort(
    (a, b) =>
      b.meanDeviation - a.meanDeviation ||
      a.memberName.localeCompare(b.memberName, 'vi') ||
      (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0),
  );
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The spread (highest − lowest member total) of every product with at least two sheets, and its
 * histogram: bins [0, w), [w, 2w), … up to the bin that holds the widest spread.
 */
export function spreadDistribution(sheets: ScoredSheet[], options: SpreadOptions = {}): SpreadDistribution {
  const binWidth = options.binWidth ?? DEFAULT_BIN_WIDTH;
  const limit = options.limit ?? DEFAULT_SPREAD_LIMIT;
  if (!Number.isFinite(binWidth) || binWidth <= 0) {
    throw new RangeError(`binWidth must be a finite number > 0, got ${binWidth}`);
  }
  if (!Number.isFinite(limit)) throw new RangeError(`limit must be a finite number, got ${limit}`);

  const spreads: ProductSpread[] = comparableProducts(sheets).map((group) => {
    const totals = group.map((s) => s.total);
    return {
      productId: group[0]!.productId,
      roundId: group[0]!.roundId,
      spread: Math.max(...totals) - Math.min(...totals),
    };
  });
  spreads.sort(
    (a, b) =>
      b.spread - a.spread ||
      (a.roundId < b.roundId ? -1 : a.roundId > b.roundId ? 1 : 0) ||
      (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0),
  );
  if (spreads.length === 0) return { spreads, bins: [], aboveLimit: 0, median: 0, max: 0 };

  const values = spreads.map((s) => s.spread);
  const max = Math.max(...values);
  // The epsilon keeps a spread of 3.9999999999 (decimal points summed in binary) out of the bin below.
  const binOf = (value: number) => Math.floor(value / binWidth + EPSILON);
  const bins: SpreadBin[] = Array.from({ length: binOf(max) + 1 }, (_, i) => ({
    from: i * binWidth,
    to: (i + 1) * binWidth,
    count: 0,
  }));
  for (const value of values) bins[binOf(value)]!.count += 1;
  return {
    spreads,
    bins,
    aboveLimit: values.filter((v) => v > limit + EPSILON).length,
    median: median(values),
    max,
  };
}

/**
 * Natural order of criterion codes: dot-separated parts compared as numbers when both are
 * numbers ("1.2" < "1.10" < "2"), as text otherwise; a code sorts before its sub-criteria.
 */
export function compareCriterionCodes(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : Number.NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : Number.NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny) && nx !== ny) return nx - ny;
    return x.localeCompare(y, 'en', { numeric: true }) || (x < y ? -1 : 1);
  }
  return left.length - right.length;
}

/**
 * For each leaf criterion: over the products on which at least two members scored it, how often
 * the members did not all give the same points, and by how much on average. Sorted by rate
 * descending, then by criterion code in natural order.
 */
export function criterionDisagreement(sheets: ScoredSheet[]): CriterionDisagreement[] {
  const byCriterion = new Map<string, { products: number; disagreements: number; ranges: number[] }>();
  for (const group of comparableProducts(sheets)) {
    const given = new Map<string, number[]>();
    for (const sheet of group) {
      for (const [criterion, points] of Object.entries(sheet.points)) {
        if (!Number.isFinite(points)) continue;
        const list = given.get(criterion);
        if (list) list.push(points);
        else given.set(criterion, [points]);
      }
    }
    for (const [criterion, points] of given) {
      if (points.length < 2) continue;
      const range = Math.max(...points) - Math.min(...points);
      let entry = byCriterion.get(criterion);
      if (!entry) {
        entry = { products: 0, disagreements: 0, ranges: [] };
        byCriterion.set(criterion, entry);
      }
      entry.products += 1;
      if (range > EPSILON) entry.disagreements += 1;
      entry.ranges.push(range);
    }
  }
  return [...byCriterion]
    .map(([criterion, entry]) => ({
      criterion,
      products: entry.products,
      disagreements: entry.disagreements,
      rate: entry.disagreements / entry.products,
      meanRange: mean(entry.ranges),
    }))
    .sort((a, b) => b.rate - a.rate || compareCriterionCodes(a.criterion, b.criterion));
}
