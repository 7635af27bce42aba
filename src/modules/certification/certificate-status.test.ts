import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDays } from '../../platform/time.ts';
import { CERTIFICATE_STATUSES, type CertificateStatus } from './certificate.model.ts';
import {
  type CertificateDates,
  certificateStatus,
  dueReminders,
  expiresOn,
  filedInTime,
  PENDING_GRACE_DAYS,
  REMINDER_CATCH_UP_DAYS,
  REMINDER_KINDS,
  type ReminderKind,
  reevaluationWindow,
  reminderDays,
  type StatusOnDay,
  standardValidUntil,
  VALIDITY_MONTHS,
  WINDOW_CLOSES_DAYS,
  WINDOW_OPENS_DAYS,
} from './certificate-status.ts';

// The running example: issued 05/02/2026, in force through 05/02/2029, expired from 06/02/2029.
const ISSUED = '2026-02-05';
const VALID_UNTIL = '2029-02-05';
const OPENS = '2028-08-09'; // VALID_UNTIL − 180
const W150 = '2028-09-08'; // VALID_UNTIL − 150
const CLOSES = '2028-10-08'; // VALID_UNTIL − 120
const EXPIRED = '2029-02-06'; // VALID_UNTIL + 1
const GRACE_LAST = '2029-08-04'; // VALID_UNTIL + 180
const GRACE_END = '2029-08-05'; // VALID_UNTIL + 181

/** The running example, with some of its dates changed. */
function cert(over: Partial<CertificateDates> = {}): CertificateDates {
  return {
    issuedOn: ISSUED,
    validUntil: VALID_UNTIL,
    revokedOn: null,
    supersededOn: null,
    reevaluationFiledOn: null,
    reevaluationEndedOn: null,
    ...over,
  };
}
const day = (n: number) => addDays(VALID_UNTIL, n);
const on = (status: CertificateStatus, since: string | null, until: string | null): StatusOnDay => ({
  status,
  since,
  until,
});
const recorded = (...kinds: ReminderKind[]) => new Set<ReminderKind>(kinds);
const WINDOW_REMINDERS: ReminderKind[] = ['window_open', 'window_150', 'window_close'];

// ---------------------------------------------------------------------------------------------
// constants and the running example

test('the rule constants', () => {
  assert.equal(VALIDITY_MONTHS, 36);
  assert.equal(WINDOW_OPENS_DAYS, 180);
  assert.equal(WINDOW_CLOSES_DAYS, 120);
  assert.equal(PENDING_GRACE_DAYS, 180);
  assert.equal(REMINDER_CATCH_UP_DAYS, 30);
  assert.deepEqual(REMINDER_KINDS, ['window_open', 'window_150', 'window_close', 'expired']);
});

test('the running example’s dates are what the test says they are', () => {
  assert.equal(standardValidUntil(ISSUED), VALID_UNTIL);
  assert.equal(OPENS, day(-180));
  assert.equal(W150, day(-150));
  assert.equal(CLOSES, day(-120));
  assert.equal(EXPIRED, day(1));
  assert.equal(GRACE_LAST, day(180));
  assert.equal(GRACE_END, day(181));
});

// ---------------------------------------------------------------------------------------------
// standardValidUntil

test('standardValidUntil: 36 months, ending on the corresponding day (BLDS 2015, Điều 147–148)', () => {
  const cases: [issuedOn: string, validUntil: string, why: string][] = [
    ['2026-02-05', '2029-02-05', 'the example in the doc comment'],
    ['2026-01-01', '2029-01-01', 'first day of the year'],
    ['2026-12-31', '2029-12-31', 'last day of the year'],
    ['2023-02-28', '2026-02-28', 'Feb 28 in a common year → Feb 28'],
    ['2024-02-28', '2027-02-28', 'Feb 28 in a leap year is not the month’s last day: stays 28'],
    ['2024-02-29', '2027-02-28', 'Feb 29 → no such day in 2027: the month’s last day'],
    ['2025-03-01', '2028-03-01', 'the day after Feb 28 stays Mar 1, even into a leap year'],
    ['2021-02-28', '2024-02-28', 'into a leap year: the corresponding day, not the month’s end'],
    ['2026-01-31', '2029-01-31', '31-day month'],
    ['2025-08-31', '2028-08-31', '31-day month'],
    ['2026-03-31', '2029-03-31', '31-day month'],
    ['2025-05-31', '2028-05-31', '31-day month'],
    ['2025-11-30', '2028-11-30', '30-day month'],
    ['2023-03-29', '2026-03-29', 'the 29th outside February'],
    ['2019-01-01', '2022-01-01', 'the property range’s start'],
    ['2035-12-31', '2038-12-31', 'the property range’s end'],
  ];
  for (const [issuedOn, validUntil, why] of cases)
    assert.equal(standardValidUntil(issuedOn), validUntil, why);
});

test('standardValidUntil: every day 2019–2035 keeps its month and day, three years on; only Feb 29 shortens', () => {
  for (let d = '2019-01-01'; d <= '2035-12-31'; d = addDays(d, 1)) {
    const [y, m, dd] = d.split('-') as [string, string, string];
    const expected = m === '02' && dd === '29' ? `${Number(y) + 3}-02-28` : `${Number(y) + 3}-${m}-${dd}`;
    assert.equal(standardValidUntil(d), expected, d);
  }
});

// ---------------------------------------------------------------------------------------------
// reevaluationWindow, expiresOn, reminderDays

test('reevaluationWindow: from 180 to 120 days before the end date, both days included', () => {
  assert.deepEqual(reevaluationWindow(VALID_UNTIL), { opens: OPENS, closes: CLOSES });
  // across Feb 29 2028
  assert.deepEqual(reevaluationWindow('2028-06-30'), { opens: '2028-01-02', closes: '2028-03-02' });
  assert.deepEqual(reevaluationWindow('2027-06-30'), { opens: '2027-01-01', closes: '2027-03-02' });
});

test('expiresOn: the day after the end date, or later when a re-evaluation was filed in time', () => {
  const cases: [over: Partial<CertificateDates>, expires: string, why: string][] = [
    [{}, EXPIRED, 'nothing filed'],
    [{ reevaluationFiledOn: OPENS }, GRACE_END, 'filed, undecided: 180 days of grace'],
    [{ reevaluationFiledOn: VALID_UNTIL }, GRACE_END, 'filed on the end date itself: in time'],
    [{ reevaluationFiledOn: day(-400) }, GRACE_END, 'filed before the window: still filed by the end date'],
    [{ reevaluationFiledOn: EXPIRED }, EXPIRED, 'filed the day after the end date: too late'],
    [{ reevaluationFiledOn: day(100) }, EXPIRED, 'filed long after: too late'],
    [{ reevaluationFiledOn: OPENS, reevaluationEndedOn: day(40) }, day(40), 'ended during the grace'],
    [
      { reevaluationFiledOn: OPENS, reevaluationEndedOn: EXPIRED },
      EXPIRED,
      'ended the day after the end date',
    ],
    [{ reevaluationFiledOn: OPENS, reevaluationEndedOn: VALID_UNTIL }, EXPIRED, 'ended on the end date'],
    [{ reevaluationFiledOn: OPENS, reevaluationEndedOn: CLOSES }, EXPIRED, 'ended before the end date'],
    [
      { reevaluationFiledOn: OPENS, reevaluationEndedOn: GRACE_LAST },
      GRACE_LAST,
      'ended on the grace’s last day',
    ],
    [{ reevaluationFiledOn: OPENS, reevaluationEndedOn: GRACE_END }, GRACE_END, 'ended as the grace ends'],
    [{ reevaluationFiledOn: OPENS, reevaluationEndedOn: day(300) }, GRACE_END, 'ended after the grace'],
    [{ reevaluationFiledOn: EXPIRED, reevaluationEndedOn: day(40) }, EXPIRED, 'filed late, ended: no grace'],
  ];
  for (const [over, expires, why] of cases) assert.equal(expiresOn(cert(over)), expires, why);
});

test('reminderDays: the exact day of each reminder', () => {
  assert.deepEqual(reminderDays(cert()), {
    window_open: '2028-08-09',
    window_150: '2028-09-08',
    window_close: '2028-10-08',
    expired: '2029-02-06',
  });
  // a re-evaluation filed in time moves the 'expired' reminder to the end of the grace…
  assert.deepEqual(reminderDays(cert({ reevaluationFiledOn: OPENS })), {
    window_open: OPENS,
    window_150: W150,
    window_close: CLOSES,
    expired: GRACE_END,
  });
  // … or to the day it ended without a new certificate
  assert.equal(
    reminderDays(cert({ reevaluationFiledOn: OPENS, reevaluationEndedOn: day(40) })).expired,
    day(40),
  );
  // leap-year issue
  assert.deepEqual(reminderDays(cert({ issuedOn: '2024-02-29', validUntil: '2027-02-28' })), {
    window_open: '2026-09-01',
    window_150: '2026-10-01',
    window_close: '2026-10-31',
    expired: '2027-03-01',
  });
});

// ---------------------------------------------------------------------------------------------
// certificateStatus

test('certificateStatus, nothing filed: every boundary day', () => {
  const valid1 = on('valid', ISSUED, day(-181));
  const window = on('reevaluation_window', OPENS, CLOSES);
  const valid2 = on('valid', day(-119), VALID_UNTIL);
  const expired = on('expired', EXPIRED, null);
  const cases: [today: string, expected: StatusOnDay, why: string][] = [
    ['2000-01-01', on('not_yet_valid', null, '2026-02-04'), 'long before issue'],
    ['2026-02-04', on('not_yet_valid', null, '2026-02-04'), 'the day before issue'],
    [ISSUED, valid1, 'issue day'],
    ['2026-02-06', valid1, 'the day after issue'],
    ['2028-08-08', valid1, 'the window opens tomorrow'],
    [OPENS, window, 'the window opens (end date − 180)'],
    [day(-150), window, 'mid-window'],
    [CLOSES, window, 'the window closes (end date − 120)'],
    ['2028-10-09', valid2, 'the day after the window closes'],
    [day(-1), valid2, 'the day before the end date'],
    [VALID_UNTIL, valid2, 'the end date: still in force'],
    [EXPIRED, expired, 'the day after the end date'],
    [GRACE_END, expired, 'no grace without a re-evaluation'],
    ['2100-01-01', expired, 'far future'],
  ];
  for (const [today, expected, why] of cases)
    assert.deepEqual(certificateStatus(cert(), today), expected, why);
});

test('certificateStatus, re-evaluation filed in time: pending for at most 180 days after the end date', () => {
  const pending = on('valid_pending_reevaluation', EXPIRED, GRACE_LAST);
  for (const filed of [day(-400), OPENS, CLOSES, day(-1), VALID_UNTIL]) {
    const c = cert({ reevaluationFiledOn: filed });
    const cases: [today: string, expected: StatusOnDay][] = [
      [CLOSES, on('reevaluation_window', OPENS, CLOSES)],
      [VALID_UNTIL, on('valid', day(-119), VALID_UNTIL)],
      [EXPIRED, pending],
      [day(90), pending],
      [GRACE_LAST, pending],
      [GRACE_END, on('expired', GRACE_END, null)],
      ['2100-01-01', on('expired', GRACE_END, null)],
    ];
    for (const [today, expected] of cases)
      assert.deepEqual(certificateStatus(c, today), expected, `filed ${filed}, on ${today}`);
  }
});

test('certificateStatus, re-evaluation filed after the end date: no grace', () => {
  for (const filed of [EXPIRED, day(30), day(200)]) {
    const c = cert({ reevaluationFiledOn: filed });
    assert.deepEqual(certificateStatus(c, VALID_UNTIL), on('valid', day(-119), VALID_UNTIL), filed);
    assert.deepEqual(certificateStatus(c, EXPIRED), on('expired', EXPIRED, null), filed);
    assert.deepEqual(certificateStatus(c, GRACE_LAST), on('expired', EXPIRED, null), filed);
  }
});

test('certificateStatus, re-evaluation filed and ended without a new certificate', () => {
  const cases: [ended: string, today: string, expected: StatusOnDay, why: string][] = [
    // ended during the grace (+40): pending through +39, expired from +40
    [day(40), VALID_UNTIL, on('valid', day(-119), VALID_UNTIL), 'before the end date: valid'],
    [day(40), EXPIRED, on('valid_pending_reevaluation', EXPIRED, day(39)), 'pending, until +39'],
    [day(40), day(39), on('valid_pending_reevaluation', EXPIRED, day(39)), '+39: pending'],
    [day(40), day(40), on('expired', day(40), null), '+40: expired since +40'],
    [day(40), day(41), on('expired', day(40), null), '+41'],
    // ended before the end date: expired the day after it, like any other
    [CLOSES, VALID_UNTIL, on('valid', day(-119), VALID_UNTIL), 'ended before: valid through the end date'],
    [CLOSES, EXPIRED, on('expired', EXPIRED, null), 'ended before: expired at +1'],
    [VALID_UNTIL, EXPIRED, on('expired', EXPIRED, null), 'ended on the end date: expired at +1'],
    [EXPIRED, EXPIRED, on('expired', EXPIRED, null), 'ended at +1: expired at +1'],
    // ended on +2: one pending day
    [day(2), EXPIRED, on('valid_pending_reevaluation', EXPIRED, EXPIRED), 'ended at +2: one day pending'],
    [day(2), day(2), on('expired', day(2), null), 'ended at +2: expired at +2'],
    // ended after the grace: the grace ends it first
    [day(300), GRACE_LAST, on('valid_pending_reevaluation', EXPIRED, GRACE_LAST), 'ended after: pending'],
    [day(300), GRACE_END, on('expired', GRACE_END, null), 'ended after the grace: expired at +181'],
    [day(300), day(300), on('expired', GRACE_END, null), 'ended after the grace: still since +181'],
    [GRACE_END, GRACE_END, on('expired', GRACE_END, null), 'ended at +181'],
  ];
  for (const [ended, today, expected, why] of cases) {
    const c = cert({ reevaluationFiledOn: OPENS, reevaluationEndedOn: ended });
    assert.deepEqual(certificateStatus(c, today), expected, why);
  }
});

test('certificateStatus, revoked: its normal status through the day before, revoked from the day', () => {
  const cases: [revokedOn: string, over: Partial<CertificateDates>, dayBefore: StatusOnDay, why: string][] = [
    [ISSUED, {}, on('not_yet_valid', null, '2026-02-04'), 'on issue day'],
    ['2026-02-06', {}, on('valid', ISSUED, ISSUED), 'the day after issue'],
    ['2027-06-10', {}, on('valid', ISSUED, '2027-06-09'), 'while valid'],
    [OPENS, {}, on('valid', ISSUED, day(-181)), 'as the window opens'],
    ['2028-09-20', {}, on('reevaluation_window', OPENS, '2028-09-19'), 'during the window'],
    [day(-119), {}, on('reevaluation_window', OPENS, CLOSES), 'the day after the window'],
    ['2028-12-01', {}, on('valid', day(-119), '2028-11-30'), 'after the window'],
    [VALID_UNTIL, {}, on('valid', day(-119), day(-1)), 'on the end date'],
    [day(50), { reevaluationFiledOn: OPENS }, on('valid_pending_reevaluation', EXPIRED, day(49)), 'pending'],
    [EXPIRED, { reevaluationFiledOn: OPENS }, on('valid', day(-119), VALID_UNTIL), 'as pending starts'],
  ];
  for (const [revokedOn, over, dayBefore, why] of cases) {
    const c = cert({ revokedOn, ...over });
    assert.deepEqual(certificateStatus(c, addDays(revokedOn, -1)), dayBefore, `${why}: the day before`);
    assert.deepEqual(certificateStatus(c, revokedOn), on('revoked', revokedOn, null), `${why}: on the day`);
    assert.deepEqual(
      certificateStatus(c, '2100-01-01'),
      on('revoked', revokedOn, null),
      `${why}: far future`,
    );
  }
  // a revocation later than the current status's end does not shorten it
  const later = cert({ revokedOn: '2028-12-01' });
  assert.deepEqual(certificateStatus(later, ISSUED), on('valid', ISSUED, day(-181)));
  assert.deepEqual(certificateStatus(later, OPENS), on('reevaluation_window', OPENS, CLOSES));
});

test('certificateStatus, superseded: its normal status through the day before, superseded from the day', () => {
  const cases: [
    supersededOn: string,
    over: Partial<CertificateDates>,
    dayBefore: StatusOnDay,
    why: string,
  ][] = [
    ['2027-06-10', {}, on('valid', ISSUED, '2027-06-09'), 'upgraded while valid'],
    ['2028-09-20', {}, on('reevaluation_window', OPENS, '2028-09-19'), 'during the window'],
    [day(-30), { reevaluationFiledOn: OPENS }, on('valid', day(-119), day(-31)), 'recognised early'],
    [VALID_UNTIL, { reevaluationFiledOn: OPENS }, on('valid', day(-119), day(-1)), 'on the end date'],
    [EXPIRED, { reevaluationFiledOn: OPENS }, on('valid', day(-119), VALID_UNTIL), 'the day after'],
    [day(100), { reevaluationFiledOn: OPENS }, on('valid_pending_reevaluation', EXPIRED, day(99)), 'pending'],
    [GRACE_LAST, { reevaluationFiledOn: OPENS }, on('valid_pending_reevaluation', EXPIRED, day(179)), 'last'],
  ];
  for (const [supersededOn, over, dayBefore, why] of cases) {
    const c = cert({ supersededOn, ...over });
    assert.deepEqual(certificateStatus(c, addDays(supersededOn, -1)), dayBefore, `${why}: the day before`);
    assert.deepEqual(
      certificateStatus(c, supersededOn),
      on('superseded', supersededOn, null),
      `${why}: on the day`,
    );
    assert.deepEqual(
      certificateStatus(c, '2100-01-01'),
      on('superseded', supersededOn, null),
      `${why}: later`,
    );
  }
});

test('certificateStatus, revoked and superseded: the earlier caps, revocation wins once both passed', () => {
  // superseded first, revoked later
  const a = cert({ supersededOn: '2027-12-01', revokedOn: '2028-01-10' });
  assert.deepEqual(certificateStatus(a, '2027-11-30'), on('valid', ISSUED, '2027-11-30'));
  assert.deepEqual(certificateStatus(a, '2027-12-01'), on('superseded', '2027-12-01', '2028-01-09'));
  assert.deepEqual(certificateStatus(a, '2028-01-09'), on('superseded', '2027-12-01', '2028-01-09'));
  assert.deepEqual(certificateStatus(a, '2028-01-10'), on('revoked', '2028-01-10', null));
  assert.deepEqual(certificateStatus(a, '2100-01-01'), on('revoked', '2028-01-10', null));
  // revoked first, superseded later
  const b = cert({ revokedOn: '2027-12-01', supersededOn: '2028-01-10' });
  assert.deepEqual(certificateStatus(b, '2027-11-30'), on('valid', ISSUED, '2027-11-30'));
  assert.deepEqual(certificateStatus(b, '2027-12-01'), on('revoked', '2027-12-01', null));
  assert.deepEqual(certificateStatus(b, '2028-01-10'), on('revoked', '2027-12-01', null));
  // the same day
  const c = cert({ revokedOn: '2027-12-01', supersededOn: '2027-12-01' });
  assert.deepEqual(certificateStatus(c, '2027-11-30'), on('valid', ISSUED, '2027-11-30'));
  assert.deepEqual(certificateStatus(c, '2027-12-01'), on('revoked', '2027-12-01', null));
});

test('certificateStatus: an expired certificate superseded or revoked later is expired until the day before', () => {
  const superseded = cert({ supersededOn: day(60) }); // a new certificate two months after expiry
  assert.equal(certificateStatus(superseded, day(60)).status, 'superseded');
  assert.deepEqual(certificateStatus(superseded, EXPIRED), on('expired', EXPIRED, day(59)));
  const revoked = cert({ revokedOn: day(60) });
  assert.equal(certificateStatus(revoked, day(60)).status, 'revoked');
  assert.deepEqual(certificateStatus(revoked, EXPIRED), on('expired', EXPIRED, day(59)));
});

// ---------------------------------------------------------------------------------------------
// dueReminders

test('dueReminders, nothing filed: one reminder a day it falls due, the latest when several are', () => {
  const all3 = recorded(...WINDOW_REMINDERS);
  const cases: [
    today: string,
    already: Set<ReminderKind>,
    record: ReminderKind[],
    send: ReminderKind | null,
    why: string,
  ][] = [
    ['2026-02-04', recorded(), [], null, 'not yet valid'],
    [ISSUED, recorded(), [], null, 'issue day'],
    [day(-181), recorded(), [], null, 'the day before the window'],
    [OPENS, recorded(), ['window_open'], 'window_open', 'the window opens'],
    [OPENS, recorded('window_open'), [], null, 'run again the same day'],
    [day(-151), recorded('window_open'), [], null, 'the day before window_150'],
    [W150, recorded('window_open'), ['window_150'], 'window_150', '150 days before'],
    [W150, recorded('window_open', 'window_150'), [], null, 'run again'],
    [day(-125), recorded(), ['window_open', 'window_150'], 'window_150', 'first seen at −125'],
    [day(-121), recorded('window_open', 'window_150'), [], null, 'the day before the window closes'],
    [CLOSES, recorded('window_open', 'window_150'), ['window_close'], 'window_close', 'the window closes'],
    [CLOSES, recorded(), WINDOW_REMINDERS, 'window_close', 'first seen as the window closes'],
    [day(-119), recorded(), WINDOW_REMINDERS, 'window_close', 'first seen at −119'],
    [day(-90), recorded(), WINDOW_REMINDERS, 'window_close', 'first seen exactly 30 days after the close'],
    [day(-89), recorded(), WINDOW_REMINDERS, null, 'first seen 31 days after the close: stale'],
    [day(-1), recorded(), WINDOW_REMINDERS, null, 'first seen long after: stale'],
    [VALID_UNTIL, all3, [], null, 'the end date: not expired yet'],
    [EXPIRED, all3, ['expired'], 'expired', 'the day after the end date'],
    [EXPIRED, recorded('window_open', 'window_150', 'window_close', 'expired'), [], null, 'run again'],
    [EXPIRED, recorded(), REMINDER_KINDS.slice(), 'expired', 'first seen expired'],
    [day(31), recorded(), REMINDER_KINDS.slice(), 'expired', 'first seen 30 days after expiry'],
    [day(32), recorded(), REMINDER_KINDS.slice(), null, 'first seen 31 days after expiry: stale'],
    [day(32), all3, ['expired'], null, 'the job stopped for 31 days: stale'],
    ['2100-01-01', all3, ['expired'], null, 'far future: stale'],
  ];
  for (const [today, already, record, send, why] of cases)
    assert.deepEqual(dueReminders(cert(), today, already), { record, send }, why);
});

test('dueReminders, re-evaluation filed: window reminders recorded, not sent; expired at the end of the grace', () => {
  const all3 = recorded(...WINDOW_REMINDERS);
  const filed = cert({ reevaluationFiledOn: OPENS });
  const cases: [
    today: string,
    already: Set<ReminderKind>,
    record: ReminderKind[],
    send: ReminderKind | null,
    why: string,
  ][] = [
    [day(-181), recorded(), [], null, 'before the window'],
    [OPENS, recorded(), ['window_open'], null, 'window opens: recorded only'],
    [W150, recorded('window_open'), ['window_150'], null, '150: recorded only'],
    [CLOSES, recorded('window_open', 'window_150'), ['window_close'], null, 'close: recorded only'],
    [day(-119), recorded(), WINDOW_REMINDERS, null, 'first seen at −119'],
    [EXPIRED, all3, [], null, 'pending: not expired'],
    [GRACE_LAST, all3, [], null, 'the grace’s last day'],
    [GRACE_END, all3, ['expired'], 'expired', 'the grace ends'],
    [GRACE_END, recorded(), REMINDER_KINDS.slice(), 'expired', 'first seen as the grace ends'],
    [addDays(GRACE_END, 30), all3, ['expired'], 'expired', '30 days late'],
    [addDays(GRACE_END, 31), all3, ['expired'], null, '31 days late: stale'],
  ];
  for (const [today, already, record, send, why] of cases)
    assert.deepEqual(dueReminders(filed, today, already), { record, send }, why);

  // ended without a new certificate on +40: 'expired' falls due that day
  const ended = cert({ reevaluationFiledOn: OPENS, reevaluationEndedOn: day(40) });
  assert.deepEqual(dueReminders(ended, day(39), all3), { record: [], send: null });
  assert.deepEqual(dueReminders(ended, day(40), all3), { record: ['expired'], send: 'expired' });

  // filed too late (the day after the end date): expired at +1, and that is sent
  const late = cert({ reevaluationFiledOn: EXPIRED });
  assert.deepEqual(dueReminders(late, EXPIRED, all3), { record: ['expired'], send: 'expired' });
});

test('dueReminders, revoked or superseded: nothing recorded, nothing sent', () => {
  const ended: CertificateDates[] = [
    cert({ revokedOn: '2027-06-10' }),
    cert({ supersededOn: '2027-06-10' }),
    cert({ revokedOn: '2027-06-10', supersededOn: '2027-06-10' }),
    cert({ reevaluationFiledOn: OPENS, supersededOn: day(30) }),
    cert({ reevaluationFiledOn: OPENS, revokedOn: day(30) }),
  ];
  for (const c of ended)
    for (const today of [
      OPENS,
      W150,
      CLOSES,
      day(-119),
      day(30),
      EXPIRED,
      GRACE_END,
      day(400),
      '2100-01-01',
    ]) {
      const s = certificateStatus(c, today).status;
      if (s !== 'revoked' && s !== 'superseded') continue;
      assert.deepEqual(dueReminders(c, today, recorded()), { record: [], send: null }, `${s} on ${today}`);
    }
  // but before the revocation the reminders run as usual
  const revokedLater = cert({ revokedOn: '2028-12-01' });
  assert.deepEqual(dueReminders(revokedLater, OPENS, recorded()), {
    record: ['window_open'],
    send: 'window_open',
  });
  assert.deepEqual(dueReminders(revokedLater, '2028-12-01', recorded()), { record: [], send: null });
});

test('dueReminders, a daily job from issue to long after: each reminder sent once, on its own day', () => {
  const run = (c: CertificateDates, from: string, to: string) => {
    const seen = new Set<ReminderKind>();
    const sent: [string, ReminderKind][] = [];
    for (let today = from; today <= to; today = addDays(today, 1)) {
      const { record, send } = dueReminders(c, today, seen);
      for (const kind of record) seen.add(kind);
      if (send) sent.push([today, send]);
    }
    return sent;
  };
  assert.deepEqual(run(cert(), ISSUED, day(400)), [
    [OPENS, 'window_open'],
    [W150, 'window_150'],
    [CLOSES, 'window_close'],
    [EXPIRED, 'expired'],
  ]);
  assert.deepEqual(run(cert({ reevaluationFiledOn: OPENS }), ISSUED, day(400)), [[GRACE_END, 'expired']]);
  assert.deepEqual(run(cert({ revokedOn: W150 }), ISSUED, day(400)), [[OPENS, 'window_open']]);
});

// ---------------------------------------------------------------------------------------------
// properties

const DAY_MS = 86_400_000;
const isoDates = (from: string, to: string) =>
  fc
    .integer({ min: Date.parse(from) / DAY_MS, max: Date.parse(to) / DAY_MS })
    .map((n) => new Date(n * DAY_MS).toISOString().slice(0, 10));

/** A certificate issued 2019–2035, with the standard end date, and maybe filed / ended / revoked / superseded. */
const certificates = fc
  .record({
    issuedOn: isoDates('2019-01-01', '2035-12-31'),
    revoked: fc.option(fc.integer({ min: 0, max: 1400 }), { freq: 3 }),
    superseded: fc.option(fc.integer({ min: 0, max: 1400 }), { freq: 3 }),
    filed: fc.option(fc.integer({ min: -400, max: 60 }), { freq: 2 }),
    ended: fc.option(fc.integer({ min: 0, max: 400 }), { freq: 2 }),
  })
  .map(({ issuedOn, revoked, superseded, filed, ended }): CertificateDates => {
    const validUntil = standardValidUntil(issuedOn);
    const filedOn = filed === null ? null : addDays(validUntil, filed);
    return {
      issuedOn,
      validUntil,
      revokedOn: revoked === null ? null : addDays(issuedOn, revoked),
      supersededOn: superseded === null ? null : addDays(issuedOn, superseded),
      reevaluationFiledOn: filedOn,
      reevaluationEndedOn: filedOn === null || ended === null ? null : addDays(filedOn, ended),
    };
  });

/** A day to look at: anywhere from before issue to long after, or within a day of a boundary. */
const BOUNDARIES = [
  'issue',
  'opens',
  'w150',
  'closes',
  'validUntil',
  'expires',
  'revoked',
  'superseded',
] as const;
const days = fc.oneof(
  fc.record({ from: fc.constant('issue' as const), offset: fc.integer({ min: -200, max: 1800 }) }),
  fc.record({ from: fc.constantFrom(...BOUNDARIES), offset: fc.integer({ min: -1, max: 1 }) }),
);
function dayOf(c: CertificateDates, { from, offset }: { from: (typeof BOUNDARIES)[number]; offset: number }) {
  const base = {
    issue: c.issuedOn,
    opens: reevaluationWindow(c.validUntil).opens,
    w150: reminderDays(c).window_150,
    closes: reevaluationWindow(c.validUntil).closes,
    validUntil: c.validUntil,
    expires: expiresOn(c),
    revoked: c.revokedOn ?? c.issuedOn,
    superseded: c.supersededOn ?? c.validUntil,
  }[from];
  return addDays(base, offset);
}

test('property: exactly one status; expired iff today ≥ expiresOn, unless revoked, superseded or not yet valid', () => {
  fc.assert(
    fc.property(certificates, days, (c, d) => {
      const today = dayOf(c, d);
      const { status } = certificateStatus(c, today);
      assert.ok(CERTIFICATE_STATUSES.includes(status), status);
      const ended =
        (c.revokedOn !== null && c.revokedOn <= today) ||
        (c.supersededOn !== null && c.supersededOn <= today);
      assert.equal(status === 'revoked', c.revokedOn !== null && c.revokedOn <= today);
      assert.equal(status === 'superseded', !(status === 'revoked') && ended);
      if (!ended) {
        assert.equal(status === 'not_yet_valid', today < c.issuedOn);
        if (today >= c.issuedOn)
          assert.equal(status === 'expired', today >= expiresOn(c), `${today} ${status}`);
        assert.equal(status === 'valid_pending_reevaluation', today > c.validUntil && today < expiresOn(c));
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: the status holds from `since` through `until`, and changes the day after `until`', () => {
  fc.assert(
    fc.property(certificates, days, (c, d) => {
      const today = dayOf(c, d);
      const now = certificateStatus(c, today);
      if (now.since !== null) {
        assert.ok(now.since <= today, `since ${now.since} after ${today}`);
        assert.equal(certificateStatus(c, now.since).status, now.status, `on since ${now.since}`);
        if (now.status !== 'not_yet_valid')
          assert.notEqual(
            certificateStatus(c, addDays(now.since, -1)).status,
            now.status,
            'the day before since',
          );
      }
      if (now.until !== null) {
        assert.ok(now.until >= today, `until ${now.until} before ${today}`);
        assert.equal(certificateStatus(c, now.until).status, now.status, `on until ${now.until}`);
        assert.notEqual(
          certificateStatus(c, addDays(now.until, 1)).status,
          now.status,
          'the day after until',
        );
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: dueReminders run twice records and sends nothing more', () => {
  fc.assert(
    fc.property(certificates, days, fc.subarray([...REMINDER_KINDS]), (c, d, already) => {
      const today = dayOf(c, d);
      const before = new Set<ReminderKind>(already);
      const first = dueReminders(c, today, before);
      for (const kind of first.record) {
        assert.ok(!before.has(kind), `${kind} was recorded already`);
        assert.ok(reminderDays(c)[kind] <= today, `${kind} is not due`);
      }
      if (first.send !== null) assert.equal(first.send, first.record.at(-1));
      const second = dueReminders(c, today, new Set([...before, ...first.record]));
      assert.deepEqual(second, { record: [], send: null });
    }),
    { numRuns: 2000 },
  );
});

test('property: a status with no `until` holds on every later day', () => {
  fc.assert(
    fc.property(certificates, days, fc.integer({ min: 1, max: 3000 }), (c, d, later) => {
      const today = dayOf(c, d);
      const now = certificateStatus(c, today);
      if (now.until === null) assert.equal(certificateStatus(c, addDays(today, later)).status, now.status);
    }),
    { numRuns: 2000 },
  );
});

test('filed in time: within the window; after it only for a certificate issued before QĐ 26/2026 (Điều 12)', () => {
  // issued after 22/05/2026: the window (180–120 days before expiry) is the only time
  const recent = { ...cert({}), issuedOn: '2026-06-01', validUntil: '2029-06-01' };
  const closes = addDays('2029-06-01', -120);
  const filed = (day: string) => ({ ...recent, reevaluationFiledOn: day });
  assert.equal(filedInTime(filed(closes)), true);
  assert.equal(filedInTime(filed(addDays(closes, 1))), false);
  assert.equal(certificateStatus(filed(addDays(closes, 1)), '2029-06-02').status, 'expired');
  assert.equal(certificateStatus(filed(closes), '2029-06-02').status, 'valid_pending_reevaluation');
  // issued before: the transition rule keeps a late filing (up to the end date) in force
  const old = { ...cert({}), issuedOn: '2026-05-21', validUntil: '2029-05-21' };
  assert.equal(filedInTime({ ...old, reevaluationFiledOn: '2029-05-21' }), true);
  assert.equal(filedInTime({ ...old, reevaluationFiledOn: '2029-05-22' }), false);
});
