import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDateTime, isTimeZoneOffset, utcMillisecondString } from './datetime.ts';

test('RFC 3339 date-times with an offset or Z, to UTC with milliseconds', () => {
  const cases: [string, string][] = [
    ['2005-04-03T20:33:31.116-06:00', '2005-04-04T02:33:31.116Z'],
    ['2005-04-03T20:33:31.116000-06:00', '2005-04-04T02:33:31.116Z'],
    ['2013-06-08T14:58:56.591Z', '2013-06-08T14:58:56.591Z'],
    ['2005-07-11T11:30:47.0Z', '2005-07-11T11:30:47.000Z'],
    ['2020-06-07T17:10:16Z', '2020-06-07T17:10:16.000Z'],
    ['2026-05-22T08:30:00+07:00', '2026-05-22T01:30:00.000Z'],
    ['2021-02-01T22:46:31.117000+00:00', '2021-02-01T22:46:31.117Z'],
    ['2026-01-01T00:30:00+07:00', '2025-12-31T17:30:00.000Z'],
    ['2026-05-22t08:30:00z', '2026-05-22T08:30:00.000Z'],
    ['2028-02-29T23:59:59.999Z', '2028-02-29T23:59:59.999Z'],
  ];
  for (const [input, utc] of cases) assert.equal(utcMillisecondString(input), utc, input);
});

test('more than three decimals: the third rounds up when the fourth is 5–9 (CBV event hash rule)', () => {
  assert.equal(utcMillisecondString('2023-02-02T11:04:03.1415Z'), '2023-02-02T11:04:03.142Z');
  assert.equal(utcMillisecondString('2023-02-02T11:04:03.1414Z'), '2023-02-02T11:04:03.141Z');
  assert.equal(utcMillisecondString('2023-02-12T11:04:03.1007Z'), '2023-02-12T11:04:03.101Z');
  assert.equal(utcMillisecondString('2023-02-02T11:04:03.14149999Z'), '2023-02-02T11:04:03.141Z');
  // carried into the next second, minute, day and year
  assert.equal(utcMillisecondString('2025-12-31T23:59:59.9995Z'), '2026-01-01T00:00:00.000Z');
});

test('not RFC 3339 date-times', () => {
  for (const value of [
    '2026-05-22T08:30:00',
    '2026-05-22 08:30:00Z',
    '2026-05-22',
    '2026-02-30T08:30:00Z',
    '2026-13-01T08:30:00Z',
    '2026-05-22T24:00:00Z',
    '2026-05-22T08:60:00Z',
    '2026-05-22T08:30:60Z',
    '2026-05-22T08:30:00+0700',
    '2026-05-22T08:30:00+24:00',
    '2026-05-22T08:30:00.Z',
    '26-05-22T08:30:00Z',
    '',
    20260522,
    null,
  ]) {
    assert.equal(isDateTime(value), false, String(value));
  }
});

test('eventTimeZoneOffset: ±hh:mm from -14:00 to +14:00', () => {
  for (const ok of ['+07:00', '-06:00', '+00:00', '-00:00', '+14:00', '-14:00', '+05:30', '+13:59']) {
    assert.equal(isTimeZoneOffset(ok), true, ok);
  }
  for (const bad of ['07:00', '+7:00', '+0700', '+14:01', '+15:00', 'Z', '+07:60', '', 7]) {
    assert.equal(isTimeZoneOffset(bad), false, String(bad));
  }
});
