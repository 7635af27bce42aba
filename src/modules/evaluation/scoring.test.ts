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
import {
  applyGates,
  bandOf,
  caseOf,
  disqualificationFlags,
  formatScore,
  gateMinimum,
  MAX_SHEETS,
  memberTotal,
  type Sheet,
  scoreSheets,
  validateSheets,
} from './scoring.ts';

const form = (set: number): CriteriaForm => {
  const found = findForm(builtInCriteria(), set);
  assert.ok(found);
  return found;
};
const leaf = (f: CriteriaForm, code: string): Criterion => {
  const found = f.leaves.find((c) => c.code === code);
  assert.ok(found, code);
  return found;
};

/** The index of a leaf's best answer, within case `caseIndex` for set 26's case criteria. */
function bestChoice(c: Criterion, caseIndex = 0): number {
  if (c.options.length === 0) return 1;
  let best = -1;
  c.options.forEach((o, i) => {
    if (c.cases.length > 0 && caseOf(c, i) !== caseIndex) return;
    if (best < 0 || o.points > (c.options[best]?.points ?? -1)) best = i;
  });
  return best;
}

/** A sheet with every leaf at its best answer, then `overrides` (code → index). */
function sheet(
  f: CriteriaForm,
  overrides: Record<string, number> = {},
  caseIndex = 0,
): Record<string, number> {
  const choices: Record<string, number> = {};
  for (const c of f.leaves) choices[c.code] = bestChoice(c, caseIndex);
  return { ...choices, ...overrides };
}

test('bandOf: the band limits (table)', () => {
  const cases: [number, number][] = [
    [0, 1],
    [29.99, 1],
    [30, 2],
    [49.995, 2],
    [50, 3],
    [69.5, 3],
    [70, 4],
    [72.5, 4],
    [89.999, 4],
    [90, 5],
    [100, 5],
  ];
  for (const [score, band] of cases) assert.equal(bandOf(score), band, String(score));
  assert.equal(formatScore(72.5), '72.50');
  assert.equal(formatScore(200 / 3), '66.67');
});

test('gateMinimum: the option whose marker is the greatest marker ≤ s (table, set 1)', () => {
  const f = form(1);
  const cases: [string, number, number | null][] = [
    ['1.5', 3, null], // options 0 1 2*4 3*5: no marker ≤ 3
    ['1.5', 4, 2],
    ['1.5', 5, 3],
    ['1.6', 4, 1], // options 1*4 2 3: the 4-star marker also gates 5 stars
    ['1.6', 5, 1],
    ['4.1', 2, null], // options 1 2*3 3*4 5*5
    ['4.1', 3, 2],
    ['4.1', 4, 3],
    ['4.1', 5, 5],
    ['1.1', 5, null], // no markers at all
    ['2.4', 5, null], // the met/not-met criterion
  ];
  for (const [code, stars, expected] of cases)
    assert.equal(gateMinimum(leaf(f, code), stars), expected, `${code}@${stars}`);
});

test('golden: an all-maximum sheet scores 100 and 5★ on every form', () => {
  for (const f of builtInCriteria().sets) {
    const result = scoreSheets(f, [{ choices: sheet(f) }]);
    assert.equal(result.score, 100, `set ${f.set}`);
    assert.equal(result.band, 5);
    assert.equal(result.stars, 5);
    assert.deepEqual(result.failedGates, []);
    assert.deepEqual(result.partTotals, Object.fromEntries(f.parts.map((p) => [p.code, p.max])));
  }
});

test('golden: 72.5 over two members with a failing 4★ gate gives 3★ (set 1)', () => {
  const f = form(1);
  // Member 1, from the all-maximum sheet (100), lowers criteria that carry no marker, plus 2.1:
  //   2.1 → option 1 (3 → 1: −2; its 4★ minimum is option 2 = 3 points)
  //   4.3 → 0 (5 → 0: −5), 4.2 → 0 (3 → 0: −3), 6.3 → 0 (−3), 6.4 → 0 (−3), 7 → 0 (−3),
  //   1.1, 1.4, 3.1 → option 0 (3 → 1: −2 each)            total −25 → 75
  const one = sheet(f, {
    '2.1': 1,
    '4.3': 0,
    '4.2': 0,
    '6.3': 0,
    '6.4': 0,
    '7': 0,
    '1.1': 0,
    '1.4': 0,
    '3.1': 0,
  });
  // Member 2 = member 1, and also 3.3 → option 0 (−2), 12 → option 0 (−2), 1.7 → 0 (−1): 70.
  const two = { ...one, '3.3': 0, '12': 0, '1.7': 0 };
  const result = scoreSheets(f, [{ choices: one }, { choices: two }]);
  assert.deepEqual(result.memberTotals, [75, 70]);
  assert.equal(result.score, 72.5); // (75 + 70) / 2
  assert.equal(result.band, 4); // 70 ≤ 72.5 < 90
  // 2.1's mean is (1 + 1) / 2 = 1 < 3: the 4★ gate fails; no marker ≤ 3 on 2.1, so 3★ stands.
  assert.deepEqual(result.failedGates, [{ criterion: '2.1', stars: 4, required: 3, actual: 1 }]);
  assert.equal(result.stars, 3);
  assert.equal(result.spread, 5);
  assert.equal(result.spreadExceeded, false);
  // Part A: 40 − 8 = 32 and 32 − 3 = 29 → 30.5; B: 25 − 8 = 17 twice; C: 35 − 9 = 26 and 24 → 25.
  assert.deepEqual(result.partTotals, { A: 30.5, B: 17, C: 25 });
  assert.equal(result.criterionMeans['2.1'], 1);
  assert.equal(result.criterionMeans['1.7'], 0.5);
});

test('golden: the gate looks at the mean of the members (the policy in applyGates)', () => {
  const f = form(1);
  // 1.5 (options 0 1 2*4 3*5): members 3 and 1 points → mean 2 = the 4★ minimum: passes.
  // Everything else at its maximum: totals 100 and 98, score 99, band 5; the 5★ gate of 1.5
  // (3 points) fails on the mean 2, so 4★.
  const result = scoreSheets(f, [{ choices: sheet(f) }, { choices: sheet(f, { '1.5': 1 }) }]);
  assert.equal(result.score, 99);
  assert.deepEqual(result.failedGates, [{ criterion: '1.5', stars: 5, required: 3, actual: 2 }]);
  assert.equal(result.stars, 4);
  // applyGates directly: a mean below every minimum never takes the result under 2★.
  const means = Object.fromEntries(f.leaves.map((c) => [c.code, 0]));
  const gated = applyGates(5, means, f);
  assert.equal(gated.stars, 2);
  assert.deepEqual([...new Set(gated.failedGates.map((g) => g.stars))], [5, 4, 3]);
  assert.deepEqual(applyGates(1, means, f), { stars: 1, failedGates: [] });
});

test('golden: set 26, answered from one case', () => {
  const f = form(26);
  // All lowest answers in case b (8, 9, 15 → option 2, the first of case b): 32 leaves at 1
  // point each except 3.2 (0/1) at 0 → 31 → band 2; markers start at 3★, so 2★.
  const lowest: Record<string, number> = {};
  for (const c of f.leaves) lowest[c.code] = 0;
  Object.assign(lowest, { '8': 2, '9': 2, '15': 2 });
  const low = scoreSheets(f, [{ choices: lowest }]);
  assert.equal(low.score, 31);
  assert.equal(low.stars, 2);
  // Raising the three case criteria to the top of case b: 8 (1 → 3), 9 (1 → 2), 15 (1 → 3): 36.
  assert.equal(scoreSheets(f, [{ choices: { ...lowest, '8': 3, '9': 3, '15': 3 } }]).score, 36);
  // All-maximum in case b as in case a: 100.
  assert.equal(scoreSheets(f, [{ choices: sheet(f, {}, 1) }]).score, 100);
  // Mixing: 8 from case a, 9 and 15 from case b.
  assert.deepEqual(validateSheets(f, [{ choices: { ...lowest, '8': 0 } }]), [
    {
      in: 'body',
      name: 'sheets/0/choices/9',
      rule: 'mixedCases',
      params: { case: 'b', expected: 'a', criterion: '8' },
    },
    {
      in: 'body',
      name: 'sheets/0/choices/15',
      rule: 'mixedCases',
      params: { case: 'b', expected: 'a', criterion: '8' },
    },
  ]);
});

test('golden: corrected options score their corrected value (sets 4 and 11)', () => {
  const f4 = form(4);
  // Set 4: 7 → option 2 "Có trên 2 chỉ tiêu" (printed 13, scored 3) and 1.2 → option 0 (blank, 0).
  // 100 − 2 (1.2: 2 → 0) = 98; with 13 points the sheet would total 108.
  const r4 = scoreSheets(f4, [{ choices: sheet(f4, { '7': 2, '1.2': 0 }) }]);
  assert.equal(r4.score, 98);
  assert.deepEqual(
    r4.flaggedChoices.map((c) => [c.criterion, c.option, c.printed, c.points]),
    [
      ['1.2', 0, null, 0],
      ['7', 2, 13, 3],
    ],
  );
  // Set 11: 6.1.1 → option 1 "Có rất ít tạp chất" (printed 11, scored 1): 100 − 1 = 99, band 5.
  // Its 4★ marker sits on option 2 (2 points) and is also the 5★ gate: 1 < 2 fails both → 3★.
  const f11 = form(11);
  const r11 = scoreSheets(f11, [{ choices: sheet(f11, { '6.1.1': 1 }) }]);
  assert.equal(r11.score, 99);
  assert.equal(r11.band, 5);
  assert.equal(r11.stars, 3);
  assert.deepEqual(r11.failedGates, [
    { criterion: '6.1.1', stars: 5, required: 2, actual: 1 },
    { criterion: '6.1.1', stars: 4, required: 2, actual: 1 },
  ]);
});

test('golden: the bilingual label, met (1 point) or not met (0)', () => {
  const f = form(1);
  assert.equal(scoreSheets(f, [{ choices: sheet(f, { '2.4': 1 }) }]).score, 100);
  assert.equal(scoreSheets(f, [{ choices: sheet(f, { '2.4': 0 }) }]).score, 99);
  const f21 = form(21);
  assert.equal(scoreSheets(f21, [{ choices: sheet(f21, { '2.3': 0 }) }]).score, 99);
  assert.deepEqual(validateSheets(f, [{ choices: sheet(f, { '2.4': 2 }) }]), [
    { in: 'body', name: 'sheets/0/choices/2.4', rule: 'optionOutOfRange', params: { min: 0, max: 1 } },
  ]);
});

test('golden: a spread above 10 points is flagged for discussion', () => {
  const f = form(1);
  // 100 and 100 − 5 (4.3) − 3 (4.2) − 3 (6.3) = 89: spread 11 > 10; mean 94.5, no marker touched.
  const wide = [{ choices: sheet(f) }, { choices: sheet(f, { '4.3': 0, '4.2': 0, '6.3': 0 }) }];
  const result = scoreSheets(f, wide);
  assert.equal(result.spread, 11);
  assert.equal(result.spreadExceeded, true);
  assert.equal(result.score, 94.5);
  assert.equal(result.stars, 5);
  assert.equal(scoreSheets(f, wide, { spreadLimit: 11 }).spreadExceeded, false);
  // Exactly 10 is not "more than 10": 100 and 90 (4.3 −5, 4.2 −3, 1.2 −2).
  const ten = scoreSheets(f, [
    { choices: sheet(f) },
    { choices: sheet(f, { '4.3': 0, '4.2': 0, '1.2': 0 }) },
  ]);
  assert.equal(ten.spread, 10);
  assert.equal(ten.spreadExceeded, false);
});

test('disqualification: the flags of a form, and a raised flag ends with no stars', () => {
  assert.deepEqual(
    disqualificationFlags(form(11)).map((f) => [f.id, f.criterion]),
    [
      ['dossier-1', null],
      ['criterion-1.1', '1.1'],
      ['criterion-2.1', '2.1'],
      ['criterion-6.1.1', '6.1.1'],
    ],
  );
  assert.match(disqualificationFlags(form(11))[3]?.text ?? '', /không đánh giá các bước tiếp theo/);
  // Sets 21 and 22 print the intellectual-property knock-out inside an option of 6.2.
  assert.deepEqual(
    disqualificationFlags(form(21)).map((f) => f.id),
    ['dossier-1', 'criterion-6.2'],
  );
  assert.match(
    disqualificationFlags(form(21))[1]?.text ?? '',
    /^Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ/,
  );
  assert.deepEqual(disqualificationFlags(form(26)), []);

  const f = form(11);
  const result = scoreSheets(f, [
    { choices: sheet(f) },
    { choices: sheet(f), disqualified: ['criterion-6.1.1'] },
  ]);
  assert.equal(result.score, 100);
  assert.equal(result.stars, 0);
  assert.deepEqual(result.disqualified, ['criterion-6.1.1']);
  assert.deepEqual(validateSheets(f, [{ choices: sheet(f), disqualified: ['criterion-9'] }]), [
    { in: 'body', name: 'sheets/0/disqualified/0', rule: 'unknownFlag' },
  ]);
});

test('validateSheets names every fault (table)', () => {
  const f = form(11);
  const ok = sheet(f);
  const { '1.1': _a, '6.2.3': _b, ...withoutTwo } = ok;
  const cases: [string, unknown, { name: string; rule: string }[]][] = [
    ['no sheets', [], [{ name: 'sheets', rule: 'minItems' }]],
    [
      'too many sheets',
      Array.from({ length: MAX_SHEETS + 1 }, () => ({ choices: ok })),
      [{ name: 'sheets', rule: 'maxItems' }],
    ],
    [
      'unknown criterion',
      [{ choices: { ...ok, '9.9': 0 } }],
      [{ name: 'sheets/0/choices/9.9', rule: 'unknownCriterion' }],
    ],
    [
      'a parent, not a leaf',
      [{ choices: { ...ok, '6.1': 0 } }],
      [{ name: 'sheets/0/choices/6.1', rule: 'notALeaf' }],
    ],
    [
      'index too high',
      [{ choices: { ...ok, '1.1': 3 } }],
      [{ name: 'sheets/0/choices/1.1', rule: 'optionOutOfRange' }],
    ],
    [
      'negative index',
      [{ choices: { ...ok, '1.1': -1 } }],
      [{ name: 'sheets/0/choices/1.1', rule: 'optionOutOfRange' }],
    ],
    [
      'not an integer',
      [{ choices: { ...ok, '1.1': 1.5 } }],
      [{ name: 'sheets/0/choices/1.1', rule: 'optionOutOfRange' }],
    ],
    [
      'a string',
      [{ choices: { ...ok, '1.1': '1' } }],
      [{ name: 'sheets/0/choices/1.1', rule: 'optionOutOfRange' }],
    ],
    [
      'every missing leaf, in the second sheet',
      [{ choices: ok }, { choices: withoutTwo }],
      [
        { name: 'sheets/1/choices/1.1', rule: 'missing' },
        { name: 'sheets/1/choices/6.2.3', rule: 'missing' },
      ],
    ],
    ['choices not an object', [{ choices: [1, 2] }], [{ name: 'sheets/0/choices', rule: 'type' }]],
    [
      'flags not a list',
      [{ choices: ok, disqualified: 'dossier-1' }],
      [{ name: 'sheets/0/disqualified', rule: 'type' }],
    ],
  ];
  for (const [name, sheets, expected] of cases) {
    const errors = validateSheets(f, sheets as Sheet[]);
    assert.deepEqual(
      errors.map((e) => ({ name: e.name, rule: e.rule })),
      expected,
      name,
    );
    assert.ok(errors.every((e) => e.in === 'body'));
  }
  assert.deepEqual(validateSheets(f, [{ choices: ok, disqualified: ['dossier-1'] }]), []);
  assert.throws(
    () => scoreSheets(f, []),
    (e: unknown) =>
      e instanceof DomainError && e.code === 'score_sheets_invalid' && e.fields[0]?.rule === 'minItems',
  );
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** A valid sheet for `f`: any answer per leaf; in set 26, one case for all case criteria. */
const sheetFor = (f: CriteriaForm): fc.Arbitrary<Record<string, number>> =>
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
  );
const forms = builtInCriteria().sets;
const council = fc.constantFrom(...forms).chain((f) =>
  fc.tuple(
    fc.constant(f),
    fc.array(sheetFor(f), { minLength: 1, maxLength: 7 }).map((list) => list.map((choices) => ({ choices }))),
  ),
);

test('property: a member total is the sum of the chosen points', () => {
  fc.assert(
    fc.property(council, ([f, sheets]) => {
      const result = scoreSheets(f, sheets);
      sheets.forEach((s, i) => {
        let sum = 0;
        for (const c of f.leaves) {
          const choice = s.choices[c.code] ?? -1;
          sum += c.options.length === 0 ? choice * c.max : (c.options[choice]?.points ?? Number.NaN);
        }
        assert.equal(result.memberTotals[i], sum);
        assert.equal(memberTotal(f, s.choices), sum);
      });
      const mean = result.memberTotals.reduce((a, b) => a + b, 0) / sheets.length;
      assert.equal(result.score, mean);
      assert.ok(result.score >= 0 && result.score <= 100);
      const parts = result.partTotals.A + result.partTotals.B + result.partTotals.C;
      assert.ok(Math.abs(parts - result.score) < 1e-9);
    }),
    { numRuns: 200 },
  );
});

test('property: bands are monotone in the score', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 100, noNaN: true }),
      fc.double({ min: 0, max: 100, noNaN: true }),
      (a, b) => (a <= b ? bandOf(a) <= bandOf(b) : bandOf(a) >= bandOf(b)),
    ),
  );
});

test('property: gates only ever lower the result, never below 2★, and report why', () => {
  fc.assert(
    fc.property(council, ([f, sheets]) => {
      const result = scoreSheets(f, sheets);
      assert.ok(result.stars <= result.band);
      assert.ok(result.stars >= Math.min(result.band, 2));
      assert.equal(result.stars === result.band, result.failedGates.length === 0);
      for (const g of result.failedGates) {
        assert.ok(g.stars > result.stars && g.stars <= result.band);
        assert.ok(g.actual < g.required);
        assert.equal(gateMinimum(leaf(f, g.criterion), g.stars), g.required);
      }
      // Every gate at the result's level passes.
      if (result.stars >= 3) {
        for (const c of f.leaves) {
          const min = gateMinimum(c, result.stars);
          if (min !== null) assert.ok((result.criterionMeans[c.code] ?? 0) >= min);
        }
      }
    }),
    { numRuns: 200 },
  );
});

test('property: a raised flag always ends with no stars', () => {
  const flagged = council.filter(([f]) => disqualificationFlags(f).length > 0);
  fc.assert(
    fc.property(flagged, fc.nat(), fc.nat(), ([f, sheets], who, which) => {
      const flags = disqualificationFlags(f);
      const id = flags[which % flags.length]!.id;
      const raised = sheets.map((s, i) => (i === who % sheets.length ? { ...s, disqualified: [id] } : s));
      const result = scoreSheets(f, raised);
      assert.equal(result.stars, 0);
      assert.deepEqual(result.disqualified, [id]);
    }),
    { numRuns: 100 },
  );
});

test('property: the order of the members does not change the result', () => {
  fc.assert(
    fc.property(
      council.chain(([f, sheets]) =>
        fc.tuple(
          fc.constant(f),
          fc.constant(sheets),
          fc.shuffledSubarray(sheets, { minLength: sheets.length }),
        ),
      ),
      ([f, sheets, shuffled]) => {
        const a = scoreSheets(f, sheets);
        const b = scoreSheets(f, shuffled);
        assert.equal(b.score, a.score);
        assert.equal(b.band, a.band);
        assert.equal(b.stars, a.stars);
        assert.deepEqual(b.failedGates, a.failedGates);
        assert.equal(b.spread, a.spread);
        assert.deepEqual(b.partTotals, a.partTotals);
        assert.deepEqual([...b.memberTotals].sort(), [...a.memberTotals].sort());
      },
    ),
    { numRuns: 200 },
  );
});

test('property: pointsOf agrees with the options, and 0/1 on the met/not-met criterion', () => {
  for (const f of forms) {
    for (const c of f.leaves) {
      for (let i = 0; i < choiceCount(c); i++) {
        assert.equal(pointsOf(c, i), c.options.length === 0 ? i * c.max : c.options[i]?.points);
      }
      assert.equal(pointsOf(c, choiceCount(c)), undefined);
    }
  }
});
