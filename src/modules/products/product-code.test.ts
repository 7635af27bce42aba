import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  formatProductCode,
  MAX_PRODUCT_SEQUENCE,
  PRODUCT_CODE_PATTERN,
  type ProductCodeParts,
  parseProductCode,
} from './product-code.ts';

test('formatProductCode writes (T)-(X)-(STT)-year with STT padded to three digits', () => {
  const cases: [ProductCodeParts, string][] = [
    [{ provinceCode: '96', communeCode: '32002', sequence: 1, year: 2026 }, '96-32002-001-2026'],
    [{ provinceCode: '01', communeCode: '00004', sequence: 12, year: 2025 }, '01-00004-012-2025'],
    [{ provinceCode: '79', communeCode: '26734', sequence: 999, year: 2030 }, '79-26734-999-2030'],
    [{ provinceCode: '79', communeCode: '26734', sequence: 1000, year: 2030 }, '79-26734-1000-2030'],
    [
      { provinceCode: '08', communeCode: '02269', sequence: MAX_PRODUCT_SEQUENCE, year: 2018 },
      '08-02269-999999-2018',
    ],
    [{ provinceCode: '08', communeCode: '02269', sequence: 5, year: 2100 }, '08-02269-005-2100'],
  ];
  for (const [parts, code] of cases) assert.equal(formatProductCode(parts), code, code);
});

test('formatProductCode refuses parts out of shape', () => {
  const good: ProductCodeParts = { provinceCode: '96', communeCode: '32002', sequence: 1, year: 2026 };
  const bad: Partial<ProductCodeParts>[] = [
    { provinceCode: '6' },
    { provinceCode: '096' },
    { provinceCode: 'AB' },
    { provinceCode: ' 96' },
    { communeCode: '3200' },
    { communeCode: '320021' },
    { communeCode: '32-02' },
    { sequence: 0 },
    { sequence: -1 },
    { sequence: 1.5 },
    { sequence: MAX_PRODUCT_SEQUENCE + 1 },
    { sequence: Number.NaN },
    { year: 2017 },
    { year: 2101 },
    { year: 2026.5 },
    { year: 26 },
  ];
  for (const change of bad) {
    assert.throws(() => formatProductCode({ ...good, ...change }), RangeError, JSON.stringify(change));
  }
});

test('parseProductCode reads codes back and rejects everything else', () => {
  const cases: [string, ProductCodeParts | null][] = [
    ['96-32002-001-2026', { provinceCode: '96', communeCode: '32002', sequence: 1, year: 2026 }],
    ['01-00004-7-2019', { provinceCode: '01', communeCode: '00004', sequence: 7, year: 2019 }],
    ['01-00004-000007-2019', { provinceCode: '01', communeCode: '00004', sequence: 7, year: 2019 }],
    ['79-26734-123456-2100', { provinceCode: '79', communeCode: '26734', sequence: 123456, year: 2100 }],
    [' 96-32002-001-2026\n', { provinceCode: '96', communeCode: '32002', sequence: 1, year: 2026 }],
    ['96-32002-000-2026', null], // STT 0
    ['96-32002-001-2017', null],
    ['96-32002-001-2101', null],
    ['96-32002-1234567-2026', null],
    ['96-32002--2026', null],
    ['96-3200-001-2026', null],
    ['096-32002-001-2026', null],
    ['96-32002-001-26', null],
    ['96_32002_001_2026', null],
    ['96 32002 001 2026', null],
    ['96-32002-001-2026-1', null],
    ['96-32002-0a1-2026', null],
    ['', null],
  ];
  for (const [code, parts] of cases) assert.deepEqual(parseProductCode(code), parts, JSON.stringify(code));
});

test('PRODUCT_CODE_PATTERN matches the shape of every formatted code and of nothing malformed', () => {
  const pattern = new RegExp(PRODUCT_CODE_PATTERN);
  for (const code of ['96-32002-001-2026', '01-00004-7-2019', '79-26734-123456-2100']) {
    assert.ok(pattern.test(code), code);
  }
  for (const code of [
    '96-32002-1234567-2026',
    '096-32002-001-2026',
    ' 96-32002-001-2026',
    '96-32002-001-26',
  ]) {
    assert.ok(!pattern.test(code), code);
  }
});

const parts = fc
  .tuple(
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99_999 }),
    fc.integer({ min: 1, max: MAX_PRODUCT_SEQUENCE }),
    fc.integer({ min: 2018, max: 2100 }),
  )
  .map(
    ([province, commune, sequence, year]): ProductCodeParts => ({
      provinceCode: String(province).padStart(2, '0'),
      communeCode: String(commune).padStart(5, '0'),
      sequence,
      year,
    }),
  );

test('property: parse(format(x)) round-trips, and the result fits PRODUCT_CODE_PATTERN', () => {
  const pattern = new RegExp(PRODUCT_CODE_PATTERN);
  fc.assert(
    fc.property(parts, (x) => {
      const code = formatProductCode(x);
      assert.deepEqual(parseProductCode(code), x);
      assert.ok(pattern.test(code), code);
    }),
  );
});

test('property: format(parse(s)) gives back s for a code already written canonically', () => {
  fc.assert(
    fc.property(parts, (x) => {
      const code = formatProductCode(x);
      const parsed = parseProductCode(code);
      assert.ok(parsed);
      assert.equal(formatProductCode(parsed), code);
    }),
  );
});
