/**
 * A certificate's status on a given day, its validity period, its re-evaluation window and the
 * reminders due — pure functions of the certificate's dates and the day, with no I/O.
 *
 * The rules (QĐ 26/2026/QĐ-TTg):
 * - valid for 36 months from the issue date (Điều 4.3). A period in months ends on the
 *   corresponding day of its last month, or on that month's last day when it has no such day,
 *   and the certificate is in force through that day (Bộ luật Dân sự 2015, Điều 147–148):
 *   issued 05/02/2026 → valid until 05/02/2029, expired from 06/02/2029;
 * - re-evaluation is filed no earlier than 180 and no later than 120 days before expiry (Điều 7.6);
 * - a re-evaluation filed in time keeps the certificate in force until it is decided, for at
 *   most 180 days after the end date: in time is within the window; for a certificate issued
 *   before QĐ 26/2026 took effect, also later, up to its end date (Điều 12, transition rule);
 * - revocation (Điều 8) and supersession (an upgrade or re-evaluation recognised) end it on
 *   their date.
 */
import { addDays } from '../../platform/time.ts';
import type { CertificateStatus } from './certificate.model.ts';

export const VALIDITY_MONTHS = 36;
/** The re-evaluation window opens this many days before the end date … */
export const WINDOW_OPENS_DAYS = 180;
/** … and closes this many days before it. */
export const WINDOW_CLOSES_DAYS = 120;
/** How long a filed re-evaluation keeps the certificate in force after its end date. */
export const PENDING_GRACE_DAYS = 180;
/** A reminder whose day passed more than this many days ago is recorded but not sent. */
export const REMINDER_CATCH_UP_DAYS = 30;

/** The dates the status follows from ('YYYY-MM-DD'). */
export interface CertificateDates {
  issuedOn: string;
  /** The last day the certificate is in force. */
  validUntil: string;
  revokedOn: string | null;
  supersededOn: string | null;
  /** The day a re-evaluation dossier was filed for the product, while this certificate was current. */
  reevaluationFiledOn: string | null;
  /** The day that re-evaluation ended without a new certificate (not recognised, withdrawn). */
  reevaluationEndedOn: string | null;
}

export interface StatusOnDay {
  status: CertificateStatus;
  /** The first day of this status (null: from the start). */
  since: string | null;
  /** The last day of this status, when it is known to end (null: open-ended). */
  until: string | null;
}

/** The standard end date: 36 months after the issue date (see above). */
export function standardValidUntil(issuedOn: string): string {
  const [y, m, d] = issuedOn.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + VALIDITY_MONTHS;
  const year = y + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The re-evaluation window: the first and the last day a re-evaluation may be filed. */
export function reevaluationWindow(validUntil: string): { opens: string; closes: string } {
  return { opens: addDays(validUntil, -WINDOW_OPENS_DAYS), closes: addDays(validUntil, -WINDOW_CLOSES_DAYS) };
}

/** The day QĐ 26/2026/QĐ-TTg was signed and took effect (its Điều 12 covers what came before). */
export const TRANSITION_DAY = '2026-05-22';

/**
 * Whether a filed re-evaluation holds the certificate past its end date: filed within the window
 * (by 120 days before expiry, Điều 7.6), or — for a certificate issued before QĐ 26/2026, under
 * the transition rule of Điều 12 — filed at any time before it expired.
 */
export function filedInTime(c: CertificateDates): boolean {
  if (c.reevaluationFiledOn === null) return false;
  if (c.reevaluationFiledOn <= reevaluationWindow(c.validUntil).closes) return true;
  return c.issuedOn < TRANSITION_DAY && c.reevaluationFiledOn <= c.validUntil;
}

/**
 * The first day the certificate is expired, if nothing else ends it first: the day after its end
 * date, or — when a re-evaluation was filed in time — the day that re-evaluation ended without a
 * new certificate, and at the latest 180 days after the end date.
 */
export function expiresOn(c: CertificateDates): string {
  const dayAfter = addDays(c.validUntil, 1);
  if (!filedInTime(c)) return dayAfter;
  const graceEnd = addDays(c.validUntil, PENDING_GRACE_DAYS + 1);
  const ended = c.reevaluationEndedOn;
  if (ended === null || ended >= graceEnd) return graceEnd;
  return [ended, dayAfter].sort()[1]!;
}

/** The status on `today`, with the days it runs from and to. */
export function certificateStatus(c: CertificateDates, today: string): StatusOnDay {
  if (c.revokedOn !== null && c.revokedOn <= today)
    return { status: 'revoked', since: c.revokedOn, until: null };
  if (c.supersededOn !== null && c.supersededOn <= today)
    return {
      status: 'superseded',
      since: c.supersededOn,
      until: c.revokedOn === null ? null : addDays(c.revokedOn, -1),
    };
  // what ends the certificate early, if it is already decided (a revocation or a successor dated later)
  const endsEarly = [c.revokedOn, c.supersededOn].filter((d): d is string => d !== null).sort()[0] ?? null;
  const capped = (until: string) =>
    endsEarly !== null && addDays(endsEarly, -1) < until ? addDays(endsEarly, -1) : until;
  if (today < c.issuedOn) return { status: 'not_yet_valid', since: null, until: addDays(c.issuedOn, -1) };
  const window = reevaluationWindow(c.validUntil);
  if (today <= c.validUntil) {
    if (today < window.opens)
      return { status: 'valid', since: c.issuedOn, until: capped(addDays(window.opens, -1)) };
    if (today <= window.closes)
      return { status: 'reevaluation_window', since: window.opens, until: capped(window.closes) };
    return { status: 'valid', since: addDays(window.closes, 1), until: capped(c.validUntil) };
  }
  const expired = expiresOn(c);
  if (today < expired)
    return {
      status: 'valid_pending_reevaluation',
      since: addDays(c.validUntil, 1),
      until: capped(addDays(expired, -1)),
    };
  return { status: 'expired', since: expired, until: endsEarly === null ? null : addDays(endsEarly, -1) };
}

/** The reminders the daily job sends, in the order they fall due. */
export const REMINDER_KINDS = ['window_open', 'window_150', 'window_close', 'expired'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** The day each reminder falls due. */
export function reminderDays(c: CertificateDates): Record<ReminderKind, string> {
  const window = reevaluationWindow(c.validUntil);
  return {
    window_open: window.opens,
    window_150: addDays(c.validUntil, -150),
    window_close: window.closes,
    expired: expiresOn(c),
  };
}

/**
 * What the daily job does for one certificate on `today`, given the reminders already recorded:
 * `record` every reminder now due and not yet recorded; `send` the latest of them, unless its day
 * is more than 30 days gone (a certificate imported long after the fact, or a job that did not
 * run for weeks) or the certificate ended (revoked, superseded). The window reminders are not
 * sent once a re-evaluation has been filed. Running it twice records and sends nothing more.
 */
export function dueReminders(
  c: CertificateDates,
  today: string,
  recorded: ReadonlySet<ReminderKind>,
): { record: ReminderKind[]; send: ReminderKind | null } {
  const { status } = certificateStatus(c, today);
  if (status === 'revoked' || status === 'superseded' || status === 'not_yet_valid')
    return { record: [], send: null };
  const days = reminderDays(c);
  const record = REMINDER_KINDS.filter((kind) => !recorded.has(kind) && days[kind] <= today);
  const latest = record.at(-1) ?? null;
  if (latest === null) return { record, send: null };
  const stale = days[latest] < addDays(today, -REMINDER_CATCH_UP_DAYS);
  const filed = latest !== 'expired' && c.reevaluationFiledOn !== null;
  return { record, send: stale || filed ? null : latest };
}
