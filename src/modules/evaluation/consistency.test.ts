import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { createCatalogue, type Translate } from '../../platform/i18n/index.ts';
import { escapeHtml, h } from '../../platform/views/jsx.ts';
import { DeviationChart, DisagreementChart, SpreadHistogram } from './consistency.charts.tsx';
import { consistencyMessages } from './consistency.messages.ts';
import {
  compareCriterionCodes,
  criterionDisagreement,
  memberDeviations,
  type ScoredSheet,
  spreadDistribution,
  tendencyOf,
} from './consistency.ts';

const sheet = (
  productId: string,
  memberId: string,
  total: number,
  points: Record<string, number> = {},
  roundId = 'r1',
): ScoredSheet => ({
  roundId,
  roundName: `Round ${roundId}`,
  productId,
  memberId,
  memberName: { a: 'An Nguyễn', b: 'Bình Trần', c: 'Chi Lê', d: 'Dũng Phạm' }[memberId] ?? memberId,
  total,
  points,
});

/**
 * Hand-computed:
 * P1: a 80, b 70, c 60 → mean 70 → a +10, b 0, c −10; spread 20.
 * P2: a 50, b 56, c 56 → mean 54 → a −4, b +2, c +2; spread 6.
 * P3: a alone → ignored everywhere.
 * a: (10 − 4)/2 = +3 (MAD 7); b: (0 + 2)/2 = +1 (MAD 1); c: (−10 + 2)/2 = −4 (MAD 6).
 * Criteria: "3" P1 [2,3] P2 [0,1] → 2/2, range 1; "1.2" P1 [5,5,3] P2 [5,5,5] → 1/2, mean range 1;
 * "1.10" P1 [3,1,3] P2 [2,2,2] → 1/2, mean range 1; "2" P1 [4,4] P2 [1,3] → 1/2, mean range 1;
 * "9" only c on P2 and "7" only on P3 → left out.
 */
const council: ScoredSheet[] = [
  sheet('P1', 'a', 80, { '1.2': 5, '1.10': 3, '2': 4, '3': 2 }),
  sheet('P1', 'b', 70, { '1.2': 5, '1.10': 1, '2': 4, '3': 3 }),
  sheet('P1', 'c', 60, { '1.2': 3, '1.10': 3 }),
  sheet('P2', 'a', 50, { '1.2': 5, '1.10': 2, '2': 1, '3': 0 }),
  sheet('P2', 'b', 56, { '1.2': 5, '1.10': 2, '2': 3, '3': 1 }),
  sheet('P2', 'c', 56, { '1.2': 5, '1.10': 2, '9': 3 }),
  sheet('P3', 'a', 90, { '1.2': 0, '7': 1 }),
];

describe('memberDeviations', () => {
  test('deviation from the product mean, averaged per member, most lenient first', () => {
    assert.deepEqual(memberDeviations(council), [
      {
        memberId: 'a',
        memberName: 'An Nguyễn',
        products: 2,
        meanDeviation: 3,
        meanAbsoluteDeviation: 7,
        tendency: 'consistent',
      },
      {
        memberId: 'b',
        memberName: 'Bình Trần',
        products: 2,
        meanDeviation: 1,
        meanAbsoluteDeviation: 1,
        tendency: 'consistent',
      },
      {
        memberId: 'c',
        memberName: 'Chi Lê',
        products: 2,
        meanDeviation: -4,
        meanAbsoluteDeviation: 6,
        tendency: 'severe',
      },
    ]);
  });

  test('tendency: strictly beyond ±threshold; the threshold is an option', () => {
    assert.equal(tendencyOf(3), 'consistent');
    assert.equal(tendencyOf(-3), 'consistent');
    assert.equal(tendencyOf(3.01), 'lenient');
    assert.equal(tendencyOf(-3.01), 'severe');
    assert.equal(tendencyOf(0.1 + 0.2 + 2.7), 'consistent', 'float noise at the threshold is not lenient');
    const loose = memberDeviations(council, { threshold: 2 });
    assert.deepEqual(
      loose.map((m) => [m.memberId, m.tendency]),
      [
        ['a', 'lenient'],
        ['b', 'consistent'],
        ['c', 'severe'],
      ],
    );
    assert.deepEqual(
      memberDeviations(council, { threshold: 5 }).map((m) => m.tendency),
      ['consistent', 'consistent', 'consistent'],
    );
    assert.throws(() => memberDeviations(council, { threshold: -1 }), RangeError);
  });

  test('a product is a round + dossier pair; members accumulate across rounds', () => {
    const twoRounds = [
      ...council,
      // the same dossier id in another round is another product: mean 72 → a −2, d +2
      sheet('P1', 'a', 70, {}, 'r2'),
      sheet('P1', 'd', 74, {}, 'r2'),
    ];
    const byId = Object.fromEntries(memberDeviations(twoRounds).map((m) => [m.memberId, m]));
    assert.equal(byId.a!.products, 3);
    assert.equal(byId.a!.meanDeviation, (10 - 4 - 2) / 3);
    assert.equal(byId.a!.meanAbsoluteDeviation, (10 + 4 + 2) / 3);
    assert.equal(byId.d!.products, 1);
    assert.equal(byId.d!.meanDeviation, 2);
  });

  test('empty input and single-sheet products give nothing, never NaN', () => {
    assert.deepEqual(memberDeviations([]), []);
    assert.deepEqual(memberDeviations([sheet('P1', 'a', 80), sheet('P2', 'b', 60)]), []);
  });
});

describe('spreadDistribution', () => {
  test('spreads, bins of 2 from 0 to the widest spread, limit, median, max', () => {
    const d = spreadDistribution(council);
    assert.deepEqual(d.spreads, [
      { productId: 'P1', roundId: 'r1', spread: 20 },
      { productId: 'P2', roundId: 'r1', spread: 6 },
    ]);
    assert.equal(d.bins.length, 11, '[0,2) … [20,22): the widest spread has its own bin');
    assert.deepEqual(d.bins[0], { from: 0, to: 2, count: 0 });
    assert.deepEqual(d.bins[3], { from: 6, to: 8, count: 1 });
    assert.deepEqual(d.bins[10], { from: 20, to: 22, count: 1 });
    assert.equal(
      d.bins.reduce((n, b) => n + b.count, 0),
      2,
    );
    assert.equal(d.aboveLimit, 1);
    assert.equal(d.median, 13);
    assert.equal(d.max, 20);
  });

  test('bin width and limit are options; the limit itself is not above the limit', () => {
    const d = spreadDistribution(council, { binWidth: 5, limit: 20 });
    assert.deepEqual(
      d.bins.map((b) => [b.from, b.to, b.count]),
      [
        [0, 5, 0],
        [5, 10, 1],
        [10, 15, 0],
        [15, 20, 0],
        [20, 25, 1],
      ],
    );
    assert.equal(d.aboveLimit, 0);
    assert.throws(() => spreadDistribution(council, { binWidth: 0 }), RangeError);
  });

  test('odd median; decimal totals land in the right bin despite binary rounding', () => {
    const d = spreadDistribution([
      sheet('P1', 'a', 4.3),
      sheet('P1', 'b', 0.3), // 4.3 − 0.3 = 3.9999999999999996 in binary: still the [4, 6) bin
      sheet('P2', 'a', 70.5),
      sheet('P2', 'b', 70),
      sheet('P3', 'a', 60),
      sheet('P3', 'b', 71),
      sheet('P3', 'c', 65),
    ]);
    assert.deepEqual(
      d.bins.map((b) => b.count),
      [1, 0, 1, 0, 0, 1],
    );
    assert.ok(Math.abs(d.median - 4) < 1e-9);
    assert.equal(d.max, 11);
    assert.equal(d.aboveLimit, 1);
  });

  test('empty input and single-sheet products give empty results, never NaN', () => {
    const empty = { spreads: [], bins: [], aboveLimit: 0, median: 0, max: 0 };
    assert.deepEqual(spreadDistribution([]), empty);
    assert.deepEqual(spreadDistribution([sheet('P1', 'a', 80)]), empty);
  });
});

describe('criterionDisagreement', () => {
  test('rate of products with differing points, by rate then natural code order', () => {
    assert.deepEqual(criterionDisagreement(council), [
      { criterion: '3', products: 2, disagreements: 2, rate: 1, meanRange: 1 },
      { criterion: '1.2', products: 2, disagreements: 1, rate: 0.5, meanRange: 1 },
      { criterion: '1.10', products: 2, disagreements: 1, rate: 0.5, meanRange: 1 },
      { criterion: '2', products: 2, disagreements: 1, rate: 0.5, meanRange: 1 },
    ]);
  });

  test('criteria codes sort naturally', () => {
    const codes = ['10', 'A.10', '2', '1.10', '1.2', '1.2.1', '1', 'A.2'];
    assert.deepEqual(codes.sort(compareCriterionCodes), [
      '1',
      '1.2',
      '1.2.1',
      '1.10',
      '2',
      '10',
      'A.2',
      'A.10',
    ]);
  });

  test('empty input gives nothing', () => {
    assert.deepEqual(criterionDisagreement([]), []);
    assert.deepEqual(criterionDisagreement([sheet('P1', 'a', 1, { '1.1': 2 })]), []);
  });
});

// --- charts -------------------------------------------------------------------------------------

void h; // the charts are JSX components; calling them renders through the runtime's h()

const catalogue = createCatalogue([consistencyMessages]);
const en = catalogue.translator('en');
const vi = catalogue.translator('vi');
/** A translator that fails on a key the module does not define, so every key used is listed. */
const used = new Set<string>();
const strict: Translate = (key, params) => {
  assert.ok(key in consistencyMessages.en, `message key ${key} is not in consistencyMessages`);
  used.add(key);
  return en(key, params);
};

const count = (markup: string, pattern: RegExp) => markup.match(pattern)?.length ?? 0;
const rects = (markup: string) =>
  [...markup.matchAll(/<rect [^>]*x="([\d.]+)"[^>]*width="([\d.]+)"/g)].map((m) => ({
    x: Number(m[1]),
    width: Number(m[2]),
  }));

function assertAccessibleSvg(markup: string, title: string): void {
  assert.match(markup, /^<svg [^>]*role="img"/);
  assert.match(markup, /viewBox="0 0 \d+ \d+"/);
  assert.ok(markup.includes(`>${escapeHtml(title)}</title>`), 'the title');
  assert.match(markup, /<desc id="[^"]+">[^<]{20,}<\/desc>/);
  const [, labelledBy] = markup.match(/aria-labelledby="([^"]+)"/)!;
  assert.ok(markup.includes(`<title id="${labelledBy}">`));
  for (const [, size] of markup.matchAll(/font-size="([\d.]+)"/g)) assert.ok(Number(size) >= 11);
  assert.doesNotMatch(
    markup,
    /\{\w+\}|NaN|undefined|Infinity/,
    'every parameter filled in, every number finite',
  );
  assert.doesNotMatch(markup, / style=/, 'no inline style: the CSP forbids it');
}

describe('charts', () => {
  const deviations = memberDeviations(council, { threshold: 2 });
  const distribution = spreadDistribution(council);
  const rows = criterionDisagreement(council);

  test('DeviationChart: one bar per member, lenient right of zero, severe left, names and values', () => {
    const markup = DeviationChart({ deviations, t: strict, threshold: 2 }).value;
    assertAccessibleSvg(markup, "Each member's deviation from the council mean");
    for (const name of ['An Nguyễn', 'Bình Trần', 'Chi Lê'])
      assert.ok(markup.includes(`>${name}</text>`), name);
    assert.equal(count(markup, /<rect /g), 3);
    for (const value of ['+3.0', '+1.0', '−4.0']) assert.ok(markup.includes(`>${value}</text>`), value);
    const [a, b, c] = rects(markup) as [{ x: number; width: number }, ...{ x: number; width: number }[]];
    const zero = a.x;
    assert.equal(b!.x, zero, 'the positive bars start at zero');
    assert.ok(Math.abs(c!.x + c!.width - zero) < 0.2, 'the negative bar ends at zero');
    assert.ok(a.width > b!.width);
    assert.ok(Math.abs(c!.width / a.width - 4 / 3) < 0.01, 'bars are to scale');
    assert.match(markup, /<desc[^>]*>Members: 3 \(1 lenient, 1 severe, 1 consistent; threshold ±2 points\)/);
    assert.ok(markup.includes('Chi Lê: −4.0 points, severe, products scored: 2.'));
    assert.equal(count(markup, /stroke-dasharray/g), 3, 'two threshold lines and their legend swatch');
  });

  test('DeviationChart in Vietnamese: decimal commas, Vietnamese words; names are escaped', () => {
    const markup = DeviationChart({
      deviations: [{ ...deviations[0]!, memberName: '<b>An & Bình</b>' }, ...deviations.slice(1)],
      t: vi,
      locale: 'vi',
    }).value;
    assert.ok(markup.includes('>+3,0</text>'));
    assert.ok(markup.includes('&lt;b&gt;An &amp; Bình&lt;/b&gt;'));
    assert.ok(!markup.includes('<b>'));
    assert.ok(markup.includes('chấm chặt'));
  });

  test('SpreadHistogram: a bar per non-empty bin and the limit as a dashed line', () => {
    const markup = SpreadHistogram({ distribution, limit: 10, t: strict }).value;
    assertAccessibleSvg(markup, "Distribution of the spread between the members' totals");
    assert.equal(count(markup, /<rect /g), 2);
    assert.match(markup, /<line [^>]*stroke="#b91c1c"[^>]*stroke-dasharray="6 4"/);
    assert.ok(markup.includes('>Limit 10 points · above the limit: 1</text>'));
    assert.ok(markup.includes('Median spread 13 points, largest 20 points'));
    assert.ok(markup.includes('From 6 to under 8 points: 1.'));
  });

  test('SpreadHistogram: the axis reaches the limit even when every spread is below it', () => {
    const small = spreadDistribution([sheet('P1', 'a', 50), sheet('P1', 'b', 51)]);
    const markup = SpreadHistogram({ distribution: small, limit: 10, t: en }).value;
    assert.equal(count(markup, /<rect /g), 1);
    assert.ok(markup.includes('>12</text>'), 'ticks up to the bin after the limit');
  });

  test('DisagreementChart: the top criteria as percentages, at most `max` bars', () => {
    const markup = DisagreementChart({ rows, t: strict }).value;
    assertAccessibleSvg(markup, 'Criteria the members score most differently');
    assert.equal(count(markup, /<rect /g), 4);
    assert.ok(markup.includes('>100% (2/2)</text>'));
    assert.ok(markup.indexOf('>1.2</text>') < markup.indexOf('>1.10</text>'), 'natural order');
    const top2 = DisagreementChart({ rows: [...rows].reverse(), t: en, max: 2 }).value;
    assert.equal(count(top2, /<rect /g), 2);
    assert.ok(top2.includes('>3</text>') && top2.includes('>1.2</text>') && !top2.includes('>1.10</text>'));
    assert.ok(top2.includes('Criteria scored by two or more members: 4; the chart shows the 2'));
  });

  test('no data: a short paragraph instead of an empty chart', () => {
    const cases = [
      [DeviationChart({ deviations: [], t: strict }).value, 'at least one product needs two or more'],
      [
        SpreadHistogram({ distribution: spreadDistribution([]), limit: 10, t: strict }).value,
        'No product has two or more score sheets yet',
      ],
      [DisagreementChart({ rows: [], t: strict }).value, 'No criterion has been scored'],
    ] as const;
    for (const [markup, message] of cases) {
      assert.match(markup, /^<p class="chart-empty"[^>]*>[^<]+<\/p>$/);
      assert.ok(markup.includes(message), message);
      assert.ok(!markup.includes('<svg'));
    }
    assert.ok(DeviationChart({ deviations: [], t: vi }).value.includes('Chưa đủ dữ liệu'));
  });

  test('the charts are well-formed SVG (librsvg renders them)', async () => {
    for (const markup of [
      DeviationChart({ deviations, t: vi, locale: 'vi' }).value,
      SpreadHistogram({ distribution, limit: 10, t: vi, locale: 'vi' }).value,
      DisagreementChart({ rows, t: vi, locale: 'vi' }).value,
    ]) {
      const png = await sharp(Buffer.from(markup)).png().toBuffer();
      const { width, height } = await sharp(png).metadata();
      assert.ok(width > 600 && height > 100);
    }
  });

  test('every message is defined in both languages, none empty, and the charts use them all', () => {
    const viKeys = Object.keys(consistencyMessages.vi).sort();
    assert.deepEqual(Object.keys(consistencyMessages.en).sort(), viKeys);
    for (const key of viKeys) {
      assert.ok(key.startsWith('consistency.'), key);
      assert.ok(consistencyMessages.vi[key as keyof typeof consistencyMessages.vi].trim(), key);
      assert.ok(consistencyMessages.en[key as keyof typeof consistencyMessages.en].trim(), key);
    }
    // render with every tendency so that all the keys are reached
    DeviationChart({ deviations: memberDeviations(council, { threshold: 0.5 }), t: strict });
    DeviationChart({ deviations, t: strict });
    SpreadHistogram({ distribution, limit: 10, t: strict });
    DisagreementChart({ rows, t: strict });
    for (const empty of [
      DeviationChart({ deviations: [], t: strict }),
      SpreadHistogram({ distribution: spreadDistribution([]), limit: 10, t: strict }),
      DisagreementChart({ rows: [], t: strict }),
    ])
      assert.ok(empty.value);
    assert.deepEqual([...used].sort(), viKeys);
  });
});
