/**
 * Outgoing mail through the outbox (migration 0005): `enqueueMail` writes in the caller's
 * transaction; `createMailer` sends what is pending over SMTP when SMTP_URL is set, retrying with
 * growing delays. Without SMTP the mail waits in the outbox, readable by administrators.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import type { DB } from './db/schema.ts';
import type { Logger } from './logger.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export async function enqueueMail(db: Kysely<DB>, mail: Mail): Promise<string> {
  const row = await db
    .insertInto('platform.outbox')
    .values({ to_address: mail.to, subject: mail.subject, body_text: mail.text })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
}

export async function listOutbox(db: Kysely<DB>, limit = 200): Promise<OutboxMessage[]> {
  const rows = await db
    .selectFrom('platform.outbox')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    text: row.body_text,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    attempts: row.attempts,
    lastError: row.last_error,
  }));
}

/** Seconds before the next try after `attempts` failures: 1 min, 2, 4 … up to 6 hours. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(6 * 3600, 60 * 2 ** Math.max(0, attempts - 1));
}

export interface Mailer {
  /** Sends what is due; returns how many were sent. Safe to call concurrently with writers. */
  sendPending(): Promise<number>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

export function createMailer(
  db: Kysely<DB>,
  options: { smtpUrl: string | undefined; from: string; logger: Logger },
): Mailer {
  const transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function sendPending(): Promise<number> {
    if (!transport) return 0;
    const due = await db
      .selectFrom('platform.outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .orderBy('created_at')
      .limit(50)
      .execute();
    let sent = 0;
    for (const message of due) {
      try {
        await transport.sendMail({
          from: options.from,
          to: message.to_address,
          subject: message.subject,
          text: message.body_text,
        });
        await db
          .updateTable('platform.outbox')
          .set({ sent_at: sql`now()`, attempts: message.attempts + 1, last_error: null })
          .where('id', '=', message.id)
          .execute();
        sent++;
      } catch (error) {
        const attempts = message.attempts + 1;
        await db
          .updateTable('platform.outbox')
          .set({
            attempts,
            last_error: String((error as Error).message).slice(0, 500),
            next_attempt_at: new Date(Date.now() + retryDelaySeconds(attempts) * 1000),
          })
          .where('id', '=', message.id)
          .execute();
        options.logger.warn({ err: error, outboxId: message.id }, 'mail not sent; will retry');
      }
    }
    return sent;
  }

  return {
    sendPending,
    start(intervalMs = 30_000) {
      if (!transport || timer) return;
      timer = setInterval(() => {
        running ??= sendPending()
          .catch((error) => {
            options.logger.error({ err: error }, 'outbox run failed');
            return 0;
          })
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      transport?.close();
    },
  };
}
