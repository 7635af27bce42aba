import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ATTENDANCE_STATUSES,
  availableRoundActions,
  decideRound,
  ROUND_ACTIONS,
  ROUND_STATUSES,
  ROUND_TRANSITIONS,
  type RoundAction,
  type RoundFacts,
  type RoundSide,
  type RoundStatus,
  SCORING_STATUSES,
  SETUP_STATUSES,
} from './round-states.ts';

const ALL: RoundFacts = {
  councilComplete: true,
  hasDossiers: true,
  quorumMet: true,
  allResultsFinal: true,
  hasDecision: true,
  decisionAfterScoring: true,
};
const NONE: RoundFacts = {
  councilComplete: false,
  hasDossiers: false,
  quorumMet: false,
  allResultsFinal: false,
  hasDecision: false,
  decisionAfterScoring: false,
};
const BOTH: RoundSide[] = ['office', 'secretary'];

/**
 * The whole table, written out by hand: [from, action, to, sides that may take it]. A change to
 * ROUND_TRANSITIONS that is not mirrored here fails the tests below.
 */
const EXPECTED: [RoundStatus, RoundAction, RoundStatus, RoundSide[]][] = [
  ['planned', 'open', 'open', ['office', 'secretary']],
  ['planned', 'cancel', 'cancelled', ['office']],
  ['open', 'close_scoring', 'scoring_closed', ['office', 'secretary']],
  ['scoring_closed', 'propose', 'results_proposed', ['office', 'secretary']],
  ['scoring_closed', 'reopen', 'open', ['office', 'secretary']],
  ['results_proposed', 'reopen', 'open', ['office', 'secretary']],
  ['results_proposed', 'decide', 'decided', ['office']],
];

test('the happy path: planned → open → scoring_closed → results_proposed → decided', () => {
  const steps = [
    ['planned', 'open', 'office', 'open'],
    ['open', 'close_scoring', 'secretary', 'scoring_closed'],
    ['scoring_closed', 'propose', 'secretary', 'results_proposed'],
    ['results_proposed', 'decide', 'office', 'decided'],
  ] as const;
  for (const [from, action, side, to] of steps) {
    const decision = decideRound(from, action, [side], ALL);
    assert.ok(decision.ok, `${from} ${action}`);
    assert.equal(decision.to, to);
  }
});

test('every transition of the table succeeds for each side allowed to take it, and returns its row', () => {
  for (const [from, action, to, sides] of EXPECTED) {
    const row = ROUND_TRANSITIONS.find((t) => t.action === action && t.from.includes(from));
    assert.ok(row, `${from} ${action} is in the table`);
    for (const side of sides) {
      assert.deepEqual(decideRound(from, action, [side], ALL), { ok: true, to, transition: row }, side);
    }
    assert.deepEqual(decideRound(from, action, BOTH, ALL), { ok: true, to, transition: row });
  }
});

test('the table holds exactly the expected transitions, no more', () => {
  const actual = ROUND_TRANSITIONS.flatMap((t) =>
    t.from.map((from) => `${from} ${t.action} → ${t.to} by ${[...t.by].sort().join(',')}`),
  ).sort();
  const expected = EXPECTED.map(
    ([from, action, to, sides]) => `${from} ${action} → ${to} by ${[...sides].sort().join(',')}`,
  ).sort();
  assert.deepEqual(actual, expected);
});

test('every status × action pair not in the table is refused as not allowed, for every side', () => {
  for (const status of ROUND_STATUSES) {
    for (const action of ROUND_ACTIONS) {
      if (EXPECTED.some(([from, a]) => from === status && a === action)) continue;
      for (const sides of [['office'], ['secretary'], BOTH] as RoundSide[][]) {
        assert.deepEqual(
          decideRound(status, action, sides, ALL),
          { ok: false, code: 'round_action_not_allowed' },
          `${status} ${action} by ${sides.join(',')}`,
        );
      }
    }
  }
});

test('decided and cancelled are final: no action leaves them', () => {
  for (const status of ['decided', 'cancelled'] as const) {
    assert.equal(ROUND_TRANSITIONS.filter((t) => t.from.includes(status)).length, 0, status);
    for (const action of ROUND_ACTIONS)
      assert.deepEqual(decideRound(status, action, BOTH, ALL), {
        ok: false,
        code: 'round_action_not_allowed',
      });
    assert.deepEqual(availableRoundActions(status, BOTH), []);
  }
  // every other status has a way out
  for (const status of ROUND_STATUSES) {
    if (status === 'decided' || status === 'cancelled') continue;
    assert.ok(
      ROUND_TRANSITIONS.some((t) => t.from.includes(status)),
      status,
    );
  }
});

test('the table is well formed: every action is used, every status is known', () => {
  for (const action of ROUND_ACTIONS)
    assert.ok(
      ROUND_TRANSITIONS.some((t) => t.action === action),
      action,
    );
  for (const t of ROUND_TRANSITIONS) {
    assert.ok(ROUND_STATUSES.includes(t.to), t.to);
    for (const from of t.from) assert.ok(ROUND_STATUSES.includes(from), from);
    assert.ok(t.by.length > 0, `${t.action} has someone to take it`);
  }
  // an action is never ambiguous: one row per (status, action)
  for (const status of ROUND_STATUSES)
    for (const action of ROUND_ACTIONS)
      assert.ok(
        ROUND_TRANSITIONS.filter((t) => t.action === action && t.from.includes(status)).length <= 1,
        `${status} ${action}`,
      );
});

test('each guard refuses with its own code', () => {
  const table: [RoundStatus, RoundAction, RoundSide, keyof RoundFacts, string][] = [
    ['planned', 'open', 'office', 'councilComplete', 'round_council_incomplete'],
    ['planned', 'open', 'secretary', 'councilComplete', 'round_council_incomplete'],
    ['planned', 'open', 'office', 'hasDossiers', 'round_no_dossiers'],
    ['planned', 'open', 'office', 'quorumMet', 'round_quorum_not_met'],
    ['open', 'close_scoring', 'secretary', 'allResultsFinal', 'round_results_not_final'],
    ['open', 'close_scoring', 'office', 'allResultsFinal', 'round_results_not_final'],
    ['scoring_closed', 'propose', 'secretary', 'allResultsFinal', 'round_results_not_final'],
    ['scoring_closed', 'propose', 'office', 'allResultsFinal', 'round_results_not_final'],
    ['results_proposed', 'decide', 'office', 'hasDecision', 'round_decision_required'],
    ['results_proposed', 'decide', 'office', 'decisionAfterScoring', 'round_decision_before_scoring'],
  ];
  for (const [status, action, side, fact, code] of table) {
    assert.deepEqual(
      decideRound(status, action, [side], { ...ALL, [fact]: false }),
      { ok: false, code },
      `${status} ${action} by ${side} without ${fact}`,
    );
  }
});

test('when several guards fail, the first in the table is reported', () => {
  assert.deepEqual(decideRound('planned', 'open', ['office'], NONE), {
    ok: false,
    code: 'round_council_incomplete',
  });
  assert.deepEqual(decideRound('planned', 'open', ['office'], { ...NONE, councilComplete: true }), {
    ok: false,
    code: 'round_no_dossiers',
  });
  assert.deepEqual(
    decideRound('planned', 'open', ['office'], { ...NONE, councilComplete: true, hasDossiers: true }),
    { ok: false, code: 'round_quorum_not_met' },
  );
  assert.deepEqual(decideRound('results_proposed', 'decide', ['office'], NONE), {
    ok: false,
    code: 'round_decision_required',
  });
});

test('each transition only looks at its own guards', () => {
  // open ignores results and decisions
  assert.equal(
    decideRound('planned', 'open', ['office'], {
      ...NONE,
      councilComplete: true,
      hasDossiers: true,
      quorumMet: true,
    }).ok,
    true,
  );
  // close_scoring and propose only need final results
  assert.equal(
    decideRound('open', 'close_scoring', ['secretary'], { ...NONE, allResultsFinal: true }).ok,
    true,
  );
  assert.equal(
    decideRound('scoring_closed', 'propose', ['secretary'], { ...NONE, allResultsFinal: true }).ok,
    true,
  );
  // decide only needs the decision, dated after scoring
  assert.equal(
    decideRound('results_proposed', 'decide', ['office'], {
      ...NONE,
      hasDecision: true,
      decisionAfterScoring: true,
    }).ok,
    true,
  );
});

test('reopen and cancel have no guards: they succeed whatever the facts', () => {
  for (const from of ['scoring_closed', 'results_proposed'] as const)
    for (const side of BOTH)
      assert.deepEqual(decideRound(from, 'reopen', [side], NONE), {
        ok: true,
        to: 'open',
        transition: ROUND_TRANSITIONS.find((t) => t.action === 'reopen'),
      });
  assert.deepEqual(decideRound('planned', 'cancel', ['office'], NONE), {
    ok: true,
    to: 'cancelled',
    transition: ROUND_TRANSITIONS.find((t) => t.action === 'cancel'),
  });
});

test('only the office records the decision and cancels a round; the secretary is refused', () => {
  assert.deepEqual(decideRound('results_proposed', 'decide', ['secretary'], ALL), {
    ok: false,
    code: 'round_not_your_step',
  });
  assert.deepEqual(decideRound('planned', 'cancel', ['secretary'], ALL), {
    ok: false,
    code: 'round_not_your_step',
  });
  // the side is checked before the guards: a secretary is told it is not their step, not what is missing
  assert.deepEqual(decideRound('results_proposed', 'decide', ['secretary'], NONE), {
    ok: false,
    code: 'round_not_your_step',
  });
  // a user holding both sides may
  assert.equal(decideRound('results_proposed', 'decide', BOTH, ALL).ok, true);
  assert.equal(decideRound('planned', 'cancel', ['secretary', 'office'], ALL).ok, true);
});

test('nobody (no side) may take any step', () => {
  for (const [from, action] of EXPECTED)
    assert.deepEqual(decideRound(from, action, [], ALL), { ok: false, code: 'round_not_your_step' });
});

test('the status is checked before the side: a wrong status is "not allowed" even for the wrong side', () => {
  assert.deepEqual(decideRound('open', 'decide', ['secretary'], ALL), {
    ok: false,
    code: 'round_action_not_allowed',
  });
  assert.deepEqual(decideRound('open', 'cancel', ['secretary'], ALL), {
    ok: false,
    code: 'round_action_not_allowed',
  });
  // an open round cannot be cancelled, even by the office
  assert.deepEqual(decideRound('open', 'cancel', ['office'], ALL), {
    ok: false,
    code: 'round_action_not_allowed',
  });
  // a planned round cannot be reopened, an open one cannot be reopened again
  assert.deepEqual(decideRound('planned', 'reopen', BOTH, ALL), {
    ok: false,
    code: 'round_action_not_allowed',
  });
  assert.deepEqual(decideRound('open', 'reopen', BOTH, ALL), {
    ok: false,
    code: 'round_action_not_allowed',
  });
  // results cannot be proposed while scoring is open, nor decided before they are proposed
  assert.deepEqual(decideRound('open', 'propose', BOTH, ALL), {
    ok: false,
    code: 'round_action_not_allowed',
  });
  assert.deepEqual(decideRound('scoring_closed', 'decide', ['office'], ALL), {
    ok: false,
    code: 'round_action_not_allowed',
  });
});

test('availableRoundActions per status and side', () => {
  const table: [RoundStatus, RoundSide[], RoundAction[]][] = [
    ['planned', ['office'], ['cancel', 'open']],
    ['planned', ['secretary'], ['open']],
    ['planned', BOTH, ['cancel', 'open']],
    ['open', ['office'], ['close_scoring']],
    ['open', ['secretary'], ['close_scoring']],
    ['open', BOTH, ['close_scoring']],
    ['scoring_closed', ['office'], ['propose', 'reopen']],
    ['scoring_closed', ['secretary'], ['propose', 'reopen']],
    ['scoring_closed', BOTH, ['propose', 'reopen']],
    ['results_proposed', ['office'], ['decide', 'reopen']],
    ['results_proposed', ['secretary'], ['reopen']],
    ['results_proposed', BOTH, ['decide', 'reopen']],
    ['decided', ['office'], []],
    ['decided', ['secretary'], []],
    ['decided', BOTH, []],
    ['cancelled', ['office'], []],
    ['cancelled', ['secretary'], []],
    ['cancelled', BOTH, []],
  ];
  for (const [status, sides, expected] of table)
    assert.deepEqual(availableRoundActions(status, sides).sort(), expected, `${status} ${sides.join(',')}`);
  for (const status of ROUND_STATUSES) assert.deepEqual(availableRoundActions(status, []), [], status);
});

test('availableRoundActions lists each action once and agrees with decideRound (all facts true)', () => {
  for (const status of ROUND_STATUSES) {
    for (const sides of [['office'], ['secretary'], BOTH] as RoundSide[][]) {
      const actions = availableRoundActions(status, sides);
      assert.equal(new Set(actions).size, actions.length);
      for (const action of ROUND_ACTIONS)
        assert.equal(
          actions.includes(action),
          decideRound(status, action, sides, ALL).ok,
          `${status} ${action} ${sides.join(',')}`,
        );
    }
  }
});

test('the statuses in which scoring, set-up and attendance may change', () => {
  assert.deepEqual([...SCORING_STATUSES], ['open']);
  assert.deepEqual([...SETUP_STATUSES], ['planned']);
  assert.deepEqual([...ATTENDANCE_STATUSES].sort(), ['open', 'planned']);
});
