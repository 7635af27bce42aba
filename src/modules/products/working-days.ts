/**
 * Working days of the state administration, for deadlines counted in working days (the commune
 * has 15 working days to check an OCOP dossier).
 *
 * Decides which calendar days are working days and counts them. A day is a working day unless it
 * is a Saturday or Sunday (the 40-hour, Monday–Friday week of state bodies) or a day off listed in
 * `data/holidays/vietnam.json`: the public holidays of Bộ luật Lao động 2019 Điều 112, the
 * compensatory days of Điều 111 khoản 3 when a holiday falls on a weekend, and the days swapped
 * off in the Government's yearly holiday schedule. A Saturday that the schedule makes a make-up
 * working day (làm bù) counts as a working day when it is passed in `makeUpWorkingDays`.
 * The data file and its sources are described in `data/holidays/README.md`.
 *
 * Dates are ISO calendar dates ('YYYY-MM-DD') with no time zone: the day as printed on a
 * Vietnamese calendar. Everything here is pure except holidaysFromFile and
 * makeUpWorkingDaysFromFile, which read the data file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../platform/paths.ts';

/** Where the holiday list lives, relative to the project root. */
export const HOLIDAYS_FILE = 'data/holidays/vietnam.json';

const NONE: ReadonlySet<string> = new Set();
const DAY_MS = 86_400_000;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Days since 1970-01-01 of a valid ISO date; RangeError otherwise (also for 2025-02-30). */
function toDayNumber(isoDate: string): number {
  const match = ISO_DATE.exec(isoDate);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return date.getTime() / DAY_MS;
    }
  }
  throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(isoDate)}`);
}

function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 1970-01-01 was a Thursday: day number 2 is a Saturday, 3 a Sunday (mod 7). */
function isWeekend(dayNumber: number): boolean {
  const weekday = (((dayNumber + 4) % 7) + 7) % 7; // 0 = Sunday … 6 = Saturday
  return weekday === 0 || weekday === 6;
}

function isWorkingDayNumber(
  dayNumber: number,
  holidays: ReadonlySet<string>,
  makeUpWorkingDays: ReadonlySet<string>,
): boolean {
  const iso = fromDayNumber(dayNumber);
  if (holidays.has(iso)) return false;
  return !isWeekend(dayNumber) || makeUpWorkingDays.has(iso);
}

/**
 * Whether the state administration works on this date: not a listed holiday, and either a
 * weekday or a make-up Saturday/Sunday. Throws RangeError for a malformed date.
 */
export function isWorkingDay(
  isoDate: string,
  holidays: ReadonlySet<string>,
  makeUpWorkingDays: ReadonlySet<string> = NONE,
): boolean {
  return isWorkingDayNumber(toDayNumber(isoDate), holidays, makeUpWorkingDays);
}

/**
 * The date by which `days` working days after the start date have passed: the start date itself
 * does not count, whether or not it is a working day; the result is the `days`-th working day
 * after it (a working day itself when days > 0). With days = 0 it is the start date.
 * Throws RangeError for a malformed date or a days that is not a non-negative integer.
 * Example: a dossier received on Friday 2026-02-13, 15 working days, Tết 2026 (16–20 Feb) off:
 * the deadline is Friday 2026-03-13.
 */
export function addWorkingDays(
  startIsoDate: string,
  days: number,
  holidays: ReadonlySet<string>,
  makeUpWorkingDays: ReadonlySet<string> = NONE,
): string {
  let dayNumber = toDayNumber(startIsoDate);
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new RangeError(`days must be a non-negative integer, got ${days}`);
  }
  let counted = 0;
  while (counted < days) {
    dayNumber++;
    if (isWorkingDayNumber(dayNumber, holidays, makeUpWorkingDays)) counted++;
  }
  return fromDayNumber(dayNumber);
}

/**
 * The number of working days after `fromIso` up to and including `toIso` (0 when equal), or that
 * number negated when `toIso` is before `fromIso` (working days after `toIso` up to and including
 * `fromIso`). For days ≥ 0: workingDaysBetween(d, addWorkingDays(d, days)) === days.
 */
export function workingDaysBetween(
  fromIso: string,
  toIso: string,
  holidays: ReadonlySet<string>,
  makeUpWorkingDays: ReadonlySet<string> = NONE,
): number {
  const from = toDayNumber(fromIso);
  const to = toDayNumber(toIso);
  const [first, last] = from <= to ? [from, to] : [to, from];
  let count = 0;
  for (let dayNumber = first + 1; dayNumber <= last; dayNumber++) {
    if (isWorkingDayNumber(dayNumber, holidays, makeUpWorkingDays)) count++;
  }
  return from <= to ? count : 0 - count; // 0 - 0 is +0, not -0
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The dates of `{ "<year>": [{ "date": …, "name": … }, …] }`, each checked to be in its year. */
function datesByYear(section: unknown, what: string): string[] {
  if (!isRecord(section)) throw new TypeError(`${what}: expected an object of years`);
  const dates: string[] = [];
  for (const [year, entries] of Object.entries(section)) {
    if (!/^[0-9]{4}$/.test(year)) throw new TypeError(`${what}: "${year}" is not a year`);
    if (!Array.isArray(entries)) throw new TypeError(`${what}.${year}: expected a list`);
    for (const entry of entries) {
      if (!isRecord(entry) || typeof entry.date !== 'string' || typeof entry.name !== 'string') {
        throw new TypeError(`${what}.${year}: every entry needs a string date and name`);
      }
      toDayNumber(entry.date);
      if (!entry.date.startsWith(`${year}-`)) {
        throw new RangeError(`${what}.${year}: ${entry.date} is not in ${year}`);
      }
      dates.push(entry.date);
    }
  }
  return dates;
}

/**
 * The days off listed under `years` in the holiday file's content (already parsed): every entry,
 * whatever its kind (holiday, substitute, swap) or basis. Throws TypeError or RangeError when the
 * content is not of the file's shape, so that a bad edit fails loudly at start-up.
 */
export function loadHolidays(json: unknown): Set<string> {
  if (!isRecord(json)) throw new TypeError('holidays: expected an object');
  return new Set(datesByYear(json.years, 'years'));
}

/**
 * The make-up working days (Saturdays or Sundays worked in exchange for a swapped day off) listed
 * under `makeUpWorkingDays` in the holiday file's content; an absent section is an empty set.
 * Throws when an entry is malformed, is not on a weekend, or is also listed as a day off.
 */
export function loadMakeUpWorkingDays(json: unknown): Set<string> {
  if (!isRecord(json)) throw new TypeError('holidays: expected an object');
  if (json.makeUpWorkingDays === undefined) return new Set();
  const days = new Set(datesByYear(json.makeUpWorkingDays, 'makeUpWorkingDays'));
  const holidays = loadHolidays(json);
  for (const day of days) {
    if (!isWeekend(toDayNumber(day))) throw new RangeError(`makeUpWorkingDays: ${day} is not a weekend day`);
    if (holidays.has(day)) throw new RangeError(`makeUpWorkingDays: ${day} is also a day off`);
  }
  return days;
}

function readHolidayFile(): unknown {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, HOLIDAYS_FILE), 'utf8'));
}

/** The days off of `data/holidays/vietnam.json` (reads the file on every call). */
export function holidaysFromFile(): Set<string> {
  return loadHolidays(readHolidayFile());
}

/** The make-up working days of `data/holidays/vietnam.json` (reads the file on every call). */
export function makeUpWorkingDaysFromFile(): Set<string> {
  return loadMakeUpWorkingDays(readHolidayFile());
}
