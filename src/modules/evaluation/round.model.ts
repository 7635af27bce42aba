/**
 * The words of evaluation rounds, shared by the rules (round-states.ts, results.ts), the service,
 * the minutes (PDF, .xlsx) and the analytics: plain data, no I/O.
 */
import type { FailedGate, Stars } from './scoring.ts';

/** Province rounds (cấp tỉnh) evaluate 3★–4★; the central round (cấp trung ương) 5★ candidates. */
export const ROUND_LEVELS = ['province', 'central'] as const;
export type RoundLevel = (typeof ROUND_LEVELS)[number];

/** The seats of a council; advisors are the advisory group (tổ tư vấn) and do not score. */
export const COUNCIL_ROLES = ['chair', 'vice_chair', 'secretary', 'member', 'advisor'] as const;
export type CouncilRole = (typeof COUNCIL_ROLES)[number];

/** What a product's evaluation leads to. */
export const OUTCOMES = [
  'disqualified',
  /** 1★–2★: not recognised. */
  'not_recognised',
  /** 3★–4★ (or below 90 in the central round): proposed to the provincial chair for recognition. */
  'recognise',
  /** ≥ 90 points with the 5★ gates met in a province round: goes to the central round. */
  'forward_central',
  /** 5★ in the central round: proposed for national recognition. */
  'recognise_5_star',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A council seat as the minutes print it. */
export interface MinutesMember {
  name: string;
  role: CouncilRole;
  organisation: string;
  present: boolean;
}

/** One product's line in the minutes and the result list. */
export interface MinutesProduct {
  /** Order in the round, from 1. */
  position: number;
  productName: string;
  productCode: string | null;
  producerName: string;
  /** The criteria set, 1–26, and its name. */
  set: number;
  setName: string;
  kind: 'first_evaluation' | 'upgrade' | 're_evaluation';
  /** Each scoring member's total, by member name; recused members are listed apart. */
  memberTotals: { name: string; total: number }[];
  recused: string[];
  /** Mean of the member totals (full precision); null when not scored. */
  score: number | null;
  spread: number | null;
  spreadExceeded: boolean;
  /** The chair's written reason when the spread was accepted without re-scoring. */
  spreadOverride: string | null;
  stars: Stars | null;
  failedGates: FailedGate[];
  disqualified: string[];
  outcome: Outcome | null;
}

/** Everything the minutes (biên bản) and the result list need. */
export interface RoundMinutes {
  provinceName: string;
  roundName: string;
  level: RoundLevel;
  /** ISO dates (YYYY-MM-DD). */
  scoringDate: string | null;
  criteriaVersion: string;
  quorum: { voting: number; present: number; required: number; met: boolean };
  members: MinutesMember[];
  products: MinutesProduct[];
  decision: { number: string; date: string; signer: string } | null;
  /** When the document was produced (ISO timestamp). */
  generatedAt: string;
}
