import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { projectRoot } from '../../platform/paths.ts';
import {
  addWorkingDays,
  HOLIDAYS_FILE,
  holidaysFromFile,
  isWorkingDay,
  loadHolidays,
  loadMakeUpWorkingDays,
  makeUpWorkingDaysFromFile,
  workingDaysBetween,
} from './working-days.ts';

const NONE = new Set<string>();
const FILE: unknown = JSON.parse(fs.readFileSync(path.join(projectRoot, HOLIDAYS_FILE), 'utf8'));
const HOLIDAYS = loadHolidays(FILE);
const MAKE_UP = loadMakeUpWorkingDays(FILE);

test('isWorkingDay: weekdays work, weekends and listed days off do not, make-up Saturdays do', () => {
  const cases: [string, boolean, boolean][] = [
    // date, working (holidays only), working (holidays and make-up days)
    ['2026-02-13', true, true], // Friday before Tết
    ['2026-02-14', false, false], // Saturday
    ['2026-02-15', false, false], // Sunday
    ['2026-02-16', false, false], // 29 tháng Chạp
    ['2026-02-17', false, false], // mùng 1 Tết Bính Ngọ
    ['2026-02-20', false, false], // mùng 4
    ['2026-02-23', true, true], // first working day after Tết
    ['2026-01-02', false, false], // swapped off
    ['2026-01-10', false, true], // Saturday worked in exchange
    ['2026-04-27', false, false], // compensatory day: Giỗ Tổ fell on Sunday 26/4
    ['2026-08-22', false, true],
    ['2026-08-31', false, false],
    ['2025-04-26', false, true],
    ['2025-05-02', false, false],
    ['2030-02-01', false, false], // Tết Canh Tuất in Vietnam is Saturday 2030-02-02 (UTC+7)
    ['2030-02-07', false, false],
    ['2030-02-08', true, true],
    ['2028-02-29', true, true], // leap day, a Tuesday
  ];
  for (const [date, withHolidays, withMakeUp] of cases) {
    assert.equal(isWorkingDay(date, HOLIDAYS), withHolidays, date);
    assert.equal(isWorkingDay(date, HOLIDAYS, MAKE_UP), withMakeUp, `${date} with make-up days`);
  }
  assert.equal(isWorkingDay('2026-02-16', NONE), true, 'without the list Tết is an ordinary Monday');
});

test('dates must be real ISO dates', () => {
  for (const bad of ['2026-02-30', '2026-13-01', '2026-2-3', '20260203', '2026-02-03T00:00', '', 'hôm nay']) {
    assert.throws(() => isWorkingDay(bad, HOLIDAYS), RangeError, bad);
    assert.throws(() => addWorkingDays(bad, 1, HOLIDAYS), RangeError, bad);
    assert.throws(() => workingDaysBetween(bad, '2026-01-01', HOLIDAYS), RangeError, bad);
    assert.throws(() => workingDaysBetween('2026-01-01', bad, HOLIDAYS), RangeError, bad);
  }
  for (const days of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => addWorkingDays('2026-01-05', days, HOLIDAYS), RangeError, String(days));
  }
});

test('addWorkingDays: known deadlines', () => {
  const cases: [string, number, string, string][] = [
    // start, days, expected, why
    ['2026-02-13', 15, '2026-03-13', '15 working days across Tết 2026 (16–20 Feb off)'],
    ['2026-02-13', 1, '2026-02-23', 'the next working day after Tết'],
    ['2026-02-12', 1, '2026-02-13', 'Thursday to Friday'],
    ['2026-02-12', 2, '2026-02-23', 'Friday, then the weekend and Tết'],
    ['2026-02-17', 1, '2026-02-23', 'a start on a holiday does not count'],
    ['2026-02-17', 0, '2026-02-17', '0 days: the start date, even a holiday'],
    ['2026-02-14', 0, '2026-02-14', '0 days on a Saturday'],
    ['2025-06-06', 1, '2025-06-09', 'Friday to Monday'],
    ['2025-06-07', 1, '2025-06-09', 'a start on a Saturday'],
    ['2025-06-08', 5, '2025-06-13', 'a start on a Sunday: Monday is day 1'],
    ['2025-06-06', 5, '2025-06-13', 'one week'],
    ['2025-06-06', 15, '2025-06-27', 'three weeks without holidays'],
    ['2026-04-24', 5, '2026-05-06', 'Giỗ Tổ compensation 27/4, then 30/4 and 1/5'],
    ['2025-12-31', 1, '2026-01-05', 'New Year 2026: 1/1 holiday, 2/1 swapped, then the weekend'],
    ['2025-01-24', 1, '2025-02-03', 'Tết 2025: 27–31 Jan'],
    ['2025-08-29', 1, '2025-09-03', 'National Day 2025: 1–2 Sep'],
    ['2029-08-31', 1, '2029-09-05', 'National Day 2029 on a Sunday: 3 Sep and compensation 4 Sep'],
  ];
  for (const [start, days, expected, why] of cases) {
    assert.equal(addWorkingDays(start, days, HOLIDAYS), expected, `${start} + ${days}: ${why}`);
  }
  assert.equal(addWorkingDays('2026-02-13', 15, NONE), '2026-03-06', 'the same 15 days without holidays');
});

test('addWorkingDays counts make-up Saturdays only when given them', () => {
  const cases: [string, number, string, string][] = [
    ['2026-01-09', 1, '2026-01-10', '2026-01-12'],
    ['2025-04-25', 1, '2025-04-26', '2025-04-28'],
    ['2025-04-25', 2, '2025-04-28', '2025-04-29'],
    ['2026-08-21', 1, '2026-08-22', '2026-08-24'],
  ];
  for (const [start, days, withMakeUp, without] of cases) {
    assert.equal(
      addWorkingDays(start, days, HOLIDAYS, MAKE_UP),
      withMakeUp,
      `${start} + ${days} with make-up days`,
    );
    assert.equal(addWorkingDays(start, days, HOLIDAYS), without, `${start} + ${days} without`);
  }
});

test('workingDaysBetween counts after `from` up to and including `to`, negated when backwards', () => {
  const cases: [string, string, number][] = [
    ['2026-02-13', '2026-03-13', 15],
    ['2026-03-13', '2026-02-13', -15],
    ['2026-02-13', '2026-02-13', 0],
    ['2026-02-17', '2026-02-17', 0],
    ['2026-02-13', '2026-02-22', 0], // only the weekend and Tết in between
    ['2026-02-14', '2026-02-23', 1],
    ['2026-02-23', '2026-02-14', -1],
    ['2025-06-06', '2025-06-13', 5],
    ['2025-06-07', '2025-06-08', 0],
    ['2025-12-31', '2026-01-05', 1],
    ['2025-01-01', '2025-12-31', 260 - 11], // 260 weekdays after 1/1/2025; 10 weekday holidays and the swapped 2/5 off
  ];
  for (const [from, to, expected] of cases) {
    assert.equal(workingDaysBetween(from, to, HOLIDAYS), expected, `${from} → ${to}`);
  }
  assert.equal(workingDaysBetween('2026-01-09', '2026-01-12', HOLIDAYS, MAKE_UP), 2, 'Saturday 10/1 worked');
});

test('loadHolidays and loadMakeUpWorkingDays read the file shape and refuse anything else', () => {
  const sample = {
    source: 'test',
    years: {
      '2026': [
        { date: '2026-01-01', name: 'Tết Dương lịch' },
        { date: '2026-01-02', name: 'Nghỉ hoán đổi', kind: 'swap' },
      ],
      '2027': [{ date: '2027-01-01', name: 'Tết Dương lịch' }],
    },
    makeUpWorkingDays: { '2026': [{ date: '2026-01-10', name: 'Làm bù' }] },
  };
  assert.deepEqual([...loadHolidays(sample)].sort(), ['2026-01-01', '2026-01-02', '2027-01-01']);
  assert.deepEqual([...loadMakeUpWorkingDays(sample)], ['2026-01-10']);
  assert.deepEqual([...loadMakeUpWorkingDays({ years: {} })], []);
  assert.deepEqual([...loadHolidays({ years: {} })], []);

  const badHolidays: unknown[] = [
    null,
    [],
    'years',
    {},
    { years: [] },
    { years: { '2026': {} } },
    { years: { '26': [] } },
    { years: { '2026': [{ date: '2026-01-01' }] } },
    { years: { '2026': [{ name: 'x' }] } },
    { years: { '2026': ['2026-01-01'] } },
    { years: { '2026': [{ date: '2026-02-30', name: 'x' }] } },
    { years: { '2026': [{ date: '01/01/2026', name: 'x' }] } },
    { years: { '2026': [{ date: '2027-01-01', name: 'in the wrong year' }] } },
  ];
  for (const bad of badHolidays) assert.throws(() => loadHolidays(bad), JSON.stringify(bad));

  const badMakeUp: unknown[] = [
    { years: {}, makeUpWorkingDays: [] },
    { years: {}, makeUpWorkingDays: { '2026': [{ date: '2026-01-09', name: 'a Friday' }] } },
    {
      years: { '2026': [{ date: '2026-04-26', name: 'Giỗ Tổ' }] },
      makeUpWorkingDays: { '2026': [{ date: '2026-04-26', name: 'both' }] },
    },
  ];
  for (const bad of badMakeUp) assert.throws(() => loadMakeUpWorkingDays(bad), JSON.stringify(bad));
});

test('holidaysFromFile and makeUpWorkingDaysFromFile read data/holidays/vietnam.json', () => {
  const holidays = holidaysFromFile();
  assert.deepEqual(holidays, HOLIDAYS);
  assert.deepEqual(makeUpWorkingDaysFromFile(), MAKE_UP);
  assert.deepEqual([...MAKE_UP].sort(), ['2025-04-26', '2026-01-10', '2026-08-22']);
  for (const date of ['2025-01-01', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-02']) {
    assert.ok(holidays.has(date), date);
  }
});

interface Entry {
  date: string;
  name: string;
  kind: string;
  basis: string;
  ref?: string;
}

test('the holiday file: eleven Labour Code days a year, Tết and Giỗ Tổ on the right lunar dates', () => {
  const file = FILE as { announcements: Record<string, string>; years: Record<string, Entry[]> };
  const tet: Record<string, string> = {
    '2025': '2025-01-29',
    '2026': '2026-02-17',
    '2027': '2027-02-06',
    '2028': '2028-01-26',
    '2029': '2029-02-13',
    '2030': '2030-02-02', // China: 2030-02-03 (the new moon is at 23:08 in Hà Nội, 00:08 in Beijing)
  };
  const hungKings: Record<string, string> = {
    '2025': '2025-04-07',
    '2026': '2026-04-26',
    '2027': '2027-04-16',
    '2028': '2028-04-04',
    '2029': '2029-04-23',
    '2030': '2030-04-12',
  };
  const weekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
  assert.deepEqual(Object.keys(file.years), ['2025', '2026', '2027', '2028', '2029', '2030']);
  for (const [year, entries] of Object.entries(file.years)) {
    const holidays = entries.filter((e) => e.kind === 'holiday').map((e) => e.date);
    assert.equal(holidays.length, 11, `${year}: the eleven days of Điều 112`);
    for (const fixed of ['01-01', '04-30', '05-01', '09-02'])
      assert.ok(holidays.includes(`${year}-${fixed}`), fixed);
    assert.ok(
      holidays.includes(`${year}-09-01`) !== holidays.includes(`${year}-09-03`),
      `${year}: one day next to 2/9`,
    );
    assert.ok(holidays.includes(tet[year]!), `${year}: mùng 1 Tết`);
    assert.ok(holidays.includes(hungKings[year]!), `${year}: 10/3 âm lịch`);
    const dates = entries.map((e) => e.date);
    assert.deepEqual(dates, [...new Set(dates)].sort(), `${year}: sorted, no duplicates`);
    for (const e of entries) {
      assert.ok(['holiday', 'substitute', 'swap'].includes(e.kind), `${e.date} kind`);
      assert.ok(['official', 'labour_code'].includes(e.basis), `${e.date} basis`);
      if (e.basis === 'official')
        assert.ok(e.ref && file.announcements[e.ref], `${e.date} cites an announcement`);
      if (e.kind !== 'holiday') assert.ok(!weekend(e.date), `${e.date}: a day off in lieu is a weekday`);
    }
    const onWeekend = holidays.filter(weekend).length;
    const substitutes = entries.filter((e) => e.kind === 'substitute').length;
    assert.equal(substitutes, onWeekend, `${year}: one compensatory day per holiday on a weekend`);
  }
  for (const year of ['2025', '2026']) {
    assert.ok(
      file.years[year]!.every((e) => e.basis === 'official'),
      `${year} is the announced schedule`,
    );
  }
  for (const year of ['2027', '2028', '2029', '2030']) {
    assert.ok(
      file.years[year]!.every((e) => e.basis === 'labour_code'),
      `${year} is derived`,
    );
  }
});

const isoDates = fc
  .integer({ min: Date.UTC(2024, 0, 1) / 86_400_000, max: Date.UTC(2030, 11, 31) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

test('property: workingDaysBetween(d, addWorkingDays(d, n)) === n, and the result is a working day', () => {
  fc.assert(
    fc.property(isoDates, fc.integer({ min: 0, max: 60 }), fc.boolean(), (start, n, withMakeUp) => {
      const makeUp = withMakeUp ? MAKE_UP : NONE;
      const end = addWorkingDays(start, n, HOLIDAYS, makeUp);
      assert.equal(workingDaysBetween(start, end, HOLIDAYS, makeUp), n);
      assert.equal(workingDaysBetween(end, start, HOLIDAYS, makeUp), 0 - n); // +0 when n is 0
      if (n > 0) {
        assert.ok(end > start);
        assert.ok(isWorkingDay(end, HOLIDAYS, makeUp), end);
      } else {
        assert.equal(end, start);
      }
    }),
  );
});

test('property: adding a then b working days is adding a + b', () => {
  fc.assert(
    fc.property(isoDates, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (start, a, b) => {
      assert.equal(
        addWorkingDays(addWorkingDays(start, a, HOLIDAYS), b, HOLIDAYS),
        addWorkingDays(start, a + b, HOLIDAYS),
      );
    }),
  );
});

test('property: workingDaysBetween is additive over consecutive spans', () => {
  fc.assert(
    fc.property(isoDates, isoDates, isoDates, (a, b, c) => {
      assert.equal(
        workingDaysBetween(a, b, HOLIDAYS) + workingDaysBetween(b, c, HOLIDAYS),
        workingDaysBetween(a, c, HOLIDAYS),
      );
    }),
    { numRuns: 50 },
  );
});
