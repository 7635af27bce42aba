/**
 * The lifecycle of an evaluation round as data: which action moves a round from which status to
 * which, who takes it and what must hold first. The service asks `decideRound()`; pages ask
 * `availableRoundActions()`. Nothing else decides a transition.
 *
 *   planned ─open→ open ─close_scoring→ scoring_closed ─propose→ results_proposed ─decide→ decided
 *      │              ↑        reopen         │                        │ reopen
 *      │cancel        └───────────────────────┴────────────────────────┘
 *      ↓
 *   cancelled
 */
export const ROUND_STATUSES = [
  'planned',
  'open',
  'scoring_closed',
  'results_proposed',
  'decided',
  'cancelled',
] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export const ROUND_ACTIONS = ['open', 'close_scoring', 'reopen', 'propose', 'decide', 'cancel'] as const;
export type RoundAction = (typeof ROUND_ACTIONS)[number];

/**
 * Who takes a step: the provincial OCOP office (which convenes councils and records the chair's
 * decision) or the council's secretary (who runs the session).
 */
export type RoundSide = 'office' | 'secretary';

/** What a guard looks at, computed by the service before asking. */
export interface RoundFacts {
  /** The council has a chair and a secretary, and at least one scoring member. */
  councilComplete: boolean;
  /** At least one dossier is in the round. */
  hasDossiers: boolean;
  /** The members present reach the council's quorum. */
  quorumMet: boolean;
  /** Every product in the round has a final result. */
  allResultsFinal: boolean;
  /** The recognition decision's number, date and signer are recorded. */
  hasDecision: boolean;
  /** The decision is dated on or after the scoring date. */
  decisionAfterScoring: boolean;
}

type Guard = keyof RoundFacts;

export interface RoundTransition {
  action: RoundAction;
  from: readonly RoundStatus[];
  to: RoundStatus;
  by: readonly RoundSide[];
  guards: readonly Guard[];
}

export const ROUND_TRANSITIONS: readonly RoundTransition[] = [
  {
    action: 'open',
    from: ['planned'],
    to: 'open',
    by: ['office', 'secretary'],
    guards: ['councilComplete', 'hasDossiers', 'quorumMet'],
  },
  {
    action: 'close_scoring',
    from: ['open'],
    to: 'scoring_closed',
    by: ['secretary', 'office'],
    guards: ['allResultsFinal'],
  },
  // a product must be re-scored after all (a written complaint, an error found in the minutes)
  {
    action: 'reopen',
    from: ['scoring_closed', 'results_proposed'],
    to: 'open',
    by: ['secretary', 'office'],
    guards: [],
  },
  {
    action: 'propose',
    from: ['scoring_closed'],
    to: 'results_proposed',
    by: ['secretary', 'office'],
    guards: ['allResultsFinal'],
  },
  {
    action: 'decide',
    from: ['results_proposed'],
    to: 'decided',
    by: ['office'],
    guards: ['hasDecision', 'decisionAfterScoring'],
  },
  { action: 'cancel', from: ['planned'], to: 'cancelled', by: ['office'], guards: [] },
];

/** Error codes, one per reason a transition is refused. */
const GUARD_ERRORS: Record<Guard, string> = {
  councilComplete: 'round_council_incomplete',
  hasDossiers: 'round_no_dossiers',
  quorumMet: 'round_quorum_not_met',
  allResultsFinal: 'round_results_not_final',
  hasDecision: 'round_decision_required',
  decisionAfterScoring: 'round_decision_before_scoring',
};

export type RoundDecision =
  | { ok: true; to: RoundStatus; transition: RoundTransition }
  | { ok: false; code: string };

/** Whether `sides` may take `action` on a round in `status`, given the facts. */
export function decideRound(
  status: RoundStatus,
  action: RoundAction,
  sides: readonly RoundSide[],
  facts: RoundFacts,
): RoundDecision {
  const fromHere = ROUND_TRANSITIONS.filter((t) => t.action === action && t.from.includes(status));
  if (fromHere.length === 0) return { ok: false, code: 'round_action_not_allowed' };
  const mine = fromHere.find((t) => t.by.some((side) => sides.includes(side)));
  if (!mine) return { ok: false, code: 'round_not_your_step' };
  const failed = mine.guards.find((guard) => !facts[guard]);
  if (failed) return { ok: false, code: GUARD_ERRORS[failed] };
  return { ok: true, to: mine.to, transition: mine };
}

/** The actions `sides` could take now (guards aside: the page explains what is missing). */
export function availableRoundActions(status: RoundStatus, sides: readonly RoundSide[]): RoundAction[] {
  return [
    ...new Set(
      ROUND_TRANSITIONS.filter((t) => t.from.includes(status) && t.by.some((s) => sides.includes(s))).map(
        (t) => t.action,
      ),
    ),
  ];
}

/** Statuses in which members score and the secretary finalises results. */
export const SCORING_STATUSES: readonly RoundStatus[] = ['open'];
/** Statuses in which the council and the dossiers of the round may change. */
export const SETUP_STATUSES: readonly RoundStatus[] = ['planned'];
/** Statuses in which attendance and conflict declarations may change (a member arrives late). */
export const ATTENDANCE_STATUSES: readonly RoundStatus[] = ['planned', 'open'];
