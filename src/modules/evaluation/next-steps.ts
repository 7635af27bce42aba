/**
 * What a producer's self-assessment would need to reach the next star (or a chosen star level):
 * the cheapest set of answers to raise on one sheet.
 *
 * What this file decides:
 * - "cheapest" = fewest criteria changed, then fewest option steps (|to − from| in the option list),
 *   then the greatest point gain (so, among equally cheap plans, the greatest gain per step), then
 *   the earliest criteria in form order;
 * - every gate the target fails (`gateMinimum` of scoring.ts, as the gate policy `applyGates`
 *   applies it to one sheet) must be raised to at least its minimum; then, if the score is still
 *   below the target band's threshold, more points are found where they are cheapest;
 * - a criterion is only ever raised, never lowered, and in set 26 only within the sheet's case (the
 *   case describes the product, it is not a lever).
 *
 * Why not a greedy pick by "greatest gain per step": it is not always cheapest. With 5 points
 * missing, the greedy pick is criterion Z 3→5 (2 points in 1 step, ratio 2) before criterion Y
 * 0→5 (5 points in 4 steps, ratio 1.25); Z leaves 3 points to find elsewhere, so two criteria
 * change where Y alone would do. Points are whole numbers and the deficit is at most 100, so an
 * exact dynamic programme over (criterion, points gained so far) finds the cheapest plan in a few
 * thousand operations; the greedy rule survives as the last tie-break (for the same number of
 * criteria and steps, the plan with the greatest gain, i.e. the greatest gain per step).
 */
import { DomainError } from '../../platform/errors.ts';
import { type CriteriaForm, type Criterion, choiceCount, pointsOf } from './criteria.ts';
import {
  BAND_THRESHOLDS,
  type Band,
  caseOf,
  gateMinimum,
  invalidSheets,
  memberTotal,
  scoreSheets,
  validateSheets,
} from './scoring.ts';

export interface NextStep {
  criterion: string;
  /** The criterion's text, for showing the step. */
  text: string;
  /** The current option index (0/1 for a criterion without options: not met / met). */
  from: number;
  to: number;
  fromText: string;
  toText: string;
  /** Points gained on this criterion. */
  gain: number;
  /** Option steps: |to − from|. */
  steps: number;
  /** 'gate': the criterion is below the target's minimum; 'points': raised for the score. */
  reason: 'gate' | 'points';
}

export interface NextSteps {
  /** The sheet's current score, band and stars (disqualification not considered). */
  score: number;
  band: Band;
  stars: Band;
  target: number;
  /** In form order; empty when the target is already reached or cannot be reached. */
  steps: NextStep[];
  /** False when no answers on this form (in this case, for set 26) reach the target. */
  reachable: boolean;
  /** The score after the steps. */
  projectedScore: number;
}

/** A candidate answer on one criterion. */
interface Move {
  to: number;
  gain: number;
  steps: number;
  changed: 0 | 1;
}

/** A plan's cost, compared lexicographically: criteria changed, option steps, then −gain. */
type Cost = readonly [changed: number, steps: number, negativeGain: number];

function better(a: Cost, b: Cost | undefined): boolean {
  if (b === undefined) return true;
  for (let k = 0; k < 3; k++) if (a[k] !== b[k]) return a[k]! < b[k]!;
  return false;
}

const answerText = (criterion: Criterion, choice: number): string =>
  criterion.options.length === 0
    ? choice === 1
      ? 'met'
      : 'not met'
    : (criterion.options[choice]?.text ?? '');

/** The answers a leaf may move to (its current answer included when it is allowed to stay). */
function movesFor(leaf: Criterion, from: number, target: number): { moves: Move[]; gate: boolean } {
  const current = pointsOf(leaf, from) ?? 0;
  const required = gateMinimum(leaf, target);
  const gate = required !== null && current < required;
  const sameCase = caseOf(leaf, from);
  const moves: Move[] = gate ? [] : [{ to: from, gain: 0, steps: 0, changed: 0 }];
  for (let to = 0; to < choiceCount(leaf); to++) {
    const points = pointsOf(leaf, to) ?? 0;
    if (to === from || points <= current) continue;
    if (required !== null && gate && points < required) continue;
    if (sameCase !== null && caseOf(leaf, to) !== sameCase) continue;
    moves.push({ to, gain: points - current, steps: Math.abs(to - from), changed: 1 });
  }
  return { moves, gate };
}

/**
 * The cheapest way for one sheet (`choices`, as validated by `validateSheets`) to reach
 * `targetStars` (default: one star more than now, at most 5★). Throws `score_sheets_invalid` when
 * the choices do not fit the form, `target_stars_invalid` for a target outside 1…5.
 */
export function nextSteps(
  form: CriteriaForm,
  choices: Record<string, number>,
  targetStars?: number,
): NextSteps {
  const faults = validateSheets(form, [{ choices }]);
  if (faults.length > 0) throw invalidSheets(faults);
  const now = scoreSheets(form, [{ choices }]);
  const stars = now.stars as Band;
  const target = targetStars ?? Math.min(stars + 1, 5);
  if (!Number.isInteger(target) || target < 1 || target > 5) {
    throw new DomainError('target_stars_invalid', 'invalid', { target: String(target) }, [
      { in: 'body', name: 'targetStars', rule: 'enum', params: { values: '1, 2, 3, 4, 5' } },
    ]);
  }
  const base = { score: now.score, band: now.band, stars, target };
  if (target <= stars) return { ...base, steps: [], reachable: true, projectedScore: now.score };

  const total = memberTotal(form, choices);
  const deficit = Math.max(0, Math.ceil(BAND_THRESHOLDS[target as Band] - total));
  const leaves = form.leaves.map((leaf) => ({ leaf, from: choices[leaf.code] ?? 0 }));
  const options = leaves.map(({ leaf, from }) => movesFor(leaf, from, target));

  // best[i][g]: the cheapest plan for the first i leaves that gains g points (g capped at the
  // deficit), with the move chosen for leaf i − 1 to rebuild it.
  const best: { cost: Cost; move: Move | null; prev: number }[][] = [];
  best.push([]);
  best[0]![0] = { cost: [0, 0, 0], move: null, prev: -1 };
  for (const [i, { moves }] of options.entries()) {
    const row: { cost: Cost; move: Move | null; prev: number }[] = [];
    // Highest g first, and "stay" before any raise: on a tie the plan found first is kept, so
    // the earliest criterion in form order is the one raised.
    for (let g = deficit; g >= 0; g--) {
      const cell = best[i]![g];
      if (!cell) continue;
      for (const move of moves) {
        const next = Math.min(deficit, g + move.gain);
        const cost: Cost = [cell.cost[0] + move.changed, cell.cost[1] + move.steps, cell.cost[2] - move.gain];
        if (better(cost, row[next]?.cost)) row[next] = { cost, move, prev: g };
      }
    }
    best.push(row);
  }

  const end = best[leaves.length]![deficit];
  if (!end) return { ...base, steps: [], reachable: false, projectedScore: now.score };
  const steps: NextStep[] = [];
  let g = deficit;
  for (let i = leaves.length; i > 0; i--) {
    const cell = best[i]![g]!;
    const { leaf, from } = leaves[i - 1]!;
    const move = cell.move!;
    if (move.changed === 1) {
      steps.push({
        criterion: leaf.code,
        text: leaf.text,
        from,
        to: move.to,
        fromText: answerText(leaf, from),
        toText: answerText(leaf, move.to),
        gain: move.gain,
        steps: move.steps,
        reason: options[i - 1]!.gate ? 'gate' : 'points',
      });
    }
    g = cell.prev;
  }
  steps.reverse();
  return { ...base, steps, reachable: true, projectedScore: total - end.cost[2] };
}
