/**
 * QR scans: every resolution is logged without personal data — when, which key (GTIN, lot,
 * serial), where it sent the shopper (link type, status), in which language, a coarse client class
 * (phone, desktop, app, bot), and the network (/24 of IPv4, /48 of IPv6) as a keyed hash whose key
 * changes every day and is never stored, so a day's scans can be told apart by network but no
 * network can be named. Scans are buffered and written in bulk (the resolver's hot path does no
 * write); the dashboards show scans per day, product and lot, and serials scanned suspiciously
 * often or from many networks (a copied label).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import { listScope } from '../producers/index.ts';
import * as tq from './trace.queries.ts';

/** A serial scanned more often than this in a day, or from more networks, is suspicious. */
export const SUSPICIOUS = { maxScans: 20, maxNetworks: 3 } as const;
/** Scans kept in memory before a write is forced (and every FLUSH_MS in any case). */
const BUFFER_LIMIT = 2000;
const FLUSH_MS = 1000;

export interface Scan {
  at: Date;
  gtin: string;
  lot: string | null;
  serial: string | null;
  producerId: string | null;
  provinceCode: string | null;
  communeCode: string | null;
  linkType: string;
  status: number;
  language: string | null;
  userAgent: string | undefined;
  ip: string | undefined;
}

/** A coarse client class from the User-Agent (no more than that is kept). */
export function clientClass(userAgent: string | undefined): 'phone' | 'desktop' | 'app' | 'bot' | 'other' {
  if (!userAgent) return 'other';
  if (
    /bot|crawler|spider|curl|wget|python|go-http|java\/|okhttp|headless|lighthouse|preview/i.test(userAgent)
  )
    return 'bot';
  if (/zalo|fban|fbav|instagram|line\/|micromessenger/i.test(userAgent)) return 'app';
  if (/mobile|android|iphone|ipod|windows phone/i.test(userAgent)) return 'phone';
  if (/windows|macintosh|x11|linux|cros/i.test(userAgent)) return 'desktop';
  return 'other';
}

/** The network of an address: the first 3 bytes of IPv4, the first 48 bits of IPv6. */
export function networkOf(ip: string | undefined): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}`;
  if (ip.includes(':')) {
    const [head = ''] = ip.split('::');
    const groups = head.split(':').filter(Boolean);
    while (groups.length < 3) groups.push('0');
    return groups.slice(0, 3).join(':').toLowerCase();
  }
  return null;
}

export function createScansService(
  db: Kysely<DB>,
  deps: { now: () => Date; onError: (error: unknown) => void },
) {
  let buffer: tq.ScanRow[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let dayKey = { day: '', key: Buffer.alloc(0) };

  const keyOf = (at: Date) => {
    const day = at.toISOString().slice(0, 10);
    if (dayKey.day !== day) dayKey = { day, key: randomBytes(32) };
    return dayKey.key;
  };

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (buffer.length === 0) return writing;
    const rows = buffer;
    buffer = [];
    writing = writing
      .then(() => tq.insertScans(db, rows))
      .then(
        () => undefined,
        (error) => deps.onError(error),
      );
    return writing;
  }

  return {
    /** Logs a resolution (buffered). */
    record(scan: Scan) {
      const network = networkOf(scan.ip);
      buffer.push({
        scanned_at: scan.at,
        gtin: scan.gtin,
        lot: scan.lot,
        serial: scan.serial,
        producer_id: scan.producerId,
        province_code: scan.provinceCode,
        commune_code: scan.communeCode,
        link_type: scan.linkType.slice(0, 200),
        status: scan.status,
        language: scan.language?.slice(0, 35) ?? null,
        client_class: clientClass(scan.userAgent),
        network: network
          ? createHmac('sha256', keyOf(scan.at)).update(network).digest('hex').slice(0, 16)
          : null,
      });
      if (buffer.length >= BUFFER_LIMIT) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), FLUSH_MS);
        timer.unref();
      }
    },

    /** Writes what is buffered (tests, shutdown). */
    flush,

    /** This month's and next month's partitions (the default one takes the rest). */
    async maintain() {
      const now = deps.now();
      for (const offset of [0, 1]) {
        const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
        await tq.ensureScanPartition(db, month.toISOString().slice(0, 10)).catch(deps.onError);
      }
    },

    /** Scans per day, product and lot over `days` days, suspicious serials, and shoppers' reports. */
    async dashboard(principal: Principal | null, days = 30) {
      const scope = listScope(principal);
      if (!scope)
        throw new DomainError(
          principal ? 'forbidden' : 'sign_in_required',
          principal ? 'forbidden' : 'unauthenticated',
        );
      const traceScope: tq.TraceScope = scope;
      await flush();
      const to = deps.now();
      const from = new Date(to.getTime() - days * 86_400_000);
      const [perDay, suspicious, reports] = await Promise.all([
        tq.scansPerDay(db, traceScope, from, new Date(to.getTime() + 60_000)),
        tq.suspiciousSerials(db, traceScope, new Date(to.getTime() - 86_400_000), SUSPICIOUS),
        tq.problemReports(db, traceScope, 100),
      ]);
      return {
        days,
        perDay,
        suspicious: suspicious.map((s) => ({
          ...s,
          firstAt: s.first_at.toISOString(),
          lastAt: s.last_at.toISOString(),
        })),
        reports: reports.map((r) => ({
          id: r.id,
          gtin: r.gtin,
          lot: r.lot,
          serial: r.serial,
          kind: r.kind,
          message: r.message,
          contact: r.contact,
          createdAt: r.created_at.toISOString(),
        })),
      };
    },

    /** A shopper's report of a problem with a product (public; throttled by the route). */
    async report(input: {
      gtin: string;
      lot: string | null;
      serial: string | null;
      producerId: string | null;
      provinceCode: string | null;
      communeCode: string | null;
      kind: string;
      message: string;
      contact: string | null;
    }) {
      const fields = [];
      if (!['fake', 'quality', 'label', 'expired', 'other'].includes(input.kind))
        fields.push({ in: 'body' as const, name: 'kind', rule: 'required' });
      const message = input.message.trim();
      if (!message || message.length > 2000)
        fields.push({ in: 'body' as const, name: 'message', rule: 'required' });
      const contact = input.contact?.trim() || null;
      if (contact && contact.length > 200)
        fields.push({ in: 'body' as const, name: 'contact', rule: 'maxLength', params: { limit: 200 } });
      if (fields.length > 0) throw new DomainError('validation_failed', 'invalid', {}, fields);
      const row = await tq.insertProblemReport(db, {
        gtin: input.gtin,
        lot: input.lot,
        serial: input.serial,
        producer_id: input.producerId,
        province_code: input.provinceCode,
        commune_code: input.communeCode,
        kind: input.kind,
        message,
        contact,
      });
      return { id: row.id };
    },
  };
}

export type ScansService = ReturnType<typeof createScansService>;
