import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, daysBetween, isCalendarDate } from './time.ts';

test('addDays: the documented example and simple cases', () => {
  assert.equal(addDays('2026-12-20', 45), '2027-02-03');
  assert.equal(addDays('2026-05-22', 0), '2026-05-22');
  assert.equal(addDays('2026-05-22', 1), '2026-05-23');
  assert.equal(addDays('2026-05-31', 1), '2026-06-01');
  assert.equal(addDays('2026-04-30', 1), '2026-05-01');
  assert.equal(addDays('2026-05-22', 365), '2027-05-22');
});

test('addDays: negative days go back', () => {
  assert.equal(addDays('2026-05-22', -1), '2026-05-21');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(addDays('2028-03-01', -1), '2028-02-29');
  assert.equal(addDays('2027-01-01', -1), '2026-12-31');
  assert.equal(addDays('2027-02-03', -45), '2026-12-20');
});

test('addDays: across a year end', () => {
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2026-12-01', 45), '2027-01-15');
  assert.equal(addDays('2026-11-17', 45), '2027-01-01');
});

test('addDays: leap years (2028, 2000) and common years (2026, 2100)', () => {
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addDays('2028-02-29', 1), '2028-03-01');
  assert.equal(addDays('2026-02-28', 1), '2026-03-01');
  assert.equal(addDays('2000-02-28', 1), '2000-02-29');
  assert.equal(addDays('2100-02-28', 1), '2100-03-01');
  assert.equal(addDays('2028-02-01', 45), '2028-03-17');
  assert.equal(addDays('2027-02-01', 45), '2027-03-18');
  assert.equal(addDays('2028-01-01', 366), '2029-01-01');
  assert.equal(addDays('2027-01-01', 365), '2028-01-01');
  // a leap day plus a year is not a date: it lands on 1 March
  assert.equal(addDays('2028-02-29', 365), '2029-02-28');
});

test('daysBetween: calendar days, negative when `to` is earlier', () => {
  assert.equal(daysBetween('2026-05-22', '2026-05-22'), 0);
  assert.equal(daysBetween('2026-05-22', '2026-05-23'), 1);
  assert.equal(daysBetween('2026-05-23', '2026-05-22'), -1);
  assert.equal(daysBetween('2026-12-20', '2027-02-03'), 45);
  assert.equal(daysBetween('2027-02-03', '2026-12-20'), -45);
  assert.equal(daysBetween('2026-01-01', '2027-01-01'), 365);
  assert.equal(daysBetween('2028-01-01', '2029-01-01'), 366);
  assert.equal(daysBetween('2028-02-28', '2028-03-01'), 2);
  assert.equal(daysBetween('2026-02-28', '2026-03-01'), 1);
  assert.equal(daysBetween('2100-02-28', '2100-03-01'), 1);
  assert.equal(daysBetween('2000-02-28', '2000-03-01'), 2);
  // 36 months of a certificate: 1096 days when a leap day falls inside
  assert.equal(daysBetween('2026-06-01', '2029-06-01'), 1096);
  assert.equal(daysBetween('2029-06-01', '2032-06-01'), 1096);
  assert.equal(daysBetween('2025-01-01', '2028-01-01'), 1095);
});

test('daysBetween is always a whole number, and the inverse of addDays', () => {
  const starts = ['2026-01-01', '2026-03-29', '2026-10-25', '2027-12-31', '2028-02-29', '1999-12-31'];
  for (const start of starts) {
    for (let n = -400; n <= 400; n += 7) {
      const end = addDays(start, n);
      const back = daysBetween(start, end);
      assert.ok(Number.isInteger(back));
      assert.equal(back, n, `${start} + ${n}`);
      assert.equal(addDays(end, -n), start);
    }
  }
});

test('the result does not depend on the process time zone (dates are UTC calendar days)', () => {
  // dates across the European and American daylight-saving changes
  assert.equal(daysBetween('2026-03-07', '2026-03-09'), 2);
  assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
  assert.equal(daysBetween('2026-10-24', '2026-10-26'), 2);
  assert.equal(addDays('2026-03-28', 2), '2026-03-30');
  assert.equal(addDays('2026-11-01', 1), '2026-11-02');
});

test('a date that does not exist, or is not YYYY-MM-DD, throws a RangeError', () => {
  const bad = [
    '2026-02-30',
    '2026-02-29', // 2026 is not a leap year
    '2100-02-29', // nor 2100
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '2026-2-3',
    '26-02-03',
    '30/04/2026',
    '2026/04/30',
    '2026-04-30T00:00:00Z',
    ' 2026-04-30',
    '2026-04-30 ',
    '',
    'tomorrow',
  ];
  for (const value of bad) {
    assert.throws(() => addDays(value, 1), RangeError, `addDays ${JSON.stringify(value)}`);
    assert.throws(
      () => daysBetween(value, '2026-01-01'),
      RangeError,
      `daysBetween from ${JSON.stringify(value)}`,
    );
    assert.throws(
      () => daysBetween('2026-01-01', value),
      RangeError,
      `daysBetween to ${JSON.stringify(value)}`,
    );
  }
  assert.throws(() => addDays('2026-02-30', 0), { name: 'RangeError', message: /2026-02-30/ });
});

test('real edge dates are accepted', () => {
  assert.equal(addDays('2028-02-29', 0), '2028-02-29');
  assert.equal(addDays('2000-02-29', 0), '2000-02-29');
  assert.equal(addDays('2026-12-31', 0), '2026-12-31');
  assert.equal(addDays('2026-01-01', 0), '2026-01-01');
});

test('isCalendarDate: real dates written YYYY-MM-DD only', () => {
  for (const good of ['2028-02-29', '2026-12-31', '2000-02-29'])
    assert.equal(isCalendarDate(good), true, good);
  for (const bad of ['2026-02-30', '2100-02-29', '2026-13-01', '2026-2-3', '2026-02-03T00:00', ''])
    assert.equal(isCalendarDate(bad), false, bad);
});
