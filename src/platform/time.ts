/** Dates as people in Vietnam read them: stored in UTC, shown in Asia/Ho_Chi_Minh. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const isoDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Vietnam, YYYY-MM-DD. */
export function todayInVietnam(now: Date = new Date()): string {
  return isoDate.format(now);
}

/** 'YYYY-MM-DD' → '29/11/2026' (vi) or '29 Nov 2026' (en). */
export function formatDate(value: string | null | undefined, locale: string): string {
  if (!value) return '';
  const [y, m, d] = value.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'UTC',
    day: '2-digit',
    month: locale === 'vi' ? '2-digit' : 'short',
    year: 'numeric',
  });
}

export function formatDateTime(value: Date | string | null | undefined, locale: string): string {
  if (!value) return '';
  return new Date(value).toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function utcDay(iso: string): number {
  if (!ISO_DAY.test(iso)) throw new RangeError(`not a date: ${iso}`);
  const [y, m, d] = iso.split('-').map(Number);
  const time = Date.UTC(y!, m! - 1, d!);
  if (new Date(time).toISOString().slice(0, 10) !== iso) throw new RangeError(`not a date: ${iso}`);
  return time;
}

/** Whether a string is a real calendar date written YYYY-MM-DD ('2026-02-30' is not). */
export function isCalendarDate(iso: string): boolean {
  try {
    utcDay(iso);
    return true;
  } catch {
    return false;
  }
}

/** A calendar date plus `days` calendar days: addDays('2026-12-20', 45) → '2027-02-03'. */
export function addDays(iso: string, days: number): string {
  return new Date(utcDay(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / DAY_MS);
}
