/**
 * EPCIS query subscriptions (REST bindings): a named query's new events go to the subscriber's
 * webhook as an EPCISQueryDocument — as they are captured (`stream`) or when a schedule matches
 * (`schedule`, cron-like fields as in EPCIS query schedules) — each POST signed
 * `GS1-Signature: sha256=<hex HMAC-SHA256 of the body with the subscriber's signatureToken>`.
 * A delivery waits in `traceability.delivery` until the webhook answers 2xx, retried with growing
 * delays (10 attempts). The query runs with the rights the subscriber had when subscribing.
 *
 * Events are taken by sequence number once they are 30 seconds old: on PostgreSQL two captures
 * can commit out of order, and the wait lets the slower one land before its numbers are passed.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { EpcisError } from './errors.ts';
import { type QueryService, scopeOf } from './query.service.ts';
import { queryDocumentOf } from './query-document.ts';
import * as q from './traceability.queries.ts';

/** How old an event must be before a subscription takes it (see above). */
export const SETTLE_MS = 30_000;
const PER_DELIVERY = 1000;
const SCHEDULE_FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;
type ScheduleField = (typeof SCHEDULE_FIELDS)[number];
export type Schedule = Partial<Record<ScheduleField, string>>;
const RANGES: Record<ScheduleField, [number, number]> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [1, 7],
};

/** A schedule field: a number, a range `a-b`, a list `a,b`, `[a-b]`, or `*`; omitted = any. */
export function fieldMatches(spec: string | undefined, value: number, range: [number, number]): boolean {
  if (spec === undefined || spec.trim() === '' || spec.trim() === '*') return true;
  return spec.split(',').some((part) => {
    const m = /^\s*\[?(\d{1,2})(?:-(\d{1,2}))?\]?\s*$/.exec(part);
    if (!m) return false;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    return from >= range[0] && to <= range[1] && value >= from && value <= to;
  });
}

export function validSchedule(schedule: Schedule): boolean {
  return SCHEDULE_FIELDS.every((f) => {
    const spec = schedule[f];
    if (spec === undefined || spec === '*') return true;
    return spec.split(',').every((part) => {
      const m = /^\s*\[?(\d{1,2})(?:-(\d{1,2}))?\]?\s*$/.exec(part);
      if (!m) return false;
      const to = m[2] === undefined ? Number(m[1]) : Number(m[2]);
      return Number(m[1]) >= RANGES[f][0] && to <= RANGES[f][1] && Number(m[1]) <= to;
    });
  });
}

/** Whether a schedule matches a minute (UTC; the second field is read at minute granularity). */
export function scheduleMatches(schedule: Schedule, at: Date): boolean {
  const weekday = at.getUTCDay() === 0 ? 7 : at.getUTCDay();
  return (
    fieldMatches(schedule.minute, at.getUTCMinutes(), RANGES.minute) &&
    fieldMatches(schedule.hour, at.getUTCHours(), RANGES.hour) &&
    fieldMatches(schedule.dayOfMonth, at.getUTCDate(), RANGES.dayOfMonth) &&
    fieldMatches(schedule.month, at.getUTCMonth() + 1, RANGES.month) &&
    fieldMatches(schedule.dayOfWeek, weekday, RANGES.dayOfWeek)
  );
}

export const signatureOf = (body: string, token: string) =>
  `sha256=${createHmac('sha256', token).update(body).digest('hex')}`;

function present(row: q.SubscriptionRow) {
  return {
    subscriptionID: row.id,
    queryName: row.query_name,
    dest: row.dest,
    stream: row.stream,
    ...(row.schedule ? { schedule: row.schedule } : {}),
    reportIfEmpty: row.report_if_empty,
    createdAt: row.created_at.toISOString(),
  };
}

export function createSubscriptionsService(db: Kysely<DB>, deps: { query: QueryService }) {
  return {
    async subscribe(principal: Principal | null, queryName: string, body: unknown) {
      const scope = scopeOf(principal);
      const named = await deps.query.named(principal, queryName);
      const input = (body ?? {}) as Record<string, unknown>;
      const bad = (detail: string) => new EpcisError('SubscriptionControlsException', 400, detail);
      const dest = input.dest;
      if (typeof dest !== 'string' || !/^https?:\/\/[^\s]+$/.test(dest) || dest.length > 2000)
        throw bad('dest: the http(s) URL of the webhook');
      const token = input.signatureToken;
      if (token !== undefined && (typeof token !== 'string' || token.length < 1 || token.length > 500))
        throw bad('signatureToken: 1 to 500 characters');
      const stream = input.stream === true;
      const schedule = input.schedule as Schedule | undefined;
      if (schedule !== undefined) {
        const ok =
          typeof schedule === 'object' &&
          schedule !== null &&
          !Array.isArray(schedule) &&
          Object.entries(schedule).every(
            ([k, v]) => (SCHEDULE_FIELDS as readonly string[]).includes(k) && typeof v === 'string',
          ) &&
          validSchedule(schedule);
        if (!ok)
          throw bad(
            'schedule: second, minute, hour, dayOfMonth, month, dayOfWeek as numbers, ranges a-b or lists',
          );
      }
      if (stream === (schedule !== undefined))
        throw bad('Either stream: true or a schedule (not both, not neither)');
      // from now on, or — with initialRecordTime — every event recorded since then
      let lastSeq = await q.lastEventSeq(db);
      let initial: Date | null = null;
      if (input.initialRecordTime !== undefined) {
        if (typeof input.initialRecordTime !== 'string' || Number.isNaN(Date.parse(input.initialRecordTime)))
          throw bad('initialRecordTime: a date-time');
        initial = new Date(input.initialRecordTime);
        lastSeq = 0;
      }
      const row = await q.insertSubscription(db, {
        query_name: named.name,
        owner_user_id: principal!.userId,
        scope: JSON.stringify(scope),
        initial_record_time: initial,
        dest,
        signature_token: (token as string | undefined) ?? null,
        stream,
        schedule: schedule ? JSON.stringify(schedule) : null,
        report_if_empty: input.reportIfEmpty === true,
        last_seq: lastSeq,
      });
      return present(row);
    },

    async list(principal: Principal | null, queryName: string) {
      await deps.query.named(principal, queryName);
      return (await q.subscriptionsOf(db, queryName)).map(present);
    },

    async get(principal: Principal | null, queryName: string, id: string) {
      await deps.query.named(principal, queryName);
      const row = (await q.subscriptionsOf(db, queryName)).find((s) => s.id === id);
      if (!row) throw new EpcisError('NoSuchResourceException', 404, 'No such subscription');
      return row;
    },

    async unsubscribe(principal: Principal | null, queryName: string, id: string) {
      const row = await this.get(principal, queryName, id);
      await q.deleteSubscription(db, row.id);
    },

    present,

    /**
     * One round of the worker at `now`: each subscription due (a stream always; a schedule when it
     * matches this minute and has not run in it) takes its new events into a delivery; then the
     * deliveries due are sent. Returns what it did.
     */
    async tick(now: Date = new Date(), send: typeof fetch = fetch) {
      let queued = 0;
      const before = new Date(now.getTime() - SETTLE_MS);
      const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
      for (const sub of await q.allSubscriptions(db)) {
        const schedule = sub.schedule as Schedule | null;
        const scheduled = schedule !== null;
        if (scheduled) {
          if (!scheduleMatches(schedule, minute)) continue;
          if (sub.last_run_minute && sub.last_run_minute.getTime() >= minute.getTime()) continue;
        }
        const named = await q.findNamedQuery(db, sub.query_name);
        if (!named) continue;
        const events = await deps.query.newEvents(
          sub.scope as q.EventScope,
          {
            ...(named.query as Record<string, unknown>),
            ...(sub.initial_record_time ? { GE_recordTime: sub.initial_record_time.toISOString() } : {}),
          },
          Number(sub.last_seq),
          before,
          PER_DELIVERY,
        );
        if (events.length > 0 || (scheduled && sub.report_if_empty)) {
          const body = JSON.stringify({
            ...queryDocumentOf(
              events.map((e) => e.document),
              sub.query_name,
            ),
            subscriptionID: sub.id,
          });
          await db.transaction().execute(async (trx) => {
            await q.insertDelivery(trx, { subscription_id: sub.id, body });
            await q.advanceSubscription(trx, sub.id, {
              ...(events.length > 0 ? { last_seq: events.at(-1)!.seq } : {}),
              ...(scheduled ? { last_run_minute: minute } : {}),
            });
          });
          queued += 1;
        } else if (scheduled) await q.advanceSubscription(db, sub.id, { last_run_minute: minute });
      }
      let delivered = 0;
      for (const d of await q.dueDeliveries(db, 50)) {
        try {
          const response = await send(d.dest, {
            method: 'POST',
            headers: {
              'content-type': 'application/ld+json',
              'gs1-epcis-version': '2.0.0',
              ...(d.signature_token ? { 'gs1-signature': signatureOf(d.body, d.signature_token) } : {}),
            },
            body: d.body,
            signal: AbortSignal.timeout(10_000),
          });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          await q.markDelivery(db, d.id, { delivered: true });
          delivered += 1;
        } catch (error) {
          await q.markDelivery(db, d.id, {
            delivered: false,
            error: (error as Error).message,
            retryInSeconds: Math.min(3600, 15 * 2 ** d.attempts),
          });
        }
      }
      return { queued, delivered };
    },

    /** Runs the worker every 15 seconds; returns a stop function. */
    start(logger: Logger): () => void {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        this.tick()
          .catch((error: unknown) => logger.error({ err: error }, 'epcis subscriptions: round failed'))
          .finally(() => {
            running = false;
          });
      }, 15_000);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;
