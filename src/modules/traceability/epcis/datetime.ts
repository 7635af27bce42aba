/**
 * RFC 3339 date-times as EPCIS writes them (`2005-04-03T20:33:31.116-06:00`, `…Z`): an offset is
 * required, any number of fraction digits is allowed. Normalised to the UTC instant with
 * millisecond precision, the third decimal rounded up when the fourth is 5–9 (the rule of the CBV
 * event hash, used for the stored projection too).
 */

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const OFFSET = /^[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Milliseconds since the epoch (rounded as above), or null when it is not an RFC 3339 date-time. */
export function dateTimeMillis(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = '', zulu, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  let offsetMinutes = 0;
  if (!zulu) {
    if (Number(oh) > 23 || Number(om) > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  }
  const local = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s));
  // years 0000–0099 are taken by Date.UTC as 1900–1999
  const base = year < 100 ? new Date(local).setUTCFullYear(year) : local;
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const roundUp = fraction.length > 3 && fraction.charCodeAt(3) >= 53 /* '5' */ ? 1 : 0;
  return base + millis + roundUp - offsetMinutes * 60_000;
}

export function isDateTime(value: unknown): value is string {
  return dateTimeMillis(value) !== null;
}

/** `2005-04-04T02:33:31.116Z`: the instant in UTC with milliseconds, or null when not a date-time. */
export function utcMillisecondString(value: unknown): string | null {
  const ms = dateTimeMillis(value);
  if (ms === null) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `eventTimeZoneOffset`: `±hh:mm` from -14:00 to +14:00. */
export function isTimeZoneOffset(value: unknown): value is string {
  return typeof value === 'string' && OFFSET.test(value);
}
