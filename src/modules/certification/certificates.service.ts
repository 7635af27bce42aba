/**
 * The certificate register: reading it (lists, lookups, the open-data register), the office's own
 * records, revocation, certificates from evaluation decisions, and the re-evaluation bookkeeping
 * the dossiers feed. Writing a certificate goes through `certificate-record.ts`. The status is
 * never stored: `certificate-status.ts` computes it from the dates and the day.
 */
import type { Kysely, Transaction } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError, type FieldError } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, LIST_LIMIT, type Page } from '../../platform/pagination.ts';
import { isCalendarDate, todayInVietnam } from '../../platform/time.ts';
import type { ProducersService } from '../producers/index.ts';
import type { ProductsService } from '../products/index.ts';
import {
  type CertificateLevel,
  type CertificateSource,
  type CertificateStatus,
  REVOCATION_GROUNDS,
  type RevocationGround,
} from './certificate.model.ts';
import { type CertificateInput, createCertificateRecorder, text } from './certificate-record.ts';
import { certificateStatus, reevaluationWindow } from './certificate-status.ts';
import * as q from './certificates.queries.ts';
import { datesOf } from './certificates.queries.ts';
import { certificateEnded, certificateNotFound, invalid, productNotFound } from './errors.ts';
import { certificationPolicy, recordsCertificates } from './policy.ts';

export interface Certificate {
  id: string;
  number: string;
  productId: string;
  producerId: string;
  productName: string;
  producerName: string;
  productSet: number;
  communeCode: string;
  provinceCode: string;
  level: CertificateLevel;
  stars: number;
  score: number | null;
  decision: { number: string; date: string; signer: string };
  issuedOn: string;
  validUntil: string;
  validityReason: string | null;
  source: CertificateSource;
  roundId: string | null;
  dossierId: string | null;
  supersedesId: string | null;
  supersededById: string | null;
  supersededOn: string | null;
  revocation: {
    on: string;
    ground: RevocationGround;
    decisionNumber: string;
    signer: string;
    reason: string | null;
  } | null;
  reevaluation: { dossierId: string; filedOn: string; endedOn: string | null } | null;
  /** On the day the certificate was read. */
  status: CertificateStatus;
  statusSince: string | null;
  statusUntil: string | null;
  window: { opens: string; closes: string };
  isDemo: boolean;
  version: number;
}

export function presentCertificate(row: q.CertificateRow, day: string): Certificate {
  const status = certificateStatus(datesOf(row), day);
  return {
    id: row.id,
    number: row.number,
    productId: row.product_id,
    producerId: row.producer_id,
    productName: row.product_name,
    producerName: row.producer_name,
    productSet: row.product_set,
    communeCode: row.commune_code,
    provinceCode: row.province_code,
    level: row.level as CertificateLevel,
    stars: row.stars,
    score: row.score === null ? null : Number(row.score),
    decision: { number: row.decision_number, date: row.decision_date, signer: row.decision_signer },
    issuedOn: row.issued_on,
    validUntil: row.valid_until,
    validityReason: row.validity_reason,
    source: row.source as CertificateSource,
    roundId: row.round_id,
    dossierId: row.dossier_id,
    supersedesId: row.supersedes_id,
    supersededById: row.superseded_by_id,
    supersededOn: row.superseded_on,
    revocation:
      row.revoked_on && row.revocation_ground && row.revocation_decision_number && row.revocation_signer
        ? {
            on: row.revoked_on,
            ground: row.revocation_ground as RevocationGround,
            decisionNumber: row.revocation_decision_number,
            signer: row.revocation_signer,
            reason: row.revocation_reason,
          }
        : null,
    reevaluation:
      row.reevaluation_dossier_id && row.reevaluation_filed_on
        ? {
            dossierId: row.reevaluation_dossier_id,
            filedOn: row.reevaluation_filed_on,
            endedOn: row.reevaluation_ended_on,
          }
        : null,
    status: status.status,
    statusSince: status.since,
    statusUntil: status.until,
    window: reevaluationWindow(row.valid_until),
    isDemo: row.is_demo,
    version: row.version,
  };
}

export interface CertificateQuery {
  status?: CertificateStatus[] | undefined;
  stars?: number | undefined;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  producerId?: string | undefined;
  productId?: string | undefined;
  expiringWithinDays?: number | undefined;
  validUntilFrom?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export { inForce } from './certificate.model.ts';
export type { CertificateInput } from './certificate-record.ts';
export { datesOf } from './certificates.queries.ts';

export interface RevocationInput {
  ground: string;
  decisionNumber: string;
  /** The revocation decision's date: the certificate is revoked from that day. */
  decisionDate: string;
  signer: string;
  reason?: string | null | undefined;
  version?: number | undefined;
}

/** A recognition decided in an evaluation round (the evaluation module hands these over). */
export interface Recognition {
  roundId: string;
  dossierId: string;
  dossierKind: string;
  productId: string;
  stars: number;
  score: number | null;
  level: 'province' | 'central';
  decision: { number: string; date: string; signer: string };
}

/** A step of a dossier (the products module reports these). */
export interface DossierStep {
  dossierId: string;
  productId: string;
  kind: string;
  action: string;
  to: string;
}

export interface CertificatesDeps {
  products: Pick<ProductsService, 'forCertificates' | 'setCertifiedStars'>;
  producers: Pick<ProducersService, 'placeOf'>;
  now: () => Date;
}

export function createCertificatesService(db: Kysely<DB>, deps: CertificatesDeps) {
  const today = () => todayInVietnam(deps.now());
  /** Bumped at every write this process makes: read caches key on it. */
  let generation = 0;

  const recorder = createCertificateRecorder(deps, today, () => {
    generation += 1;
  });
  const { rowOf, record, syncProductStars } = recorder;

  async function visibleRow(id: string): Promise<q.CertificateRow> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      throw certificateNotFound();
    const row = await q.findCertificate(db, id);
    if (!row) throw certificateNotFound();
    return row;
  }

  const placeOfProduct = (p: { provinceCode: string; communeCode: string; producerId: string }) => ({
    provinceCode: p.provinceCode,
    communeCode: p.communeCode,
    producerId: p.producerId,
  });

  const placeOf = (row: { province_code: string; commune_code: string; producer_id: string }) => ({
    provinceCode: row.province_code,
    communeCode: row.commune_code,
    producerId: row.producer_id,
  });

  const requireRecorder = (principal: Principal | null, place: ReturnType<typeof placeOf>) => {
    if (!principal) throw new DomainError('sign_in_required', 'unauthenticated');
    if (!certificationPolicy(principal, 'record', place)) throw new DomainError('forbidden', 'forbidden');
  };

  /** Runs a write in its own transaction, and marks the caches stale once it has committed. */
  async function committed<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    const result = await db.transaction().execute(work);
    generation += 1;
    return result;
  }

  return {
    today,
    /**
     * Changes whenever this process writes certificates (for caches of whole lists and pages).
     * Bumped in the write's transaction and again after its commit where the service owns the
     * transaction; for writes in another module's transaction (decisions, dossier steps) and in
     * other processes, the caches' own lifetimes (a minute or five) bound what they miss.
     */
    generation: () => generation,

    /** The public register: every certificate, filtered and paged by its last day in force. */
    async list(query: CertificateQuery): Promise<Page<Certificate> & { day: string }> {
      const day = today();
      const limit = Math.min(query.limit ?? LIST_LIMIT.default, LIST_LIMIT.max);
      const q0 = text(query.q) ?? undefined;
      const cursor = decodeCursor(query.cursor);
      const filter: q.CertificateFilter = {
        day,
        provinceCode: query.provinceCode,
        communeCode: query.communeCode,
        producerId: query.producerId,
        productId: query.productId,
        statuses: query.status,
        stars: query.stars,
        expiringWithinDays: query.expiringWithinDays,
        validUntilFrom: query.validUntilFrom,
        q: q0,
        cursor,
        // a typo search's next pages stay fuzzy (the cursor says so)
        fuzzy: Boolean(q0 && cursor?.fuzzy),
        limit,
      };
      let rows = await q.findCertificates(db, filter);
      if (rows.length === 0 && q0 && !cursor) {
        filter.fuzzy = true;
        rows = await q.findCertificates(db, filter);
      }
      const more = rows.length > limit;
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        day,
        items: items.map((row) => presentCertificate(row, day)),
        nextCursor:
          more && last
            ? encodeCursor({
                sortKey: last.valid_until,
                id: last.id,
                ...(filter.fuzzy ? { fuzzy: true } : {}),
              })
            : null,
      };
    },

    async get(id: string): Promise<Certificate> {
      return presentCertificate(await visibleRow(id), today());
    },

    /** A certificate by id or by number (numbers are unique per province and level: maybe several). */
    async lookup(ref: string): Promise<Certificate[]> {
      const day = today();
      const trimmed = ref.trim();
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(trimmed)) {
        const row = await q.findCertificate(db, trimmed.toLowerCase());
        return row ? [presentCertificate(row, day)] : [];
      }
      if (!trimmed || trimmed.length > 60) return [];
      return (await q.findByNumber(db, trimmed)).map((row) => presentCertificate(row, day));
    },

    /** Every certificate not replaced by a newer one, with its status today (open data). */
    async register(): Promise<{ day: string; items: Certificate[] }> {
      const day = today();
      return { day, items: (await q.findNotSuperseded(db)).map((row) => presentCertificate(row, day)) };
    },

    /** Every certificate of these products, newest first (product pages, the verification page). */
    async ofProducts(productIds: string[]): Promise<Certificate[]> {
      const day = today();
      return (await q.findOfProducts(db, productIds)).map((row) => presentCertificate(row, day));
    },

    /** May the principal print this certificate and its mark? */
    mayPrint: (principal: Principal | null, c: Certificate) =>
      certificationPolicy(principal, 'print', {
        provinceCode: c.provinceCode,
        communeCode: c.communeCode,
        producerId: c.producerId,
      }),

    /**
     * The certificate as this principal may read it: the revocation's findings (free text that may
     * name people) only for those who may print it; the public reads the ground and the decision.
     */
    shownTo(principal: Principal | null, c: Certificate): Certificate {
      if (!c.revocation?.reason || this.mayPrint(principal, c)) return c;
      return { ...c, revocation: { ...c.revocation, reason: null } };
    },

    mayRecord: (principal: Principal | null, c: Certificate) =>
      certificationPolicy(principal, 'record', {
        provinceCode: c.provinceCode,
        communeCode: c.communeCode,
        producerId: c.producerId,
      }),

    async create(
      context: AuditContext,
      principal: Principal | null,
      input: CertificateInput,
    ): Promise<Certificate> {
      if (!principal) throw new DomainError('sign_in_required', 'unauthenticated');
      if (!recordsCertificates(principal)) throw new DomainError('forbidden', 'forbidden');
      return committed(async (trx) => {
        const product = (await deps.products.forCertificates([input.productId], trx)).get(input.productId);
        // another province's product is not named to the office: as if it did not exist
        if (!product || !certificationPolicy(principal, 'record', placeOfProduct(product)))
          throw productNotFound();
        const row = await rowOf(trx, input, 'manual');
        return presentCertificate(await record(trx, context, row, input.supersedesId ?? null), today());
      });
    },

    /** Revocation (Điều 8): one of the six grounds, the decision, its date and signer. */
    async revoke(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      input: RevocationInput,
    ): Promise<Certificate> {
      const existing = await visibleRow(id);
      requireRecorder(principal, placeOf(existing));
      const fields: FieldError[] = [];
      const bad = (name: string, rule: string, params?: Record<string, string | number>) =>
        fields.push({ in: 'body', name, rule, ...(params ? { params } : {}) });
      if (!input.ground) bad('ground', 'required');
      else if (!REVOCATION_GROUNDS.includes(input.ground as RevocationGround))
        bad('ground', 'enum', { allowed: REVOCATION_GROUNDS.join(', ') });
      const decisionNumber = text(input.decisionNumber);
      if (!decisionNumber) bad('decisionNumber', 'required');
      else if (decisionNumber.length > 60) bad('decisionNumber', 'maxLength', { limit: 60 });
      const signer = text(input.signer);
      if (!signer) bad('signer', 'required');
      else if (signer.length > 200) bad('signer', 'maxLength', { limit: 200 });
      const reason = input.reason?.trim() || null;
      if (reason && reason.length > 2000) bad('reason', 'maxLength', { limit: 2000 });
      const day = today();
      if (!input.decisionDate || !isCalendarDate(input.decisionDate)) bad('decisionDate', 'date');
      else if (input.decisionDate > day) bad('decisionDate', 'notFuture');
      else if (input.decisionDate < existing.issued_on) bad('decisionDate', 'notBeforeIssue');
      if (fields.length > 0) throw invalid(fields);
      return committed(async (trx) => {
        await q.lockProductCertificates(trx, existing.product_id);
        const row = await q.lockCertificate(trx, id);
        if (!row) throw certificateNotFound();
        if (input.version !== undefined && input.version !== row.version)
          throw new DomainError('certificate_changed', 'conflict');
        if (row.revoked_on !== null || row.superseded_by_id !== null)
          throw certificateEnded(certificateStatus(datesOf(row), day).status);
        const after = await q.updateCertificate(trx, id, {
          revoked_on: input.decisionDate,
          revocation_ground: input.ground,
          revocation_decision_number: decisionNumber,
          revocation_signer: signer,
          revocation_reason: reason,
        });
        await audit(trx, context, {
          action: 'certificate.revoke',
          entityType: 'certificate',
          entityId: id,
          before: { revokedOn: null },
          after: {
            revokedOn: after.revoked_on,
            ground: after.revocation_ground,
            decisionNumber: after.revocation_decision_number,
            signer: after.revocation_signer,
            reason: after.revocation_reason,
          },
        });
        await syncProductStars(trx, [row.product_id]);
        generation += 1;
        return presentCertificate(after, day);
      });
    },

    /**
     * The certificates of a round's decision, in the decision's transaction: one per recognised
     * product, issued on the decision's date; an upgrade or re-evaluation replaces the product's
     * current certificate.
     */
    async issueFromDecision(trx: Transaction<DB>, context: AuditContext, recognitions: Recognition[]) {
      const out: Certificate[] = [];
      for (const r of recognitions) {
        const row = await rowOf(
          trx,
          {
            productId: r.productId,
            level: r.level,
            stars: r.stars,
            score: r.score,
            decisionNumber: r.decision.number,
            decisionDate: r.decision.date,
            decisionSigner: r.decision.signer,
          },
          'decision',
          { roundId: r.roundId, dossierId: r.dossierId },
        );
        // the authority's latest word on the product replaces what it held, whatever the dossier's
        // kind: a decision never fails because a certificate (imported, say) is still in force
        out.push(presentCertificate(await record(trx, context, row, 'any'), today()));
      }
      return out;
    },

    /**
     * A dossier step, in its transaction: a re-evaluation filed keeps the product's current
     * certificate in force past its end date until it is decided (at most 180 days); withdrawn,
     * or closed without a new certificate, it no longer does.
     */
    async noteDossierStep(trx: Transaction<DB>, context: AuditContext, step: DossierStep) {
      if (step.kind !== 're_evaluation') return;
      generation += 1;
      const current = await q.lockCurrentOfProduct(trx, step.productId);
      if (!current) return;
      const day = today();
      // a new dossier after one withdrawn or closed unrecognised is a new filing
      if (
        step.action === 'submit' &&
        (current.reevaluation_dossier_id === null || current.reevaluation_ended_on !== null)
      ) {
        const after = await q.updateCertificate(trx, current.id, {
          reevaluation_dossier_id: step.dossierId,
          reevaluation_filed_on: day,
          reevaluation_ended_on: null,
        });
        await audit(trx, context, {
          action: 'certificate.reevaluation_filed',
          entityType: 'certificate',
          entityId: current.id,
          after: { dossierId: step.dossierId, filedOn: after.reevaluation_filed_on },
        });
        await syncProductStars(trx, [current.product_id]);
      } else if (
        (step.to === 'withdrawn' || step.to === 'closed') &&
        current.reevaluation_dossier_id === step.dossierId &&
        current.reevaluation_ended_on === null
      ) {
        await q.updateCertificate(trx, current.id, { reevaluation_ended_on: day });
        await audit(trx, context, {
          action: 'certificate.reevaluation_ended',
          entityType: 'certificate',
          entityId: current.id,
          after: { dossierId: step.dossierId, endedOn: day, dossierStatus: step.to },
        });
        await syncProductStars(trx, [current.product_id]);
      }
    },

    /** Writes rows the import planned (import.ts), in one transaction: all or nothing. */
    async recordImported(
      trx: Transaction<DB>,
      context: AuditContext,
      rows: q.NewCertificateRow[],
    ): Promise<number> {
      // oldest first, so that each product's history chains in order
      const sorted = [...rows].sort((a, b) => a.issued_on.localeCompare(b.issued_on));
      for (const row of sorted) await record(trx, context, row, 'any');
      return sorted.length;
    },

    rowOf,
    record,
    syncProductStars,
  };
}

export type CertificatesService = ReturnType<typeof createCertificatesService>;
