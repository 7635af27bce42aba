import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daysBetween } from '../../platform/time.ts';
import { ROUND_LEVELS } from './round.model.ts';
import { REGULAR_ROUNDS, regularSchedule } from './round-schedule.ts';

test('province round 1: files by 30/4, closes by 30/6 (Điều 5.1)', () => {
  assert.deepEqual(regularSchedule('province', 2026, 1), { filesBy: '2026-04-30', closesBy: '2026-06-30' });
});

test('province round 2: files by 30/10, closes by 30/12 of the same year', () => {
  assert.deepEqual(regularSchedule('province', 2026, 2), { filesBy: '2026-10-30', closesBy: '2026-12-30' });
});

test('central round 1: files by 30/7, closes by 30/9 (Điều 5.2)', () => {
  assert.deepEqual(regularSchedule('central', 2026, 1), { filesBy: '2026-07-30', closesBy: '2026-09-30' });
});

test('central round 2: files by 30/01 and closes by 30/03 of the NEXT year', () => {
  assert.deepEqual(regularSchedule('central', 2026, 2), { filesBy: '2027-01-30', closesBy: '2027-03-30' });
  assert.deepEqual(regularSchedule('central', 2027, 2), { filesBy: '2028-01-30', closesBy: '2028-03-30' });
  // a century turn too
  assert.deepEqual(regularSchedule('central', 2099, 2), { filesBy: '2100-01-30', closesBy: '2100-03-30' });
});

test('the dates follow the year asked for', () => {
  for (const year of [2025, 2026, 2028, 2030]) {
    assert.deepEqual(regularSchedule('province', year, 1), {
      filesBy: `${year}-04-30`,
      closesBy: `${year}-06-30`,
    });
    assert.deepEqual(regularSchedule('province', year, 2), {
      filesBy: `${year}-10-30`,
      closesBy: `${year}-12-30`,
    });
    assert.deepEqual(regularSchedule('central', year, 1), {
      filesBy: `${year}-07-30`,
      closesBy: `${year}-09-30`,
    });
    assert.deepEqual(regularSchedule('central', year, 2), {
      filesBy: `${year + 1}-01-30`,
      closesBy: `${year + 1}-03-30`,
    });
  }
});

test('extra rounds (3 and up) have no official dates: the office sets them', () => {
  for (const level of ROUND_LEVELS) {
    for (const number of [3, 4, 5, 10])
      assert.equal(regularSchedule(level, 2026, number), null, `${level} ${number}`);
    // nonsense numbers are not regular rounds either
    for (const number of [0, -1, 1.5, Number.NaN]) assert.equal(regularSchedule(level, 2026, number), null);
  }
});

test('every regular date is a real date, and each round closes after its files are due', () => {
  for (const level of ROUND_LEVELS) {
    for (const number of [1, 2]) {
      const s = regularSchedule(level, 2026, number)!;
      // daysBetween throws on a date that does not exist
      const window = daysBetween(s.filesBy, s.closesBy);
      // two months: 59 (30/1 → 30/3 in a common year) to 62 days (30/7 → 30/9)
      assert.ok(window >= 59 && window <= 62, `${level} ${number}: ${window} days`);
    }
  }
});

test('the central round follows the province round that feeds it', () => {
  for (const year of [2026, 2027]) {
    const p1 = regularSchedule('province', year, 1)!;
    const p2 = regularSchedule('province', year, 2)!;
    const c1 = regularSchedule('central', year, 1)!;
    const c2 = regularSchedule('central', year, 2)!;
    // a 5★ candidate from province round 1 (closed by 30/6) reaches central round 1 (files by 30/7)
    assert.ok(daysBetween(p1.closesBy, c1.filesBy) > 0);
    // one from province round 2 (closed by 30/12) reaches central round 2 (files by 30/1 next year)
    assert.equal(daysBetween(p2.closesBy, c2.filesBy), 31);
    // the rounds of a level come in order
    assert.ok(daysBetween(p1.closesBy, p2.filesBy) > 0);
    assert.ok(daysBetween(c1.closesBy, c2.filesBy) > 0);
  }
});

test('REGULAR_ROUNDS: only rounds 1 and 2, for both levels; only central round 2 lies in the next year', () => {
  assert.deepEqual(Object.keys(REGULAR_ROUNDS).sort(), [...ROUND_LEVELS].sort());
  for (const level of ROUND_LEVELS) {
    assert.deepEqual(Object.keys(REGULAR_ROUNDS[level]).sort(), ['1', '2']);
    for (const number of [1, 2] as const) {
      const round = REGULAR_ROUNDS[level][number];
      const nextYear = level === 'central' && number === 2;
      assert.equal(round.filesBy.nextYear, nextYear, `${level} ${number} files`);
      assert.equal(round.closesBy.nextYear, nextYear, `${level} ${number} closes`);
      assert.equal(round.filesBy.day, 30);
      assert.equal(round.closesBy.day, 30);
    }
  }
});
