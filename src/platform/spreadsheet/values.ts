/**
 * Coercion of spreadsheet cells into typed values for importers. Every function returns
 * `{ ok: true, value }` or `{ ok: false, rule, params? }` and never throws; `rule` is a message key
 * under `validation.` (`required`, `date`, `dateRange`, `integer`, `decimal`, `boolean`, `minimum`,
 * `maximum`, `maxLength`). An empty cell (null) is always `required`: importers check optional
 * columns for null before coercing.
 *
 * Dates are calendar dates. A `Date` cell is read by its UTC date, which is how exceljs represents an
 * Excel date (Excel stores wall-clock dates with no time zone).
 */
import type { Cell } from './read.ts';

export interface CellFailure {
  ok: false;
  /** Message key under `validation.`. */
  rule: string;
  params?: Record<string, string | number>;
}
export type CellResult<T> = { ok: true; value: T } | CellFailure;

const fail = (rule: string, params?: Record<string, string | number>): CellFailure =>
  params ? { ok: false, rule, params } : { ok: false, rule };

/** The dates accepted at all: anything outside is a typing slip (1/1/0202, 2204…). */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '2100-12-31';

/**
 * Excel serial numbers taken as dates: 1910-01-01 (3654) to 2100-12-31 (73415), in the 1900 date
 * system. Smaller numbers are refused because they are far likelier a year (2024) or a count than
 * a date in 1900–1909, larger ones are refused too (20240403 typed as a number).
 */
export const MIN_DATE_SERIAL = 3654;
export const MAX_DATE_SERIAL = 73415;

const DAY_MS = 86_400_000;
/** Day 0 of Excel's 1900 system, counting from 1 March 1900 on (serial 61), past its fictitious 29 Feb 1900. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a valid calendar date, or null (31/02, month 13…). */
function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function inRange(iso: string): CellResult<string> {
  if (iso < MIN_DATE || iso > MAX_DATE)
    return fail('dateRange', { min: formatDate(MIN_DATE), max: formatDate(MAX_DATE) });
  return { ok: true, value: iso };
}

const TIME = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
const DAY_FIRST = new RegExp(String.raw`^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})${TIME}$`);
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}(?:Z|[+-]\d{2}:?\d{2})?$`);
const LONG = /^ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$/iu;

/**
 * A date as ISO `YYYY-MM-DD`. Accepts `Date` cells, Excel serial numbers (see MIN_DATE_SERIAL),
 * day-first `d/m/yyyy` with `/`, `-` or `.` (`03/04/2024` is 3 April 2024), ISO `yyyy-mm-dd`,
 * and `ngày 3 tháng 4 năm 2024`, each optionally followed by a time of day, which is dropped.
 * Refuses two-digit years, month/year alone, and dates that do not exist (31/02/2024).
 */
export function parseDateCell(cell: Cell): CellResult<string> {
  if (cell === null) return fail('required');
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return fail('date');
    return inRange(isoDate(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate())!);
  }
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return fail('date');
    const serial = Math.floor(cell);
    if (serial < MIN_DATE_SERIAL || serial > MAX_DATE_SERIAL) return fail('date');
    const date = new Date(EXCEL_EPOCH_MS + serial * DAY_MS);
    return inRange(isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())!);
  }
  if (typeof cell !== 'string') return fail('date');
  const text = cell.trim();
  const dayFirst = DAY_FIRST.exec(text);
  const iso = dayFirst ? null : ISO.exec(text);
  const long = dayFirst || iso ? null : LONG.exec(text.normalize('NFC'));
  // year, month, day
  const parts = dayFirst
    ? [dayFirst[4], dayFirst[3], dayFirst[1]]
    : iso
      ? [iso[1], iso[2], iso[3]]
      : long
        ? [long[3], long[2], long[1]]
        : undefined;
  if (!parts) return fail('date');
  const date = isoDate(Number(parts[0]), Number(parts[1]), Number(parts[2]));
  return date ? inRange(date) : fail('date');
}

/** `dd/mm/yyyy` of an ISO date string or of a Date's UTC calendar date. */
export function formatDate(date: string | Date): string {
  if (typeof date === 'string') {
    const [y = '', m = '', d = ''] = date.slice(0, 10).split('-');
    return `${d}/${m}/${y}`;
  }
  return `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCFullYear(), 4)}`;
}

export interface RangeOptions {
  min?: number;
  max?: number;
}

function checkRange(value: number, options: RangeOptions): CellResult<number> {
  if (options.min !== undefined && value < options.min) return fail('minimum', { limit: options.min });
  if (options.max !== undefined && value > options.max) return fail('maximum', { limit: options.max });
  return { ok: true, value };
}

const SPACES = /[\s\u00A0\u202F]/g;

/** A sign, then digits grouped in threes by one separator used throughout, or plain digits. */
function groupedDigits(text: string): string | null {
  const m = /^([+-]?)(\d+|\d{1,3}(?:([.,' ])\d{3})(?:\3\d{3})*)$/.exec(text);
  if (!m) return null;
  const digits = m[2]!.replace(/[.,' ]/g, '');
  return `${m[1] === '-' ? '-' : ''}${digits}`;
}

/**
 * An integer. Strings may group thousands with `.` (Vietnamese), `,` (English) or spaces, always
 * in threes: `1.234.567`, `1,234,567`, `1 234 567`, `1234567`. `1,5` and `1.5` are refused.
 * Number cells must be whole and within ±2^53.
 */
export function parseIntegerCell(cell: Cell, options: RangeOptions = {}): CellResult<number> {
  if (cell === null) return fail('required');
  if (typeof cell === 'number') {
    return Number.isSafeInteger(cell) ? checkRange(cell === 0 ? 0 : cell, options) : fail('integer');
  }
  if (typeof cell !== 'string') return fail('integer');
  const digits = groupedDigits(cell.trim().replace(SPACES, ' '));
  if (digits === null) return fail('integer');
  const value = Number(digits);
  return Number.isSafeInteger(value) ? checkRange(value === 0 ? 0 : value, options) : fail('integer');
}

export interface DecimalOptions extends RangeOptions {
  /**
   * The decimal mark of the source, when known (say, from the file's locale). Without it the
   * Vietnamese convention decides the one ambiguous case: see parseDecimalCell.
   */
  decimalMark?: ',' | '.';
}

/**
 * A decimal number. Strings are read thus:
 *  1. spaces (including no-break spaces) between digit groups are thousands separators;
 *  2. when both `.` and `,` occur, the last one is the decimal mark and the other groups thousands:
 *     `1.234,5` and `1,234.5` are both 1234.5;
 *  3. when one of them occurs more than once it groups thousands: `1.234.567`;
 *  4. when one occurs once it is the decimal mark (`1,5`, `12.75`, `0,125`), except where it could
 *     equally group thousands, that is a 1–3 digit integer part not starting with 0 followed by
 *     exactly three digits (`1.234`, `12,500`): then `options.decimalMark` decides, and without it
 *     the Vietnamese convention does, `.` grouping thousands and `,` marking decimals, so `1.234`
 *     is 1234 and `1,234` is 1.234.
 * Thousands groups must have three digits. Exponents, currency signs and percent signs are refused.
 */
export function parseDecimalCell(cell: Cell, options: DecimalOptions = {}): CellResult<number> {
  if (cell === null) return fail('required');
  if (typeof cell === 'number')
    return Number.isFinite(cell) ? checkRange(cell === 0 ? 0 : cell, options) : fail('decimal');
  if (typeof cell !== 'string') return fail('decimal');
  const m = /^([+-]?)([\d.,]+)$/.exec(cell.trim().replace(/(\d)[\s\u00A0\u202F](?=\d{3}(?:\D|$))/g, '$1'));
  if (!m) return fail('decimal');
  const [, sign = '', body = ''] = m;
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  let decimalMark: ',' | '.' | null;
  if (lastDot === -1 && lastComma === -1) decimalMark = null;
  else if (lastDot !== -1 && lastComma !== -1) decimalMark = lastDot > lastComma ? '.' : ',';
  else {
    const mark = lastDot === -1 ? ',' : '.';
    const count = body.split(mark).length - 1;
    if (count > 1) decimalMark = null;
    else if (/^[1-9]\d{0,2}[.,]\d{3}$/.test(body))
      decimalMark = options.decimalMark ?? (mark === ',' ? ',' : null);
    else decimalMark = mark;
  }
  const [intPart = '', fraction, extra] = decimalMark ? body.split(decimalMark) : [body];
  if (extra !== undefined || fraction === '' || (fraction !== undefined && !/^\d+$/.test(fraction)))
    return fail('decimal');
  const integer = groupedDigits(intPart);
  if (integer === null || integer === '') return fail('decimal');
  const value = Number(`${sign === '-' ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`);
  return Number.isFinite(value) ? checkRange(value === 0 ? 0 : value, options) : fail('decimal');
}

const TRUE_WORDS = new Set(['có', 'co', 'x', 'yes', 'y', 'true', '1', 'đúng']);
const FALSE_WORDS = new Set(['không', 'khong', 'no', 'n', 'false', '0', 'sai']);

/**
 * A yes/no: `có`/`co`, `x`, `yes`/`y`, `true`, `1`, `đúng` and `không`/`khong`, `no`/`n`, `false`,
 * `0`, `sai`, in any case; boolean cells; number cells 1 and 0.
 * An empty cell is `required`, even in "tick with x" columns: the importer decides what empty means.
 */
export function parseBooleanCell(cell: Cell): CellResult<boolean> {
  if (cell === null) return fail('required');
  if (typeof cell === 'boolean') return { ok: true, value: cell };
  if (typeof cell === 'number')
    return cell === 1 ? { ok: true, value: true } : cell === 0 ? { ok: true, value: false } : fail('boolean');
  if (typeof cell !== 'string') return fail('boolean');
  const word = cell.trim().normalize('NFC').toLowerCase();
  if (TRUE_WORDS.has(word)) return { ok: true, value: true };
  if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  return fail('boolean');
}

/**
 * Text, NFC-normalised and trimmed. Number cells become their digits (a phone number typed as a
 * number has lost its leading 0, which no reader can restore), booleans `TRUE`/`FALSE`, dates
 * `dd/mm/yyyy`.
 */
export function textCell(cell: Cell, options: { maxLength?: number } = {}): CellResult<string> {
  if (cell === null) return fail('required');
  let text: string;
  if (typeof cell === 'string') text = cell.normalize('NFC').trim();
  else if (typeof cell === 'number') text = Number.isSafeInteger(cell) ? String(cell) : cell.toString();
  else if (typeof cell === 'boolean') text = cell ? 'TRUE' : 'FALSE';
  else if (Number.isNaN(cell.getTime())) return fail('invalid');
  else text = formatDate(cell);
  if (text === '') return fail('required');
  if (options.maxLength !== undefined && [...text].length > options.maxLength) {
    return fail('maxLength', { limit: options.maxLength });
  }
  return { ok: true, value: text };
}
