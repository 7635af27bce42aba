/**
 * EPCIS capture: a document (or one event) is validated whole, checked against what the caller may
 * speak for, and stored in one transaction — every event or none under `rollback` (the default),
 * the valid ones under `proceed`. Each stored event extends its owner's hash chain. The capture
 * job records how it went, in its own transaction, so that a refused capture still has a job.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { ProducersService } from '../producers/index.ts';
import type { ProductsService } from '../products/index.ts';
import type { CapturedEvent } from './epcis/index.ts';
import { EpcisError } from './errors.ts';
import { hasCompanyPrefixOf } from './gs1-company.ts';
import * as tq from './trace.queries.ts';
import * as q from './traceability.queries.ts';

/** Events per capture call (announced as GS1-EPCIS-Capture-Limit). */
export const CAPTURE_LIMIT = 5000;
/** Bytes per capture call (announced as GS1-EPCIS-Capture-File-Size-Limit). */
export const CAPTURE_FILE_SIZE_LIMIT = 16 * 1024 * 1024;

export type ErrorBehaviour = 'rollback' | 'proceed';

/**
 * JSON with its keys in order: the same content always serialises the same way (what
 * JSON.stringify gives, with every object's keys sorted; written out directly, it is 3× faster
 * than a replacer that rebuilds each object).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (i > 0) out += ',';
      out += v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined || typeof v === 'function') continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** A chain link: sha256 over the previous link, the event's id, its record time and its content. */
export function linkHash(prev: string | null, eventId: string, recordTime: string, document: string): string {
  return createHash('sha256')
    .update(`${prev ?? ''}\n${eventId}\n${recordTime}\n${document}`)
    .digest('hex');
}

const GTIN_IN = /\/01\/(\d{14})(?:\/|$)/;
const SSCC_IN = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/;

/** The identifiers of an event that say what and where it is about, in canonical form. */
export function subjectsOf(c: CapturedEvent): { things: string[]; places: string[] } {
  const p = c.projection;
  return {
    things: [
      ...p.epc,
      ...p.parentID,
      ...p.inputEPC,
      ...p.outputEPC,
      ...p.epcClass,
      ...p.inputEPCClass,
      ...p.outputEPCClass,
    ],
    places: [p.readPoint, p.bizLocation].filter((x): x is string => x !== null),
  };
}

/** A problem of the capture job document (RFC 7807). */
export interface JobError {
  type: string;
  title: string;
  status: number;
  detail?: string;
}

export interface CaptureResult {
  job: q.JobRow;
  stored: string[];
}

export function createCaptureService(
  db: Kysely<DB>,
  deps: {
    products: Pick<ProductsService, 'gtinProducers'>;
    producers: Pick<ProducersService, 'placeOf'>;
    now?: () => Date;
  },
) {
  /**
   * Whose events these are, and whether the principal may speak for them: a producer only about
   * its own products' GTINs and its registered locations; a province office about its province's
   * producers (or its own, unowned events); an administrator about anything.
   */
  async function ownersOf(
    principal: Principal,
    events: CapturedEvent[],
  ): Promise<{ owner: string | null; province: string | null }[]> {
    const gtins = new Set<string>();
    const glns = new Set<string>();
    for (const c of events) {
      const { things, places } = subjectsOf(c);
      for (const id of [...things, ...places]) {
        const gtin = GTIN_IN.exec(id)?.[1];
        if (gtin) gtins.add(gtin);
      }
      for (const id of places) glns.add(id);
    }
    const [byGtin, locationRows, partnerRows] = await Promise.all([
      deps.products.gtinProducers([...gtins]),
      q.locationOwners(db, [...glns]),
      // a producer may also record what happens at its partners' (a receipt, a sale)
      principal.role === 'producer' && principal.producerId
        ? tq.partnersByIdentifier(db, [...glns], principal.producerId)
        : [],
    ]);
    const locations = new Map(locationRows.map((l) => [l.identifier, l.producer_id]));
    const partners = new Set(partnerRows.map((p) => p.identifier));
    // the province of each producer: from the GTIN lookup, else asked once
    const producerPlace = new Map<string, string>();
    for (const maker of byGtin.values()) producerPlace.set(maker.producerId, maker.provinceCode ?? '');
    const provinceOf = async (producerId: string) => {
      if (!producerPlace.has(producerId))
        producerPlace.set(producerId, (await deps.producers.placeOf(producerId))?.provinceCode ?? '');
      return producerPlace.get(producerId) || null;
    };
    const out: { owner: string | null; province: string | null }[] = [];
    for (const [index, c] of events.entries()) {
      const { things, places } = subjectsOf(c);
      const producers = new Set<string>();
      const ownGtins: string[] = [];
      const ssccs: string[] = [];
      for (const id of things) {
        const gtin = GTIN_IN.exec(id)?.[1];
        const maker = gtin ? byGtin.get(gtin) : undefined;
        if (maker) {
          producers.add(maker.producerId);
          ownGtins.push(gtin!);
        } else if (SSCC_IN.test(id)) ssccs.push(SSCC_IN.exec(id)![1]!);
        else if (principal.role === 'producer')
          throw forbiddenSubject(index, id, 'not a GTIN of your products');
      }
      // a carton's SSCC: of the company whose goods it holds
      for (const sscc of ssccs)
        if (principal.role === 'producer' && !ownGtins.some((g) => hasCompanyPrefixOf(sscc, g)))
          throw forbiddenSubject(index, sscc, 'not an SSCC of your company');
      for (const id of places) {
        const holder = locations.get(id);
        if (holder) producers.add(holder);
        else if (principal.role === 'producer' && !partners.has(id))
          throw forbiddenSubject(index, id, 'not one of your registered locations or partners');
      }
      if (principal.role === 'producer') {
        const own = principal.producerId;
        if (!own || [...producers].some((p) => p !== own))
          throw forbiddenSubject(index, '', 'another producer’s');
        out.push({ owner: own, province: await provinceOf(own) });
        continue;
      }
      const owner = producers.size === 1 ? [...producers][0]! : null;
      const province = owner
        ? await provinceOf(owner)
        : principal.role === 'province_office'
          ? principal.scopeCode
          : null;
      if (principal.role === 'province_office') {
        for (const p of producers)
          if ((await provinceOf(p)) !== principal.scopeCode)
            throw forbiddenSubject(index, '', 'a producer of another province');
      }
      out.push({ owner, province });
    }
    return out;
  }

  const mayCapture = (principal: Principal | null): Principal => {
    if (!principal) throw new EpcisError('SecurityException', 401, 'An API token is required');
    if (!['admin', 'province_office', 'producer'].includes(principal.role))
      throw new EpcisError('SecurityException', 403, 'This account may not capture events');
    return principal;
  };

  return {
    mayCapture,

    /**
     * Captures validated events. Under `rollback` every event is stored or none (a duplicate
     * eventID, a subject the caller may not speak for: nothing); under `proceed` the others go in.
     * `refused`: events of the document left out already (under `proceed`), for the job to report.
     */
    async capture(
      principal: Principal | null,
      events: CapturedEvent[],
      behaviour: ErrorBehaviour,
      refused: JobError[] = [],
    ): Promise<CaptureResult> {
      const who = mayCapture(principal);
      if (events.length > CAPTURE_LIMIT)
        throw new EpcisError(
          'CaptureLimitExceededException',
          413,
          `At most ${CAPTURE_LIMIT} events per capture`,
        );
      // the times both engines store (PGlite refuses years before 1 and after 9999)
      for (const c of events) {
        const year = new Date(c.projection.eventTime).getUTCFullYear();
        if (!(year >= 1 && year <= 9999))
          throw new EpcisError(
            'ValidationException',
            400,
            `Event ${c.index + 1}: eventTime must fall between the years 1 and 9999 (UTC)`,
          );
      }
      // (read-only lookups, side by side)
      const [owners, existing] = await Promise.all([
        ownersOf(who, events),
        q.existingEventIds(
          db,
          events.map((c) => c.eventID),
        ),
      ]);
      const job = await q.insertJob(db, {
        error_behaviour: behaviour,
        event_count: events.length + refused.length,
        user_id: who.userId,
        producer_id: who.role === 'producer' ? who.producerId : null,
        province_code: who.role === 'province_office' ? who.scopeCode : null,
      });
      const errors: JobError[] = [...refused];
      // the same eventID twice in one document, or already stored
      const seen = new Set<string>();
      const duplicate: boolean[] = events.map((c) => {
        const twice = seen.has(c.eventID);
        seen.add(c.eventID);
        return twice;
      });
      events.forEach((c, i) => {
        if (duplicate[i] || existing.has(c.eventID)) {
          duplicate[i] = true;
          errors.push({
            type: 'epcisException:ResourceAlreadyExistsException',
            title: 'An event with this eventID is already stored',
            status: 409,
            detail: c.eventID,
          });
        }
      });
      if (errors.length > 0 && behaviour === 'rollback') {
        const finished = await q.finishJob(db, job.id, { success: false, stored: 0, errors });
        return { job: finished, stored: [] };
      }
      const keep = events.map((_c, i) => !duplicate[i]);
      const recordDate = deps.now?.() ?? new Date();
      const recordTime = recordDate.toISOString();
      let stored: string[] = [];
      try {
        stored = await db.transaction().execute(async (trx) => {
          const chosen = events.filter((_c, i) => keep[i]);
          const chosenOwners = owners.filter((_o, i) => keep[i]);
          const chainKeyOf = (o: { owner: string | null; province: string | null }) =>
            o.owner ? `producer:${o.owner}` : o.province ? `province:${o.province}` : 'platform';
          const heads = await q.lockChainHeads(trx, chosenOwners.map(chainKeyOf));
          const rows: q.NewEvent[] = [];
          const identifiers: { index: number; role: string; identifier: string }[] = [];
          for (const [i, c] of chosen.entries()) {
            const o = chosenOwners[i]!;
            const key = chainKeyOf(o);
            const head = heads.get(key)!;
            const document = { ...c.event, eventID: c.eventID, recordTime };
            const content = canonicalJson(document);
            const hash = linkHash(head.hash, c.eventID, recordTime, content);
            const p = c.projection;
            rows.push({
              event_id: c.eventID,
              event_type: p.eventType,
              event_time: new Date(p.eventTime),
              event_time_zone_offset: p.eventTimeZoneOffset,
              record_time: recordDate,
              action: p.action,
              biz_step: p.bizStep,
              disposition: p.disposition,
              read_point: p.readPoint,
              biz_location: p.bizLocation,
              document: content,
              capture_id: job.id,
              owner_producer_id: o.owner,
              province_code: o.province,
              chain_key: key,
              chain_seq: head.seq + 1,
              prev_hash: head.hash,
              hash,
            });
            heads.set(key, { seq: head.seq + 1, hash });
            for (const role of [
              'epc',
              'parentID',
              'inputEPC',
              'outputEPC',
              'epcClass',
              'inputEPCClass',
              'outputEPCClass',
            ] as const)
              for (const identifier of new Set(p[role])) identifiers.push({ index: i, role, identifier });
          }
          await q.insertEvents(trx, rows, identifiers);
          await q.saveChainHeads(trx, heads);
          return rows.map((r) => r.event_id);
        });
      } catch (error) {
        // another capture stored one of these eventIDs in the meantime
        if ((error as { code?: string }).code === '23505') {
          errors.push({
            type: 'epcisException:ResourceAlreadyExistsException',
            title: 'An event with this eventID was stored meanwhile',
            status: 409,
          });
          const finished = await q.finishJob(db, job.id, { success: false, stored: 0, errors });
          return { job: finished, stored: [] };
        }
        // a value the database cannot hold (a NUL or a lone surrogate in a string, an eventID
        // over 2000 characters, a time out of its range): the sender's fault, nothing stored
        const code = String((error as { code?: string }).code ?? '');
        if (code.startsWith('22') || code === '23514') {
          const detail =
            'An event holds a value the repository cannot store (a NUL character or an unpaired surrogate in a string, an eventID over 2000 characters)';
          await q.finishJob(db, job.id, {
            success: false,
            stored: 0,
            errors: [
              ...errors,
              { type: 'epcisException:ValidationException', title: 'Invalid value', status: 400, detail },
            ],
          });
          throw new EpcisError('ValidationException', 400, detail);
        }
        await q.finishJob(db, job.id, {
          success: false,
          stored: 0,
          errors: [
            { type: 'epcisException:ImplementationException', title: 'The capture failed', status: 500 },
          ],
        });
        throw error;
      }
      const finished = await q.finishJob(db, job.id, {
        success: errors.length === 0,
        stored: stored.length,
        errors,
      });
      return { job: finished, stored };
    },

    async job(principal: Principal | null, id: string) {
      const who = mayCapture(principal);
      const job = /^[0-9a-f-]{36}$/i.test(id) ? await q.findJob(db, id) : undefined;
      // the jobs the caller's list shows (its producer's, its province's), and its own
      const visible =
        job &&
        (who.role === 'admin' ||
          job.user_id === who.userId ||
          (who.role === 'producer' && who.producerId !== null && job.producer_id === who.producerId) ||
          (who.role === 'province_office' && who.scopeCode !== null && job.province_code === who.scopeCode));
      if (!job || !visible) throw new EpcisError('NoSuchResourceException', 404, 'No such capture job');
      return job;
    },

    async jobs(principal: Principal | null) {
      const who = mayCapture(principal);
      const scope: q.EventScope =
        who.role === 'admin'
          ? { kind: 'all' }
          : who.role === 'producer'
            ? { kind: 'producer', producerId: who.producerId ?? '' }
            : { kind: 'province', code: who.scopeCode ?? '' };
      return q.listJobs(db, scope, 100);
    },

    /** Jobs a crashed process left running are closed as failed (nothing of them was stored). */
    closeInterrupted: () => q.closeInterruptedJobs(db),
  };
}

function forbiddenSubject(index: number, identifier: string, why: string) {
  return new EpcisError(
    'SecurityException',
    403,
    `Event ${index + 1}: ${identifier ? `${identifier} is ` : ''}${why}: you may only capture events about your own products and locations`,
  );
}

export type CaptureService = ReturnType<typeof createCaptureService>;

/** The capture job document of the REST bindings. */
export function presentJob(job: q.JobRow) {
  return {
    captureID: job.id,
    createdAt: job.created_at.toISOString(),
    ...(job.finished_at ? { finishedAt: job.finished_at.toISOString() } : {}),
    running: job.running,
    success: job.success,
    captureErrorBehaviour: job.error_behaviour,
    errors: job.errors as unknown[],
  };
}
