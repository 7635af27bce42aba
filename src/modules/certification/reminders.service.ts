/**
 * The daily job: reminders of the re-evaluation window (opening, 150 days, closing) and of expiry
 * to the producer and the province office, through the outbox; and the products' star ratings
 * brought in line with the certificates in force today. One transaction; each reminder is
 * recorded once (certification.reminder's key), so a second run the same day — or two processes
 * running it at once — sends nothing twice.
 */
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { enqueueMail } from '../../platform/mail.ts';
import { formatDate } from '../../platform/time.ts';
import type { IdentityService } from '../identity/index.ts';
import type { ProducersService } from '../producers/index.ts';
import { dueReminders, type ReminderKind, reminderDays } from './certificate-status.ts';
import * as q from './certificates.queries.ts';
import { type CertificatesService, datesOf } from './certificates.service.ts';

const SUBJECT: Record<ReminderKind, (number: string, product: string) => string> = {
  window_open: (n, p) => `OCOP: mở thời hạn nộp hồ sơ phân hạng lại — ${p} (GCN ${n})`,
  window_150: (n, p) => `OCOP: nhắc nộp hồ sơ phân hạng lại — ${p} (GCN ${n})`,
  window_close: (n, p) => `OCOP: hết thời hạn nộp hồ sơ phân hạng lại — ${p} (GCN ${n})`,
  expired: (n, p) => `OCOP: giấy chứng nhận đã hết hiệu lực — ${p} (GCN ${n})`,
};

function body(kind: ReminderKind, row: q.CertificateRow, link: string): string {
  const until = formatDate(row.valid_until, 'vi');
  const days = reminderDays(datesOf(row));
  const window = `${formatDate(days.window_open, 'vi')} – ${formatDate(days.window_close, 'vi')}`;
  const what: Record<ReminderKind, string> = {
    window_open: `Giấy chứng nhận hết hiệu lực ngày ${until}. Từ hôm nay có thể nộp hồ sơ đề nghị phân hạng lại (trong khoảng ${window}, Điều 7.6 Quyết định 26/2026/QĐ-TTg).`,
    window_150: `Giấy chứng nhận hết hiệu lực ngày ${until}. Còn 30 ngày để nộp hồ sơ đề nghị phân hạng lại (hạn cuối ${formatDate(days.window_close, 'vi')}).`,
    window_close: `Hôm nay là ngày cuối cùng nộp hồ sơ đề nghị phân hạng lại; giấy chứng nhận hết hiệu lực ngày ${until}.`,
    expired: `Giấy chứng nhận đã hết hiệu lực từ ngày ${formatDate(days.expired, 'vi')}. Sản phẩm không còn được sử dụng nhãn OCOP cho đến khi được công nhận lại.`,
  };
  return [
    'Xin chào,',
    '',
    `Sản phẩm: ${row.product_name} — ${row.stars} sao OCOP`,
    `Chủ thể: ${row.producer_name}`,
    `Giấy chứng nhận số ${row.number}, cấp ngày ${formatDate(row.issued_on, 'vi')}.`,
    '',
    what[kind],
    '',
    `Xem giấy chứng nhận: ${link}`,
    '',
    'Thư này do nền tảng OCOP gửi tự động.',
  ].join('\n');
}

export interface DailyRunResult {
  day: string;
  /** Reminders recorded this run (sent or not). */
  recorded: number;
  /** Mails enqueued. */
  mails: number;
  remindersSent: number;
  productsUpdated: number;
}

export function createReminderJob(
  db: Kysely<DB>,
  deps: {
    certificates: CertificatesService;
    identity: Pick<IdentityService, 'contacts'>;
    producers: Pick<ProducersService, 'placeOf'>;
    publicUrl: URL;
  },
) {
  return {
    /** Runs the day's reminders and the star-rating upkeep; safe to run any number of times. */
    async run(context: AuditContext): Promise<DailyRunResult> {
      const day = deps.certificates.today();
      return db.transaction().execute(async (trx) => {
        await q.lockDailyJob(trx);
        const rows = await q.findCurrent(trx);
        const recorded = await q.recordedReminders(
          trx,
          rows.map((r) => r.id),
        );
        let recordedCount = 0;
        let mails = 0;
        let sent = 0;
        for (const row of rows) {
          const rule = dueReminders(
            datesOf(row),
            day,
            (recorded.get(row.id) ?? new Set()) as Set<ReminderKind>,
          );
          // demo data never mails anyone
          const due = row.is_demo ? { ...rule, send: null } : rule;
          if (due.record.length === 0) continue;
          const days = reminderDays(datesOf(row));
          let sendNow = false;
          for (const kind of due.record) {
            const fresh = await q.recordReminder(trx, {
              certificate_id: row.id,
              kind,
              due_on: days[kind],
              sent: kind === due.send,
              recorded_on: day,
            });
            if (fresh) recordedCount += 1;
            if (fresh && kind === due.send) sendNow = true;
          }
          if (!sendNow || !due.send) continue;
          sent += 1;
          const recipients = new Map<string, string>();
          for (const person of await deps.identity.contacts({ producerId: row.producer_id }, trx))
            recipients.set(person.email, person.name);
          if (recipients.size === 0) {
            const place = await deps.producers.placeOf(row.producer_id, trx);
            if (place?.producer.email) recipients.set(place.producer.email, place.producer.legalName);
          }
          for (const person of await deps.identity.contacts(
            { role: 'province_office', scopeCode: row.province_code },
            trx,
          ))
            recipients.set(person.email, person.name);
          const link = new URL(`/certificates/${row.id}`, deps.publicUrl).toString();
          for (const email of recipients.keys()) {
            await enqueueMail(trx, {
              to: email,
              subject: SUBJECT[due.send](row.number, row.product_name),
              text: body(due.send, row, link),
            });
            mails += 1;
          }
          await audit(trx, context, {
            action: `certificate.reminder.${due.send}`,
            entityType: 'certificate',
            entityId: row.id,
            after: { kind: due.send, recipients: recipients.size, day },
          });
        }
        // every product with a certificate: its stars follow the certificates in force today (an
        // expiry is a change of date, and the registry import may have written stars meanwhile)
        const productsUpdated = await deps.certificates.syncProductStars(
          trx,
          await q.productsWithCertificates(trx),
        );
        await q.recordDailyRun(trx, { run_on: day, reminders_sent: sent, products_updated: productsUpdated });
        return { day, recorded: recordedCount, mails, remindersSent: sent, productsUpdated };
      });
    },

    lastRun: () => q.lastDailyRun(db),

    /** The reminders recorded for a certificate, oldest first. */
    async of(certificateId: string) {
      return (await q.remindersOf(db, certificateId)).map((r) => ({
        kind: r.kind,
        sent: r.sent,
        dueOn: r.due_on,
        recordedOn: r.recorded_on,
      }));
    },
  };
}

export type ReminderJob = ReturnType<typeof createReminderJob>;
