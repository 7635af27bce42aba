import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { gtinCheckDigit, isVietnamGtin, toGtin14, validateGtin } from './gtin.ts';

test('the GS1 check digit of known numbers', () => {
  const cases: [string, number][] = [
    ['400638133393', 1], // EAN-13 4006381333931, the textbook example
    ['893458801211', 2], // a GS1 Vietnam GTIN-13
    ['629104150021', 3], // GS1's own worked example 6291041500213
    ['03600029145', 2], // UPC-A 036000291452
    ['9638507', 4], // EAN-8 96385074
    ['1001234567890', 2], // GTIN-14 10012345678902
    ['0', 0],
    ['1', 7],
    ['0000000', 0],
  ];
  for (const [digits, check] of cases) assert.equal(gtinCheckDigit(digits), check, digits);
});

test('the check digit needs digits', () => {
  for (const bad of ['', '12a4', ' 123', '１２３', '-1']) {
    assert.throws(() => gtinCheckDigit(bad), RangeError, JSON.stringify(bad));
  }
});

test('validateGtin accepts every GTIN length and names what is wrong otherwise', () => {
  const cases: [string, ReturnType<typeof validateGtin>][] = [
    ['96385074', { ok: true, gtin: '96385074' }],
    ['036000291452', { ok: true, gtin: '036000291452' }],
    ['4006381333931', { ok: true, gtin: '4006381333931' }],
    ['8934588012112', { ok: true, gtin: '8934588012112' }],
    ['10012345678902', { ok: true, gtin: '10012345678902' }],
    ['18934588012119', { ok: true, gtin: '18934588012119' }],
    ['  8934588012112\n', { ok: true, gtin: '8934588012112' }],
    ['4006381333932', { ok: false, reason: 'check_digit' }],
    ['8934588012113', { ok: false, reason: 'check_digit' }],
    ['96385075', { ok: false, reason: 'check_digit' }],
    ['036000291450', { ok: false, reason: 'check_digit' }],
    ['10012345678903', { ok: false, reason: 'check_digit' }],
    ['893458801211', { ok: false, reason: 'check_digit' }], // a GTIN-13 missing its last digit
    ['89345880121', { ok: false, reason: 'length' }],
    ['893458801211200', { ok: false, reason: 'length' }],
    ['1234567', { ok: false, reason: 'length' }],
    ['0', { ok: false, reason: 'length' }],
    ['', { ok: false, reason: 'format' }],
    ['   ', { ok: false, reason: 'format' }],
    ['893 4588 012112', { ok: false, reason: 'format' }],
    ['893-4588012112', { ok: false, reason: 'format' }],
    ['89345880121l2', { ok: false, reason: 'format' }],
    ['８９３４５８８０１２１１２', { ok: false, reason: 'format' }],
  ];
  for (const [input, expected] of cases)
    assert.deepEqual(validateGtin(input), expected, JSON.stringify(input));
});

test('toGtin14 pads every valid GTIN to 14 digits and refuses invalid ones', () => {
  const cases: [string, string][] = [
    ['96385074', '00000096385074'],
    ['036000291452', '00036000291452'],
    ['8934588012112', '08934588012112'],
    ['18934588012119', '18934588012119'],
    [' 4006381333931 ', '04006381333931'],
  ];
  for (const [gtin, padded] of cases) {
    assert.equal(toGtin14(gtin), padded, gtin);
    assert.deepEqual(validateGtin(padded), { ok: true, gtin: padded }, `${padded} stays valid`);
  }
  for (const bad of ['8934588012113', '12345', 'abc', ''])
    assert.throws(() => toGtin14(bad), RangeError, bad);
});

test('isVietnamGtin looks for 893 where the GS1 prefix sits', () => {
  const cases: [string, boolean][] = [
    ['8934588012112', true],
    ['8936049951008', true],
    ['4006381333931', false],
    ['18934588012119', true], // GTIN-14: indicator 1, then 893…
    ['08934588012112', true], // the GTIN-13 padded to 14
    ['89345880121127', false], // 14 digits starting with 893: the prefix is after the indicator
    ['10012345678902', false],
    ['036000291452', false], // GTIN-12
    ['96385074', false], // GTIN-8: no prefix rule
    ['8934588012113', false], // wrong check digit
    ['893', false],
  ];
  for (const [gtin, expected] of cases) assert.equal(isVietnamGtin(gtin), expected, gtin);
});

const digitString = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
const bodies = fc.constantFrom(7, 11, 12, 13).chain(digitString);

test('property: a body followed by its check digit is a valid GTIN', () => {
  fc.assert(
    fc.property(bodies, (body) => {
      const gtin = `${body}${gtinCheckDigit(body)}`;
      assert.deepEqual(validateGtin(gtin), { ok: true, gtin });
    }),
  );
});

test('property: changing any single digit of a valid GTIN makes it invalid', () => {
  fc.assert(
    fc.property(bodies, fc.nat(), fc.integer({ min: 1, max: 9 }), (body, positionSeed, delta) => {
      const gtin = `${body}${gtinCheckDigit(body)}`;
      const position = positionSeed % gtin.length;
      const changed = (Number(gtin[position]) + delta) % 10;
      const typo = `${gtin.slice(0, position)}${changed}${gtin.slice(position + 1)}`;
      assert.deepEqual(validateGtin(typo), { ok: false, reason: 'check_digit' });
    }),
  );
});

test('property: toGtin14 keeps the check digit valid and isVietnamGtin agrees before and after', () => {
  fc.assert(
    fc.property(bodies, (body) => {
      const gtin = `${body}${gtinCheckDigit(body)}`;
      const padded = toGtin14(gtin);
      assert.equal(padded.length, 14);
      assert.equal(validateGtin(padded).ok, true);
      if (gtin.length === 13) assert.equal(isVietnamGtin(padded), isVietnamGtin(gtin));
    }),
  );
});
