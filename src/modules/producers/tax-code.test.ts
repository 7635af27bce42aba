import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { taxCodeCheckDigit, validateRegistrationNumber, validateTaxCode } from './tax-code.ts';

test('the check digit of real tax codes', () => {
  // Σ = 0·31 + 3·29 + 1·23 + 4·19 + 4·17 + 0·13 + 9·7 + 0·5 + 5·3 = 332; 332 mod 11 = 2; 10 − 2 = 8.
  assert.equal(taxCodeCheckDigit('031440905'), 8);
  const cases: [string, number | null][] = [
    ['010023348', 8],
    ['010011243', 7],
    ['200010258', 0], // Σ mod 11 = 10: check digit 0
    ['031021384', 0],
    ['803763069', 0],
    ['010815032', 1],
    ['031238710', 5],
    ['010000005', null], // Σ = 29 + 5·3 = 44, 44 mod 11 = 0: 10 − 0 = 10, no digit fits
    ['010000001', 0],
    ['010000002', 8],
  ];
  for (const [nine, check] of cases) assert.equal(taxCodeCheckDigit(nine), check, nine);
  for (const bad of ['', '12345678', '0123456789', '01234567a']) {
    assert.throws(() => taxCodeCheckDigit(bad), RangeError, bad);
  }
});

test('validateTaxCode accepts the three forms and rejects wrong check digits', () => {
  const cases: [string, ReturnType<typeof validateTaxCode>][] = [
    // Real enterprise codes (python-stdnum's test list; public site footers).
    ['0100233488', { ok: true, taxCode: '0100233488' }],
    ['0314409058', { ok: true, taxCode: '0314409058' }],
    ['0108150321', { ok: true, taxCode: '0108150321' }],
    ['0312387105', { ok: true, taxCode: '0312387105' }],
    ['2000102580', { ok: true, taxCode: '2000102580' }],
    ['8037630690', { ok: true, taxCode: '8037630690' }], // a personal 10-digit code
    [' 0106633482 ', { ok: true, taxCode: '0106633482' }],
    // Dependent units.
    ['0314409058-002', { ok: true, taxCode: '0314409058-002' }],
    ['2000102580-005', { ok: true, taxCode: '2000102580-005' }],
    ['0102641429-066', { ok: true, taxCode: '0102641429-066' }],
    // 12-digit personal identification numbers: format only.
    ['001203012345', { ok: true, taxCode: '001203012345' }],
    ['079088001234', { ok: true, taxCode: '079088001234' }],
    // Wrong check digits.
    ['0100233480', { ok: false, reason: 'check_digit' }],
    ['0100233489', { ok: false, reason: 'check_digit' }],
    ['0314409059', { ok: false, reason: 'check_digit' }],
    ['2000102581', { ok: false, reason: 'check_digit' }],
    ['0314409057-002', { ok: false, reason: 'check_digit' }],
    ['0100000050', { ok: false, reason: 'check_digit' }], // remainder 0: no check digit is right
    ['0100000051', { ok: false, reason: 'check_digit' }],
    ['0100000010', { ok: true, taxCode: '0100000010' }],
    // Bad formats.
    ['', { ok: false, reason: 'format' }],
    ['12345', { ok: false, reason: 'format' }],
    ['010023348', { ok: false, reason: 'format' }],
    ['01002334888', { ok: false, reason: 'format' }],
    ['0314409058002', { ok: false, reason: 'format' }], // 13 digits without the dash
    ['0314409058-02', { ok: false, reason: 'format' }],
    ['0314409058-0002', { ok: false, reason: 'format' }],
    ['0314409058 - 002', { ok: false, reason: 'format' }],
    ['0314409058-000', { ok: false, reason: 'format' }], // branch numbers start at 001
    ['0100000008', { ok: false, reason: 'format' }], // sequence 0000000
    ['01.00.233.488', { ok: false, reason: 'format' }],
    ['VV34567890', { ok: false, reason: 'format' }],
    ['0100 233 488', { ok: false, reason: 'format' }],
    ['00120301234', { ok: false, reason: 'format' }],
    ['0012030123456', { ok: false, reason: 'format' }],
    ['０１００２３３４８８', { ok: false, reason: 'format' }],
  ];
  for (const [input, expected] of cases) {
    assert.deepEqual(validateTaxCode(input), expected, JSON.stringify(input));
  }
});

const nineDigits = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map((d) => d.join(''))
  .filter((nine) => nine.slice(2) !== '0000000');

test('property: nine digits and their check digit make a valid code, every other tenth digit does not', () => {
  fc.assert(
    fc.property(nineDigits, fc.integer({ min: 0, max: 9 }), (nine, tenth) => {
      const check = taxCodeCheckDigit(nine);
      const result = validateTaxCode(`${nine}${tenth}`);
      if (check === tenth) assert.deepEqual(result, { ok: true, taxCode: `${nine}${tenth}` });
      else assert.deepEqual(result, { ok: false, reason: 'check_digit' });
    }),
  );
});

test('property: a single mistyped digit in the first nine is always caught', () => {
  fc.assert(
    fc.property(nineDigits, fc.nat(8), fc.integer({ min: 1, max: 9 }), (nine, position, delta) => {
      const check = taxCodeCheckDigit(nine);
      fc.pre(check !== null);
      const typo = `${nine.slice(0, position)}${(Number(nine[position]) + delta) % 10}${nine.slice(position + 1)}`;
      fc.pre(typo.slice(2) !== '0000000');
      assert.equal(validateTaxCode(`${typo}${check}`).ok, false);
    }),
  );
});

test('validateRegistrationNumber is permissive but rejects garbage', () => {
  const ok: [string, string][] = [
    ['41N8033112', '41N8033112'], // household business, Tân Bình (TP.HCM)
    ['50H8027879', '50H8027879'], // household business, Đức Hòa (Long An)
    ['01q8011025', '01Q8011025'],
    // dots and spaces are layout: one number however it is written
    ['41.N.8.033112', '41N8033112'],
    ['41N 8033112', '41N8033112'],
    ['41N8033112.', '41N8033112'],
    ['41..N8033112', '41N8033112'],
    ['61A8-001234', '61A8-001234'],
    [' 0108150321 ', '0108150321'], // an enterprise: the tax code
    ['0314409058-002', '0314409058-002'],
    ['3507A00012', '3507A00012'],
    ['123/2019/HTX', '123/2019/HTX'],
    ['12345A', '12345A'],
    ['12345678901234567890', '12345678901234567890'],
  ];
  for (const [input, value] of ok) {
    assert.deepEqual(validateRegistrationNumber(input), { ok: true, value }, JSON.stringify(input));
  }
  const bad = [
    '',
    '12345', // too short
    '123456789012345678901', // too long
    'ABCDEF', // no digits
    'AB1234', // four digits
    '41N_8033112',
    '41Đ8033112', // not a Latin letter
    '-41N8033112',
    '41N8/-033112',
    'số 41N8033112',
    '<script>1234</script>',
    '１２３４５６',
  ];
  for (const input of bad) {
    assert.deepEqual(
      validateRegistrationNumber(input),
      { ok: false, reason: 'format' },
      JSON.stringify(input),
    );
  }
});

test('property: a valid 10-digit tax code is also an acceptable registration number', () => {
  fc.assert(
    fc.property(nineDigits, (nine) => {
      const check = taxCodeCheckDigit(nine);
      fc.pre(check !== null);
      assert.deepEqual(validateRegistrationNumber(`${nine}${check}`), { ok: true, value: `${nine}${check}` });
    }),
  );
});
