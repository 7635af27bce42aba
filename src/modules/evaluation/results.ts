/**
 * The rules that turn a council's session into a result (pure functions, no I/O):
 * - quorum: the members present (advisors aside: they advise, they do not score) must reach the
 *   council's quorum, by default 75 % of its scoring members, rounded up; no result without it;
 * - who scores a product: the members present who have not declared a conflict of interest on it.
 *   A recused member's sheet is never counted;
 * - when a product's result may be finalised: quorum, every expected sheet submitted, the spread
 *   within the limit or accepted by the chair with a written reason, no meeting pending on a
 *   written re-evaluation;
 * - what a result leads to (`outcomeOf`, QĐ 26/2026 Điều 4.1, 7.3–7.4): disqualified; 1★–2★ not
 *   recognised; 3★–4★ proposed to the provincial chair; ≥ 90 points with the 5★ minimums met in a
 *   province round goes to the central round, which scores again: 5★ there is proposed for national
 *   recognition, below it the province may recognise 3★ or 4★ from the central result;
 * - re-evaluation by written opinions (Điều 7.6): each member confirms or changes the previous
 *   scores; a meeting is held only when opinions differ; at most 45 days from the complete file.
 */
import { addDays, daysBetween } from '../../platform/time.ts';
import type { CouncilRole, Outcome, RoundLevel } from './round.model.ts';
import type { ScoreResult } from './scoring.ts';

/** The default quorum: three quarters of the scoring members. */
export const DEFAULT_QUORUM_PERCENT = 75;
/** Re-evaluation by written opinions ends within this many days of the complete file. */
export const RE_EVALUATION_DAYS = 45;

export interface Seat {
  memberId: string;
  role: CouncilRole;
  present: boolean;
}

export interface Quorum {
  /** Scoring members of the council (advisors aside). */
  voting: number;
  present: number;
  /** The fewest present members that make a quorum. */
  required: number;
  met: boolean;
}

export function quorumOf(seats: readonly Seat[], percent = DEFAULT_QUORUM_PERCENT): Quorum {
  const voting = seats.filter((s) => s.role !== 'advisor');
  const present = voting.filter((s) => s.present).length;
  // integer arithmetic: 75 % of 4 is exactly 3, never 3.0000000004
  const required = voting.length === 0 ? 1 : Math.ceil((voting.length * percent) / 100);
  return { voting: voting.length, present, required, met: voting.length > 0 && present >= required };
}

/**
 * The members expected to score a product: scoring seats not recused on it that are present — or
 * have submitted a sheet of this attempt (marking a member absent afterwards never drops a sheet).
 */
export function expectedScorers(
  seats: readonly Seat[],
  recused: ReadonlySet<string>,
  submitted: ReadonlySet<string> = new Set(),
): string[] {
  return seats
    .filter(
      (s) => s.role !== 'advisor' && !recused.has(s.memberId) && (s.present || submitted.has(s.memberId)),
    )
    .map((s) => s.memberId);
}

/** Whether everyone expected has submitted: only then may members see each other's sheets. */
export function allSubmitted(expected: readonly string[], submitted: ReadonlySet<string>): boolean {
  return expected.length > 0 && expected.every((id) => submitted.has(id));
}

export interface FinaliseFacts {
  quorum: Quorum;
  expected: readonly string[];
  submitted: ReadonlySet<string>;
  result: Pick<ScoreResult, 'spreadExceeded' | 'disqualified'> | null;
  /** The chair accepted the spread in writing. */
  spreadAccepted: boolean;
  /** A written re-evaluation whose opinions differ: the council must meet first. */
  meetingPending: boolean;
}

/** Why a product's result cannot be finalised yet (error codes, first reason first); [] when it can. */
export function finaliseProblems(facts: FinaliseFacts): string[] {
  const problems: string[] = [];
  if (!facts.quorum.met) problems.push('round_quorum_not_met');
  // everyone recused or absent: nobody can score it in this session
  if (facts.expected.length === 0) problems.push('round_no_scorers');
  else if (!allSubmitted(facts.expected, facts.submitted)) problems.push('round_sheets_missing');
  if (facts.meetingPending) problems.push('round_meeting_required');
  // a disqualification ends the evaluation: the spread no longer matters
  if (facts.result?.spreadExceeded && facts.result.disqualified.length === 0 && !facts.spreadAccepted)
    problems.push('round_spread_unresolved');
  return problems;
}

/** What a product's final result leads to at this level of round. */
export function outcomeOf(level: RoundLevel, result: Pick<ScoreResult, 'stars' | 'disqualified'>): Outcome {
  if (result.disqualified.length > 0 || result.stars === 0) return 'disqualified';
  if (result.stars <= 2) return 'not_recognised';
  if (result.stars === 5) return level === 'province' ? 'forward_central' : 'recognise_5_star';
  return 'recognise';
}

/** Stars the province may recognise for an outcome (0 when none). */
export function recognisedStars(outcome: Outcome, stars: number): number {
  if (outcome === 'recognise') return stars;
  if (outcome === 'recognise_5_star') return 5;
  return 0;
}

export type Opinion = 'confirm' | 'change';

/**
 * A written re-evaluation: once every expected member has given an opinion, the council meets only
 * when they differ (someone changes a score, or opinions are mixed).
 */
export function writtenOpinionsState(
  expected: readonly string[],
  opinions: ReadonlyMap<string, Opinion>,
): 'waiting' | 'agreed' | 'meeting_required' {
  // nobody expected (everyone recused or absent): no opinion given, so nothing is agreed
  if (expected.length === 0 || !expected.every((id) => opinions.has(id))) return 'waiting';
  return expected.every((id) => opinions.get(id) === 'confirm') ? 'agreed' : 'meeting_required';
}

/** The last day of a re-evaluation and the days left on `today` (negative once overdue). */
export function reEvaluationCountdown(
  completeOn: string,
  today: string,
): { deadline: string; daysLeft: number } {
  const deadline = addDays(completeOn, RE_EVALUATION_DAYS);
  return { deadline, daysLeft: daysBetween(today, deadline) };
}
