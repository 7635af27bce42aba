import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { projectRoot } from '../../platform/paths.ts';
import {
  builtInCriteria,
  type CriteriaForm,
  type Criterion,
  findForm,
  findLeaf,
  isMetOrNot,
  loadCriteriaVersion,
  parseCriteriaBundle,
  pointsOf,
  validateForm,
} from './criteria.ts';

const DATA = path.join(projectRoot, 'data', 'criteria');

/** The stored JSON, as far as these tests touch it. */
interface RawOption {
  text: string;
  points: number | null;
  minimumForStars?: number;
  case?: string;
}
interface RawCriterion {
  code: string;
  max: number;
  mandatoryForStars: number | null;
  options: RawOption[];
  subcriteria?: RawCriterion[];
}
interface RawForm {
  set: string;
  officialNumber: number;
  total: number;
  parts: { code: string; max: number; sections: { code: string; max: number; criteria: RawCriterion[] }[] }[];
}
const rawForm = (code: string): RawForm =>
  JSON.parse(readFileSync(path.join(DATA, '26-2026', `${code}.json`), 'utf8')) as RawForm;
const rawIndex = () =>
  JSON.parse(readFileSync(path.join(DATA, '26-2026', 'index.json'), 'utf8')) as {
    criteriaVersion: string;
    sets: {
      set: string;
      name: string;
      file: string;
      criteria: number;
      options: number;
      partMax: Record<string, number>;
    }[];
  };
/** Criterion `ci` of section `si` of part `pi` (0-based) of a raw form. */
const rc = (r: RawForm, pi: number, si: number, ci: number): RawCriterion =>
  r.parts[pi]!.sections[si]!.criteria[ci]!;
const ro = (r: RawForm, pi: number, si: number, ci: number, oi: number): RawOption =>
  rc(r, pi, si, ci).options[oi]!;
const form = (set: number): CriteriaForm => {
  const found = findForm(builtInCriteria(), set);
  assert.ok(found, `set ${set}`);
  return found;
};
const criterion = (set: number, code: string): Criterion => {
  const walk = (list: Criterion[]): Criterion | undefined => {
    for (const c of list) {
      if (c.code === code) return c;
      const inner = walk(c.children);
      if (inner) return inner;
    }
    return undefined;
  };
  const found = walk(form(set).parts.flatMap((p) => p.sections.flatMap((s) => s.criteria)));
  assert.ok(found, `set ${set} criterion ${code}`);
  return found;
};
const allCriteria = (f: CriteriaForm): Criterion[] => {
  const out: Criterion[] = [];
  const walk = (c: Criterion) => {
    out.push(c);
    c.children.forEach(walk);
  };
  for (const p of f.parts) for (const s of p.sections) s.criteria.forEach(walk);
  return out;
};

test('all 26 forms of 26/2026 load and validate, matching the index', () => {
  const version = builtInCriteria();
  assert.equal(version.slug, '26-2026');
  assert.equal(version.title, '26/2026/QĐ-TTg');
  assert.equal(version.sets.length, 26);
  assert.deepEqual(
    version.sets.map((s) => s.set),
    Array.from({ length: 26 }, (_, i) => i + 1),
  );
  for (const entry of rawIndex().sets) {
    const f = form(Number(entry.set));
    assert.equal(f.setCode, entry.set);
    assert.equal(f.version, '26-2026');
    assert.equal(f.name, entry.name);
    const all = allCriteria(f);
    assert.equal(all.length, entry.criteria, `set ${entry.set}: criteria`);
    assert.equal(
      all.reduce((n, c) => n + c.options.length, 0),
      entry.options,
      `set ${entry.set}: options`,
    );
    assert.deepEqual(Object.fromEntries(f.parts.map((p) => [p.code, p.max])), entry.partMax);
    // The leaves carry the whole 100 points, and every option is a number within its maximum.
    assert.equal(
      f.leaves.reduce((sum, c) => sum + c.max, 0),
      100,
    );
    for (const leaf of f.leaves) {
      for (const o of leaf.options)
        assert.ok(Number.isInteger(o.points) && o.points >= 0 && o.points <= leaf.max);
    }
    // Each stored file, once corrected, is valid (the loader applies the same corrections).
    assert.deepEqual(validateForm(rawForm(entry.set)).length > 0, [4, 7, 10, 11].includes(f.set));
  }
  assert.equal(builtInCriteria(), version, 'cached');
});

test('corrections: applied at load, with the printed value and the source issue kept', () => {
  const cases = [
    // set, criterion, option, printed, scored
    [4, '7', 2, 13, 3],
    [11, '6.1.1', 1, 11, 1],
    [4, '1.2', 0, null, 0],
    [7, '1.2', 0, null, 0],
    [10, '1.2', 0, null, 0],
    [11, '1.2', 0, null, 0],
  ] as const;
  for (const [set, code, index, printed, scored] of cases) {
    const option = criterion(set, code).options[index];
    assert.ok(option, `${set} ${code} ${index}`);
    assert.equal(option.points, scored);
    assert.equal(option.correction?.printed, printed);
    assert.equal(option.correction?.corrected, scored);
    assert.ok(option.correction?.reason);
    assert.ok(option.sourceIssue, 'the transcription flag stays visible');
  }
  assert.equal(builtInCriteria().corrections.length, cases.length);
});

test('every printed blank or out-of-range value in the data is covered by a correction', () => {
  const corrected = new Set(builtInCriteria().corrections.map((c) => `${c.set}/${c.criterion}/${c.option}`));
  for (const entry of rawIndex().sets) {
    const walk = (c: RawCriterion) => {
      c.options.forEach((o, i) => {
        if (o.points === null || o.points > c.max) {
          assert.ok(corrected.has(`${Number(entry.set)}/${c.code}/${i}`), `${entry.set} ${c.code} ${i}`);
        }
      });
      for (const s of c.subcriteria ?? []) walk(s);
    };
    for (const p of rawForm(entry.set).parts) {
      for (const s of p.sections) s.criteria.forEach(walk);
    }
  }
});

test('flagged values that are not corrections stay as printed', () => {
  assert.deepEqual(
    criterion(7, '3.1').options.map((o) => o.points),
    [1, 1, 3],
  );
  assert.equal(criterion(7, '3.1').options[1]?.correction, null);
  assert.match(criterion(7, '3.1').options[1]?.sourceIssue ?? '', /typo/);
  assert.deepEqual(
    criterion(23, '6.2').options.map((o) => o.points),
    [1, 1, 3, 5],
  );
});

test('sub-criteria (sets 11 and 13): the parent is not a leaf, its sub-criteria are', () => {
  for (const set of [11, 13]) {
    const parent = criterion(set, '6.1');
    assert.equal(parent.leaf, false);
    assert.equal(parent.options.length, 0);
    assert.ok(parent.children.length > 0);
    assert.equal(
      parent.children.reduce((s, c) => s + c.max, 0),
      parent.max,
    );
    for (const child of parent.children) {
      assert.equal(child.leaf, true);
      assert.equal(child.parent, '6.1');
      assert.ok(findLeaf(form(set), child.code));
    }
    assert.equal(findLeaf(form(set), '6.1'), undefined);
  }
  assert.deepEqual(
    form(11)
      .leaves.filter((c) => c.section === '6')
      .map((c) => c.code),
    ['6.1.1', '6.1.2', '6.2.1', '6.2.2', '6.2.3'],
  );
  // The transcription fix: the 4-star markers of 6.1.1 and 6.1.2 now show on the criterion.
  assert.equal(criterion(11, '6.1.1').mandatoryForStars, 4);
  assert.equal(criterion(11, '6.1.2').mandatoryForStars, 4);
  assert.equal(builtInCriteria().transcriptionFixes.length, 2);
});

test('the criterion without options is the bilingual label: met (its maximum) or not met (0)', () => {
  const withoutOptions = builtInCriteria().sets.flatMap((f) =>
    f.leaves.filter(isMetOrNot).map((c) => `${f.set}:${c.code}:${c.max}`),
  );
  // Every set but 23–26 has exactly one, worth 1 point (2.4, or 2.3 in sets 21 and 22).
  assert.equal(withoutOptions.length, 22);
  for (const entry of withoutOptions) assert.match(entry, /^\d+:2\.[34]:1$/);
  const label = criterion(1, '2.4');
  assert.match(label.text, /song ngữ/);
  assert.ok(label.scoringNote);
  assert.equal(pointsOf(label, 0), 0);
  assert.equal(pointsOf(label, 1), 1);
  assert.equal(pointsOf(label, 2), undefined);
});

test('set 26: criteria 8, 9 and 15 offer two cases, each option carries its case', () => {
  const f = form(26);
  const withCases = f.leaves.filter((c) => c.cases.length > 0);
  assert.deepEqual(
    withCases.map((c) => c.code),
    ['8', '9', '15'],
  );
  for (const c of withCases) {
    assert.equal(c.cases.length, 2);
    assert.ok(c.options.every((o) => o.case !== null && c.cases.includes(o.case)));
    assert.ok(c.implicitFromSection);
  }
  assert.equal(f.disqualifyIf.length, 0);
  assert.ok(form(1).leaves.every((c) => c.options.every((o) => o.case === null)));
});

test('markers: 3/4/5 only, and mandatoryForStars is the lowest marker of each criterion', () => {
  for (const f of builtInCriteria().sets) {
    for (const c of allCriteria(f)) {
      const markers = c.options.flatMap((o) => (o.minimumForStars === null ? [] : [o.minimumForStars]));
      assert.equal(
        c.mandatoryForStars,
        markers.length > 0 ? Math.min(...markers) : null,
        `${f.set} ${c.code}`,
      );
    }
  }
});

/** Mutations of set 1's raw form and the problem each must produce. */
const BROKEN: [string, (raw: RawForm) => void, RegExp][] = [
  [
    'an option above the maximum',
    (r) => (ro(r, 0, 0, 0, 2).points = 4),
    /criterion 1\.1, option 2: 4 points is outside 0…3/,
  ],
  ['a negative option', (r) => (ro(r, 0, 0, 1, 0).points = -1), /criterion 1\.2, option 0: -1 points/],
  ['a blank cell', (r) => (ro(r, 0, 0, 1, 0).points = null), /criterion 1\.2, option 0: has no points/],
  ['a fraction', (r) => (ro(r, 0, 0, 1, 1).points = 0.5), /not a whole number/],
  [
    'sections not summing to the part',
    (r) => (r.parts[0]!.max = 41),
    /part A: section maxima sum to 40, the part maximum is 41/,
  ],
  ['parts not summing to 100', (r) => (r.parts[0]!.max = 41), /part maxima sum to 101, not 100/],
  [
    'criteria not summing to the section',
    (r) => (r.parts[0]!.sections[0]!.max = 19),
    /section 1: criteria maxima sum to 18/,
  ],
  [
    'a marker that is not 3/4/5',
    (r) => (ro(r, 0, 0, 2, 2).minimumForStars = 6),
    /must be 3, 4 or 5, found 6/,
  ],
  [
    'mandatoryForStars out of step',
    (r) => (rc(r, 0, 0, 2).mandatoryForStars = 4),
    /lowest marker on its options is 5/,
  ],
  [
    'a marker without mandatoryForStars',
    (r) => (ro(r, 0, 0, 0, 2).minimumForStars = 3),
    /criterion 1\.1: `mandatoryForStars` is null but the lowest marker on its options is 3/,
  ],
  ['two options with one marker', (r) => (ro(r, 0, 0, 4, 3).minimumForStars = 4), /same star marker/],
  [
    'a higher level asking less',
    (r) => {
      ro(r, 0, 0, 4, 2).minimumForStars = 5;
      ro(r, 0, 0, 4, 3).minimumForStars = 4;
    },
    /5-star minimum \(2\) is lower than the 4-star minimum \(3\)/,
  ],
  [
    'a best option below the maximum',
    (r) => (ro(r, 0, 0, 0, 2).points = 2),
    /best option gives 2, the maximum is 3/,
  ],
  ['a code used twice', (r) => (rc(r, 0, 0, 1).code = '1.1'), /used twice/],
  ['parts out of order', (r) => r.parts.reverse(), /parts must be A, B, C/],
  ['total not 100', (r) => (r.total = 99), /`total` must be 100/],
  [
    'an option case on a form without cases',
    (r) => (ro(r, 0, 0, 0, 0).case = 'a'),
    /has a case but the criterion lists no cases/,
  ],
];

test('validateForm names each problem (table)', () => {
  assert.deepEqual(validateForm(rawForm('01')), []);
  for (const [name, mutate, expected] of BROKEN) {
    const raw = structuredClone(rawForm('01'));
    mutate(raw);
    const problems = validateForm(raw);
    assert.ok(
      problems.some((p) => expected.test(p)),
      `${name}: ${problems.join(' | ')}`,
    );
  }
  assert.deepEqual(validateForm(null), ['the form is not a JSON object']);
});

test('validateForm: any option pushed above its maximum is reported (property)', () => {
  const raw = rawForm('13');
  const leaves: [number, number, number][] = [];
  for (const [pi, p] of raw.parts.entries()) {
    for (const [si, s] of p.sections.entries()) {
      for (const [ci, c] of s.criteria.entries())
        if (!c.subcriteria && c.options.length > 0) leaves.push([pi, si, ci]);
    }
  }
  fc.assert(
    fc.property(
      fc.constantFrom(...leaves),
      fc.nat(),
      fc.integer({ min: 1, max: 50 }),
      ([pi, si, ci], oi, extra) => {
        const copy = structuredClone(raw);
        const c = rc(copy, pi, si, ci);
        const option = c.options[oi % c.options.length]!;
        option.points = c.max + extra;
        return validateForm(copy).some(
          (p) => p.includes(`criterion ${c.code}, option`) && p.includes('is outside'),
        );
      },
    ),
  );
});

test('loadCriteriaVersion throws one error listing every problem', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'criteria-'));
  try {
    await mkdir(path.join(dir, 'x-1'));
    const one = structuredClone(rawForm('01'));
    ro(one, 0, 0, 0, 2).points = 9;
    const two = structuredClone(rawForm('04'));
    two.set = '02';
    two.officialNumber = 2;
    writeFileSync(path.join(dir, 'x-1', '01.json'), JSON.stringify(one));
    writeFileSync(path.join(dir, 'x-1', '02.json'), JSON.stringify(two));
    writeFileSync(
      path.join(dir, 'x-1', 'index.json'),
      JSON.stringify({
        criteriaVersion: '26/2026/QĐ-TTg',
        sets: [
          { set: '01', file: '01.json' },
          { set: '02', file: '02.json' },
          { set: '03', file: 'missing.json' },
        ],
      }),
    );
    writeFileSync(
      path.join(dir, 'corrections-x-1.json'),
      JSON.stringify({
        corrections: [
          { set: 2, criterion: '7', option: 2, text: 'Sai', printed: 13, corrected: 3, reason: 'typo' },
        ],
      }),
    );
    assert.throws(
      () => loadCriteriaVersion(dir, 'x-1'),
      (error: Error) => {
        assert.match(error.message, /^Criteria version x-1 is invalid/);
        assert.match(error.message, /criterion 1\.1, option 2: 9 points is outside 0…3/);
        assert.match(error.message, /missing\.json/);
        assert.match(error.message, /the option reads "Có trên 2 chỉ tiêu", not "Sai"/);
        assert.match(error.message, /set 02, criterion 1\.2, option 0: has no points/);
        assert.match(error.message, /criterion 7, option 2: 13 points is outside/);
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseCriteriaBundle: an imported version, corrected and validated whole', () => {
  const bundle = {
    slug: 'thu-nghiem',
    title: '26/2026/QĐ-TTg',
    sets: [rawForm('04'), rawForm('26')],
    corrections: [
      {
        set: 4,
        criterion: '7',
        option: 2,
        text: 'Có trên 2 chỉ tiêu',
        printed: 13,
        corrected: 3,
        reason: 'typo',
      },
      {
        set: 4,
        criterion: '1.2',
        option: 0,
        text: 'Không được cấp giấy chứng nhận chất lượng',
        printed: null,
        corrected: 0,
        reason: 'blank',
      },
    ],
  };
  const version = parseCriteriaBundle(bundle);
  assert.equal(version.slug, 'thu-nghiem');
  assert.deepEqual(
    version.sets.map((s) => s.set),
    [4, 26],
  );
  assert.equal(version.sets[0]?.leaves.find((c) => c.code === '7')?.options[2]?.points, 3);
  assert.equal(ro(bundle.sets[0]!, 2, 1, 0, 2).points, 13, 'input untouched');

  const problems = (b: unknown): string[] => {
    try {
      parseCriteriaBundle(b);
    } catch (error) {
      return (error as Error).message.split('\n- ').slice(1);
    }
    return [];
  };
  const missing = problems({ ...bundle, slug: 'Bad Slug', corrections: [] });
  assert.ok(missing.some((p) => p.includes('`slug`')));
  assert.ok(missing.some((p) => p.includes('set 04, criterion 1.2, option 0: has no points')));
  assert.ok(missing.some((p) => p.includes('criterion 7, option 2: 13 points')));
  assert.ok(
    problems({ ...bundle, corrections: [{ set: 9 }] }).some((p) => p.startsWith('corrections[0] needs')),
  );
  assert.deepEqual(problems(42), ['the criteria version is not a JSON object']);
});
