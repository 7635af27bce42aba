/**
 * The dossier lifecycle as data: which action moves a dossier from which status to which, who
 * takes it (the producer, the commune, the province) and what must hold first. The service asks
 * `decide()`; pages ask `availableActions()`. Nothing else decides a transition.
 *
 *   draft ─submit→ submitted ─check→ checked ─forward→ forwarded ─accept→ accepted ─close→ closed
 *                  ↑    │return                           │return (province)
 *          resubmit│    ↓                                 ↓
 *                  returned ←─────────────────────────────┘
 *   draft, returned ─withdraw→ withdrawn
 */
export const DOSSIER_STATUSES = [
  'draft',
  'submitted',
  'returned',
  'checked',
  'forwarded',
  'accepted',
  'closed',
  'withdrawn',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

export const DOSSIER_ACTIONS = [
  'submit',
  'resubmit',
  'return',
  'check',
  'forward',
  'accept',
  'close',
  'withdraw',
] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

/** Who takes a step: the producer, the commune (UBND cấp xã) or the provincial OCOP office. */
export type Side = 'producer' | 'commune' | 'province';

/** What a guard looks at, computed by the service before asking. */
export interface DossierFacts {
  /** Every required item of the completeness checklist is there. */
  complete: boolean;
  /** The officer wrote why the dossier goes back. */
  hasComment: boolean;
  /** The commune's Mẫu 03 report assesses all four items. */
  hasCommuneReport: boolean;
}

type Guard = keyof DossierFacts;

export interface Transition {
  action: DossierAction;
  from: readonly DossierStatus[];
  to: DossierStatus;
  by: Side;
  guards: readonly Guard[];
}

export const TRANSITIONS: readonly Transition[] = [
  { action: 'submit', from: ['draft'], to: 'submitted', by: 'producer', guards: ['complete'] },
  { action: 'resubmit', from: ['returned'], to: 'submitted', by: 'producer', guards: ['complete'] },
  { action: 'return', from: ['submitted', 'checked'], to: 'returned', by: 'commune', guards: ['hasComment'] },
  // the dossier must still be complete: the product's set (and so its checklist) can change
  {
    action: 'check',
    from: ['submitted'],
    to: 'checked',
    by: 'commune',
    guards: ['complete', 'hasCommuneReport'],
  },
  {
    action: 'forward',
    from: ['checked'],
    to: 'forwarded',
    by: 'commune',
    guards: ['complete', 'hasCommuneReport'],
  },
  { action: 'return', from: ['forwarded'], to: 'returned', by: 'province', guards: ['hasComment'] },
  { action: 'accept', from: ['forwarded'], to: 'accepted', by: 'province', guards: [] },
  { action: 'close', from: ['accepted'], to: 'closed', by: 'province', guards: [] },
  { action: 'withdraw', from: ['draft', 'returned'], to: 'withdrawn', by: 'producer', guards: [] },
];

/** Error codes, one per reason a transition is refused. */
const GUARD_ERRORS: Record<Guard, string> = {
  complete: 'dossier_incomplete',
  hasComment: 'dossier_comment_required',
  hasCommuneReport: 'dossier_commune_report_required',
};

export type Decision =
  | { ok: true; to: DossierStatus; transition: Transition }
  | { ok: false; code: 'dossier_action_not_allowed' | 'dossier_not_your_step' | string };

/**
 * Whether `sides` (what the acting person may act as: an administrator acts as any) may take
 * `action` on a dossier in `status`, given the facts.
 */
export function decide(
  status: DossierStatus,
  action: DossierAction,
  sides: readonly Side[],
  facts: DossierFacts,
): Decision {
  const fromHere = TRANSITIONS.filter((t) => t.action === action && t.from.includes(status));
  if (fromHere.length === 0) return { ok: false, code: 'dossier_action_not_allowed' };
  const mine = fromHere.find((t) => sides.includes(t.by));
  if (!mine) return { ok: false, code: 'dossier_not_your_step' };
  const failed = mine.guards.find((guard) => !facts[guard]);
  if (failed) return { ok: false, code: GUARD_ERRORS[failed] };
  return { ok: true, to: mine.to, transition: mine };
}

/** The actions `sides` could take now (guards aside: the page explains what is missing). */
export function availableActions(status: DossierStatus, sides: readonly Side[]): DossierAction[] {
  return [
    ...new Set(
      TRANSITIONS.filter((t) => t.from.includes(status) && sides.includes(t.by)).map((t) => t.action),
    ),
  ];
}

/** Statuses in which the producer may still change the dossier's forms and files. */
export const EDITABLE_BY_PRODUCER: readonly DossierStatus[] = ['draft', 'returned'];

/** Statuses in which the commune's deadline runs. */
export const AWAITING_COMMUNE: readonly DossierStatus[] = ['submitted', 'checked'];
