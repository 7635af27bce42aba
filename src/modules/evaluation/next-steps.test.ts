import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../../platform/errors.ts';
import {
  builtInCriteria,
  type CriteriaForm,
  type Criterion,
  choiceCount,
  findForm,
  pointsOf,
} from './criteria.ts';
import { nextSteps } from './next-steps.ts';
import { caseOf, scoreSheets } from './scoring.ts';

const form = (set: number): CriteriaForm => {
  const found = findForm(builtInCriteria(), set);
  assert.ok(found);
  return found;
};

function bestChoice(c: Criterion, caseIndex = 0): number {
  if (c.options.length === 0) return 1;
  let best = -1;
  c.options.forEach((o, i) => {
    if (c.cases.length > 0 && caseOf(c, i) !== caseIndex) return;
    if (best < 0 || o.points > (c.options[best]?.points ?? -1)) best = i;
  });
  return best;
}

/** Every leaf at its best answer, then `overrides` (code → option index). */
function sheet(
  f: CriteriaForm,
  overrides: Record<string, number> = {},
  caseIndex = 0,
): Record<string, number> {
  const choices: Record<string, number> = {};
  for (const c of f.leaves) choices[c.code] = bestChoice(c, caseIndex);
  return { ...choices, ...overrides };
}

const apply = (choices: Record<string, number>, steps: { criterion: string; to: number }[]) => ({
  ...choices,
  ...Object.fromEntries(steps.map((s) => [s.criterion, s.to])),
});

/**
 * Set 1 at 67 points, band 3, no gate failing: from the all-maximum sheet, only criteria that carry
 * no marker are lowered — 4.3 → 0 (−5), 4.2, 6.3, 6.4, 7 → 0 (−3 each), 1.1, 1.4, 3.1, 3.3, 12 →
 * option 0 (−2 each), 1.2, 5.2 → 0 (−2 each), 1.7, 3.2 → 0 (−1 each): 100 − 33 = 67.
 */
const AT_67 = {
  '4.3': 0,
  '4.2': 0,
  '6.3': 0,
  '6.4': 0,
  '7': 0,
  '1.1': 0,
  '1.4': 0,
  '3.1': 0,
  '3.3': 0,
  '12': 0,
};
const AT_67_ALL = { ...AT_67, '1.2': 0, '5.2': 0, '1.7': 0, '3.2': 0 };

type Expected = {
  criterion: string;
  from: number;
  to: number;
  gain: number;
  steps: number;
  reason: string;
}[];
const CASES: {
  name: string;
  set: number;
  choices: () => Record<string, number>;
  target?: number;
  expect: { stars: number; target: number; steps: Expected; projectedScore: number; reachable?: boolean };
}[] = [
  {
    name: 'all-maximum: already 5★, nothing to do',
    set: 1,
    choices: () => sheet(form(1)),
    expect: { stars: 5, target: 5, steps: [], projectedScore: 100 },
  },
  {
    // The first member of the 72.5 golden case: 75 points, band 4, but 2.1 sits at option 1
    // (1 point) under its 4★ minimum (option 2, 3 points) → 3★. Raising the gate alone gives 77.
    name: 'a failed gate is raised to its minimum option',
    set: 1,
    choices: () =>
      sheet(form(1), {
        '2.1': 1,
        '4.3': 0,
        '4.2': 0,
        '6.3': 0,
        '6.4': 0,
        '7': 0,
        '1.1': 0,
        '1.4': 0,
        '3.1': 0,
      }),
    expect: {
      stars: 3,
      target: 4,
      steps: [{ criterion: '2.1', from: 1, to: 2, gain: 2, steps: 1, reason: 'gate' }],
      projectedScore: 77,
    },
  },
  {
    // 67 → 70 needs 3 points. One criterion can give 3: 4.3 in 3 steps (0→3 is option 3), 4.2 /
    // 6.3 / 6.4 in 3 steps, but 7 (options 0 1 3) in 2 steps: the cheapest.
    name: 'points: the fewest criteria, then the fewest option steps',
    set: 1,
    choices: () => sheet(form(1), AT_67_ALL),
    expect: {
      stars: 3,
      target: 4,
      steps: [{ criterion: '7', from: 0, to: 2, gain: 3, steps: 2, reason: 'points' }],
      projectedScore: 70,
    },
  },
  {
    // As above with 2.1 at option 1 as well: 65, band 3. 2.1 must reach 3 points (gate, +2, one
    // step); 67 is still under 70, and 7 (0 → 3 in 2 steps) closes the gap: two criteria, 3 steps.
    name: 'gate first, then points',
    set: 1,
    choices: () => sheet(form(1), { ...AT_67_ALL, '2.1': 1 }),
    expect: {
      stars: 3,
      target: 4,
      steps: [
        { criterion: '2.1', from: 1, to: 2, gain: 2, steps: 1, reason: 'gate' },
        { criterion: '7', from: 0, to: 2, gain: 3, steps: 2, reason: 'points' },
      ],
      projectedScore: 70,
    },
  },
  {
    // 100 − 1 (2.4 not met) − 5 (4.3 → 0) − 3 (4.2 → 0) − 2 (5.2 → 0) = 89: one point short of
    // 5★. Four criteria give 1 point in one step; ties go to the earliest in form order: 2.4.
    name: 'the met/not-met criterion as a step, ties to the earliest criterion',
    set: 1,
    choices: () => sheet(form(1), { '2.4': 0, '4.3': 0, '4.2': 0, '5.2': 0 }),
    expect: {
      stars: 4,
      target: 5,
      steps: [{ criterion: '2.4', from: 0, to: 1, gain: 1, steps: 1, reason: 'points' }],
      projectedScore: 90,
    },
  },
  {
    // The corrected set-11 option: 6.1.1 at option 1 (printed 11, scored 1) → 99, band 5, but
    // 3★ because the 4★ minimum (option 2) is not reached. Target 4: one gate step.
    name: 'set 11: the corrected option and its gate',
    set: 11,
    choices: () => sheet(form(11), { '6.1.1': 1 }),
    expect: {
      stars: 3,
      target: 4,
      steps: [{ criterion: '6.1.1', from: 1, to: 2, gain: 1, steps: 1, reason: 'gate' }],
      projectedScore: 100,
    },
  },
  {
    name: 'a target at or below the current stars needs nothing',
    set: 1,
    choices: () => sheet(form(1), AT_67_ALL),
    target: 2,
    expect: { stars: 3, target: 2, steps: [], projectedScore: 67 },
  },
];

test('nextSteps: the cheapest plan (table)', () => {
  for (const c of CASES) {
    const f = form(c.set);
    const choices = c.choices();
    const result = nextSteps(f, choices, c.target);
    assert.equal(result.stars, c.expect.stars, `${c.name}: stars`);
    assert.equal(result.target, c.expect.target, `${c.name}: target`);
    assert.deepEqual(
      result.steps.map(({ criterion, from, to, gain, steps, reason }) => ({
        criterion,
        from,
        to,
        gain,
        steps,
        reason,
      })),
      c.expect.steps,
      c.name,
    );
    assert.equal(result.projectedScore, c.expect.projectedScore, `${c.name}: projected`);
    assert.equal(result.reachable, c.expect.reachable ?? true);
    const after = scoreSheets(f, [{ choices: apply(choices, result.steps) }]);
    assert.ok(after.stars >= result.target, `${c.name}: the plan reaches the target`);
    assert.equal(after.score, result.projectedScore);
  }
});

test('nextSteps: a far target (67 → 5★) changes the fewest criteria', () => {
  const f = form(1);
  const choices = sheet(f, AT_67_ALL);
  const result = nextSteps(f, choices, 5);
  // 23 points are missing; the lowered criteria can give back 5, 3, 3, 3, 3, 2, 2, 2, … points:
  // the five largest make 17, so eight criteria are the fewest (17 + 2 + 2 + 2 = 23).
  assert.equal(result.steps.length, 8);
  assert.ok(result.steps.every((s) => s.reason === 'points'));
  assert.equal(scoreSheets(f, [{ choices: apply(choices, result.steps) }]).stars, 5);
});

test('nextSteps: set 26 stays within the sheet case', () => {
  const f = form(26);
  const lowest: Record<string, number> = {};
  for (const c of f.leaves) lowest[c.code] = 0;
  Object.assign(lowest, { '8': 2, '9': 2, '15': 2 }); // case b, lowest: 31 points, 2★
  const result = nextSteps(f, lowest, 4);
  assert.equal(result.stars, 2);
  assert.ok(result.reachable);
  for (const s of result.steps) {
    const c = f.leaves.find((l) => l.code === s.criterion)!;
    if (c.cases.length > 0) assert.equal(caseOf(c, s.to), 1, s.criterion);
  }
  assert.equal(scoreSheets(f, [{ choices: apply(lowest, result.steps) }]).stars >= 4, true);
});

test('nextSteps: refuses invalid sheets and targets', () => {
  const f = form(1);
  const isCode = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;
  assert.throws(() => nextSteps(f, { '1.1': 0 }), isCode('score_sheets_invalid'));
  assert.throws(() => nextSteps(f, sheet(f), 6), isCode('target_stars_invalid'));
  assert.throws(() => nextSteps(f, sheet(f), 3.5), isCode('target_stars_invalid'));
});

/** Any valid single sheet for a form. */
const single = fc.constantFrom(...builtInCriteria().sets).chain((f) =>
  fc.tuple(
    fc.constant(f),
    fc.nat({ max: 1 }).chain((caseIndex) =>
      fc.record(
        Object.fromEntries(
          f.leaves.map((c) => {
            const allowed = Array.from({ length: choiceCount(c) }, (_, i) => i).filter(
              (i) => c.cases.length === 0 || caseOf(c, i) === caseIndex,
            );
            return [c.code, fc.constantFrom(...allowed)];
          }),
        ),
      ),
    ),
    fc.integer({ min: 1, max: 5 }),
  ),
);

test('property: the plan reaches the target, only raises, and no single criterion could do it alone', () => {
  fc.assert(
    fc.property(single, ([f, choices, target]) => {
      const result = nextSteps(f, choices, target);
      assert.ok(result.reachable, 'every 26/2026 form can reach 100 in either case');
      const after = scoreSheets(f, [{ choices: apply(choices, result.steps) }]);
      assert.ok(after.stars >= target);
      assert.equal(after.score, result.projectedScore);
      for (const s of result.steps) {
        const c = f.leaves.find((l) => l.code === s.criterion)!;
        assert.equal(s.gain, (pointsOf(c, s.to) ?? 0) - (pointsOf(c, s.from) ?? 0));
        assert.ok(s.gain > 0);
        assert.equal(s.steps, Math.abs(s.to - s.from));
      }
      // Minimality in the number of criteria, checked where brute force is cheap: if the plan
      // changes two or more criteria, no single change reaches the target.
      if (result.steps.length >= 2) {
        for (const c of f.leaves) {
          for (let to = 0; to < choiceCount(c); to++) {
            if (c.cases.length > 0 && caseOf(c, to) !== caseOf(c, choices[c.code]!)) continue;
            const stars = scoreSheets(f, [{ choices: { ...choices, [c.code]: to } }]).stars;
            assert.ok(stars < target, `${c.code} → ${to} alone reaches ${target}`);
          }
        }
      }
    }),
    { numRuns: 150 },
  );
});
