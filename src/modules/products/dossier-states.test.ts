import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  availableActions,
  DOSSIER_ACTIONS,
  DOSSIER_STATUSES,
  type DossierFacts,
  decide,
  TRANSITIONS,
} from './dossier-states.ts';

const ALL: DossierFacts = { complete: true, hasComment: true, hasCommuneReport: true };

test('the happy path: draft → submitted → checked → forwarded → accepted → closed', () => {
  const steps = [
    ['draft', 'submit', 'producer', 'submitted'],
    ['submitted', 'check', 'commune', 'checked'],
    ['checked', 'forward', 'commune', 'forwarded'],
    ['forwarded', 'accept', 'province', 'accepted'],
    ['accepted', 'close', 'province', 'closed'],
  ] as const;
  for (const [from, action, side, to] of steps) {
    const decision = decide(from, action, [side], ALL);
    assert.ok(decision.ok, `${from} ${action}`);
    assert.equal(decision.to, to);
  }
});

test('returned for completion and resubmitted, by the commune or by the province', () => {
  assert.deepEqual(decide('submitted', 'return', ['commune'], ALL), {
    ok: true,
    to: 'returned',
    transition: TRANSITIONS.find((t) => t.action === 'return' && t.by === 'commune'),
  });
  assert.equal((decide('checked', 'return', ['commune'], ALL) as { to: string }).to, 'returned');
  assert.equal((decide('forwarded', 'return', ['province'], ALL) as { to: string }).to, 'returned');
  assert.equal((decide('returned', 'resubmit', ['producer'], ALL) as { to: string }).to, 'submitted');
});

test('each guard refuses with its own code', () => {
  const table: [Parameters<typeof decide>, string][] = [
    [['draft', 'submit', ['producer'], { ...ALL, complete: false }], 'dossier_incomplete'],
    [['returned', 'resubmit', ['producer'], { ...ALL, complete: false }], 'dossier_incomplete'],
    [['submitted', 'return', ['commune'], { ...ALL, hasComment: false }], 'dossier_comment_required'],
    [
      ['submitted', 'check', ['commune'], { ...ALL, hasCommuneReport: false }],
      'dossier_commune_report_required',
    ],
    [
      ['checked', 'forward', ['commune'], { ...ALL, hasCommuneReport: false }],
      'dossier_commune_report_required',
    ],
  ];
  for (const [args, code] of table) assert.deepEqual(decide(...args), { ok: false, code }, args.join(' '));
});

test('the wrong side, or the wrong status, is refused', () => {
  assert.deepEqual(decide('draft', 'submit', ['commune'], ALL), { ok: false, code: 'dossier_not_your_step' });
  assert.deepEqual(decide('submitted', 'check', ['producer'], ALL), {
    ok: false,
    code: 'dossier_not_your_step',
  });
  assert.deepEqual(decide('forwarded', 'accept', ['commune'], ALL), {
    ok: false,
    code: 'dossier_not_your_step',
  });
  assert.deepEqual(decide('draft', 'forward', ['commune'], ALL), {
    ok: false,
    code: 'dossier_action_not_allowed',
  });
  assert.deepEqual(decide('closed', 'submit', ['producer'], ALL), {
    ok: false,
    code: 'dossier_action_not_allowed',
  });
  assert.deepEqual(decide('withdrawn', 'resubmit', ['producer'], ALL), {
    ok: false,
    code: 'dossier_action_not_allowed',
  });
});

test('closed and withdrawn are final; every status but those has a way out', () => {
  for (const status of DOSSIER_STATUSES) {
    const out = TRANSITIONS.filter((t) => t.from.includes(status));
    if (status === 'closed' || status === 'withdrawn') assert.equal(out.length, 0, status);
    else assert.ok(out.length > 0, status);
  }
  // every action appears in the table, every target is a status
  for (const action of DOSSIER_ACTIONS)
    assert.ok(
      TRANSITIONS.some((t) => t.action === action),
      action,
    );
  for (const t of TRANSITIONS) assert.ok(DOSSIER_STATUSES.includes(t.to));
});

test('an administrator (all sides) sees every step open at a status; a producer only its own', () => {
  assert.deepEqual(availableActions('submitted', ['producer', 'commune', 'province']).sort(), [
    'check',
    'return',
  ]);
  assert.deepEqual(availableActions('draft', ['producer']).sort(), ['submit', 'withdraw']);
  assert.deepEqual(availableActions('draft', ['commune']), []);
  assert.deepEqual(availableActions('forwarded', ['province']).sort(), ['accept', 'return']);
});
