import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { projectRoot } from '../paths.ts';
import {
  CSET82_ORDERED,
  gs1CheckCharacterPair,
  gs1CheckDigit,
  hasValidCheckCharacterPair,
  hasValidGs1CheckDigit,
  validateGs1Key,
  withGs1CheckDigit,
} from './check-digit.ts';

const FIXTURES = path.join(projectRoot, 'tests', 'fixtures', 'gs1-digital-link');

test('the GS1 mod-10 check digit of known keys', () => {
  const keys = [
    '4006381333931', // EAN-13, the textbook example
    '8934588012112', // a GS1 Vietnam GTIN-13
    '96385074', // EAN-8
    '036000291452', // UPC-A
    '10614141073464', // GTIN-14 of urn:epc:id:sgtin:0614141.107346.*
    '0614141073467', // GLN of urn:epc:id:sgln:0614141.07346.*
    '106141412345678908', // SSCC of urn:epc:id:sscc:0614141.1234567890
    '09520123456788', // GS1's Digital Link example GTIN
    '061414100000102534', // GSRN of urn:epc:id:gsrn:0614141.0000010253
  ];
  for (const key of keys) {
    assert.equal(gs1CheckDigit(key.slice(0, -1)), Number(key.slice(-1)), key);
    assert.ok(hasValidGs1CheckDigit(key), key);
    assert.equal(withGs1CheckDigit(key.slice(0, -1)), key);
  }
  for (const bad of ['', 'a', '12a4', '１２３']) assert.throws(() => gs1CheckDigit(bad), RangeError);
  for (const bad of ['', '7', '4006381333932', '400638133393A'])
    assert.equal(hasValidGs1CheckDigit(bad), false, bad);
});

test('validateGs1Key names what is wrong', () => {
  const cases: [Parameters<typeof validateGs1Key>, ReturnType<typeof validateGs1Key>][] = [
    [['gtin', '8934588012112'], { ok: true, value: '8934588012112' }],
    [['gtin', '08934588012112'], { ok: true, value: '08934588012112' }],
    [['gtin', '8934588012113'], { ok: false, reason: 'check_digit' }],
    [['gtin', '893458801211'], { ok: false, reason: 'check_digit' }],
    [['gtin', '89345880121'], { ok: false, reason: 'length' }],
    [['gtin', ' 8934588012112'], { ok: false, reason: 'format' }],
    [['gln', '0614141073467'], { ok: true, value: '0614141073467' }],
    [['gln', '06141410734670'], { ok: false, reason: 'length' }],
    [['sscc', '106141412345678908'], { ok: true, value: '106141412345678908' }],
    [['sscc', '012345678912345673'], { ok: false, reason: 'check_digit' }],
    [['gsin', '01234367891244565'], { ok: true, value: '01234367891244565' }],
    [['gsin', '01234567891244565'], { ok: false, reason: 'check_digit' }],
    [['grai', '04012345555554'], { ok: true, value: '04012345555554' }],
    [['grai', '14012345555554'], { ok: false, reason: 'format' }],
    [['gdti', '0614141000012'], { ok: true, value: '0614141000012' }],
  ];
  for (const [args, expected] of cases) assert.deepEqual(validateGs1Key(...args), expected, args.join(' '));
});

test('check-digit vectors of digital-link.js (2 of 2)', () => {
  // validateCheckDigit(keyLength, value): the check digit is digit number keyLength (-1: the last).
  const vectors = JSON.parse(
    fs.readFileSync(path.join(FIXTURES, 'check-digit.digital-link-js.json'), 'utf8'),
  ) as { key_length_arg: number; value: string; valid: boolean }[];
  assert.equal(vectors.length, 2);
  for (const v of vectors) {
    const key = v.key_length_arg === -1 ? v.value : v.value.slice(0, v.key_length_arg);
    assert.equal(hasValidGs1CheckDigit(key), v.valid, v.value);
  }
});

test('property: the computed check digit validates, and any one changed digit fails', () => {
  const digits = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 30 })
    .map((d) => d.join(''));
  fc.assert(
    fc.property(digits, fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
      const key = withGs1CheckDigit(body);
      assert.ok(hasValidGs1CheckDigit(key));
      const i = at % key.length;
      const changed = `${key.slice(0, i)}${(Number(key[i]) + delta) % 10}${key.slice(i + 1)}`;
      assert.equal(hasValidGs1CheckDigit(changed), false, `${key} → ${changed}`);
    }),
  );
});

test('property: leading zeros do not change the check digit (GTIN-13 and its 14-digit form agree)', () => {
  const digits = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 17 })
    .map((d) => d.join(''));
  fc.assert(
    fc.property(digits, fc.integer({ min: 1, max: 5 }), (body, zeros) => {
      assert.equal(gs1CheckDigit(body), gs1CheckDigit(`${'0'.repeat(zeros)}${body}`));
    }),
  );
});

test('the check character pair (csumalpha) of GMNs', () => {
  // GS1 General Specifications §7.9.5 worked example, and the pair of nothing.
  assert.equal(gs1CheckCharacterPair('1987654Ad4X4bL5ttr2310c'), '2K');
  assert.ok(hasValidCheckCharacterPair('1987654Ad4X4bL5ttr2310c2K'));
  assert.equal(hasValidCheckCharacterPair('1987654Ad4X4bL5ttr2310c2L'), false);
  assert.equal(hasValidCheckCharacterPair('22'), true);
  assert.equal(hasValidCheckCharacterPair('2'), false);
  assert.equal(hasValidCheckCharacterPair('12345~22'), false);
  assert.throws(() => gs1CheckCharacterPair('~'), RangeError);
  const cset82 = fc.string({ unit: fc.constantFrom(...CSET82_ORDERED), minLength: 1, maxLength: 23 });
  fc.assert(
    fc.property(cset82, (body) => {
      assert.ok(hasValidCheckCharacterPair(`${body}${gs1CheckCharacterPair(body)}`));
    }),
  );
});
