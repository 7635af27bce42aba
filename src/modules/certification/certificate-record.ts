/**
 * Writing a certificate, whoever asks (the office, a decision, an import, the demo): checking the
 * input against the rules (levels and stars, dates not in the future, 36 months unless a reason is
 * recorded), numbering, making it the product's current certificate (superseding the one before
 * only when told, or when that one is no longer in force) and keeping the product's stars in line.
 * Always in the caller's transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldError } from '../../platform/errors.ts';
import { isCalendarDate } from '../../platform/time.ts';
import type { ProducersService } from '../producers/index.ts';
import type { ProductsService } from '../products/index.ts';
import {
  CERTIFICATE_LEVELS,
  type CertificateLevel,
  type CertificateSource,
  IN_FORCE,
  inForce,
  STARS_BY_LEVEL,
} from './certificate.model.ts';
import { certificateStatus, standardValidUntil } from './certificate-status.ts';
import * as q from './certificates.queries.ts';
import { datesOf } from './certificates.queries.ts';
import { alreadyValid, certificateChanged, invalid, numberTaken } from './errors.ts';

/** What recording a certificate takes (the office's form, the API, an import row, a decision). */
export interface CertificateInput {
  productId: string;
  /** Left out: the platform gives the next number (OCOP-{province}-{year}-{NNNNN}). */
  number?: string | null | undefined;
  level: CertificateLevel;
  stars: number;
  score?: number | null | undefined;
  decisionNumber: string;
  decisionDate: string;
  decisionSigner: string;
  /** Left out: the decision's date. */
  issuedOn?: string | null | undefined;
  /** Left out: 36 months (standardValidUntil). Another date needs `validityReason`. */
  validUntil?: string | null | undefined;
  validityReason?: string | null | undefined;
  /** The current certificate this one replaces while it is still in force (upgrade, re-evaluation). */
  supersedesId?: string | null | undefined;
}

const NUMBER = /^[^\p{Cc}]{1,60}$/u;

/** A text field as stored: trimmed, inner spaces collapsed, empty = null. */
export const text = (s: string | null | undefined) => (s?.trim() ? s.trim().replace(/\s+/g, ' ') : null);

/** From this day the district level recognises nothing (two-tier local government). */
const DISTRICTS_ABOLISHED = '2025-07-01';

export interface RecorderDeps {
  products: Pick<ProductsService, 'forCertificates' | 'setCertifiedStars'>;
  producers: Pick<ProducersService, 'placeOf'>;
}

export function createCertificateRecorder(deps: RecorderDeps, today: () => string, onWrite: () => void) {
  /** Checks the input and turns it into a row, or throws every field at fault. */
  async function rowOf(
    trx: Kysely<DB>,
    input: CertificateInput,
    source: CertificateSource,
    extra: { roundId?: string; dossierId?: string; isDemo?: boolean } = {},
  ): Promise<q.NewCertificateRow> {
    const fields: FieldError[] = [];
    const bad = (name: string, rule: string, params?: Record<string, string | number>) =>
      fields.push({ in: 'body', name, rule, ...(params ? { params } : {}) });
    const day = today();
    if (!CERTIFICATE_LEVELS.includes(input.level))
      bad('level', 'enum', { allowed: CERTIFICATE_LEVELS.join(', ') });
    else if (!STARS_BY_LEVEL[input.level].includes(input.stars)) bad('stars', 'starsForLevel');
    if (input.score !== null && input.score !== undefined && !(input.score >= 0 && input.score <= 100))
      bad('score', 'score');
    const number = text(input.number);
    if (number !== null && !NUMBER.test(number)) bad('number', 'maxLength', { limit: 60 });
    const decisionNumber = text(input.decisionNumber);
    if (!decisionNumber) bad('decisionNumber', 'required');
    else if (decisionNumber.length > 60) bad('decisionNumber', 'maxLength', { limit: 60 });
    const signer = text(input.decisionSigner);
    if (!signer) bad('decisionSigner', 'required');
    else if (signer.length > 200) bad('decisionSigner', 'maxLength', { limit: 200 });
    const decisionDate = input.decisionDate;
    if (!decisionDate || !isCalendarDate(decisionDate)) bad('decisionDate', 'date');
    else if (decisionDate > day) bad('decisionDate', 'notFuture');
    const issuedOn = input.issuedOn || decisionDate;
    if (input.issuedOn && !isCalendarDate(input.issuedOn)) bad('issuedOn', 'date');
    else if (issuedOn && isCalendarDate(issuedOn)) {
      if (issuedOn > day) bad('issuedOn', 'notFuture');
      else if (decisionDate && issuedOn < decisionDate) bad('issuedOn', 'notBeforeDecision');
    }
    let validUntil: string | null = null;
    const reason = text(input.validityReason);
    if (reason && reason.length > 500) bad('validityReason', 'maxLength', { limit: 500 });
    if (issuedOn && isCalendarDate(issuedOn)) {
      const standard = standardValidUntil(issuedOn);
      validUntil = input.validUntil || standard;
      if (!isCalendarDate(validUntil)) bad('validUntil', 'date');
      else if (validUntil <= issuedOn) bad('validUntil', 'afterIssue');
      else if (validUntil !== standard && !reason) bad('validityReason', 'validityReason', { standard });
    }
    const product = (await deps.products.forCertificates([input.productId], trx)).get(input.productId);
    if (!product) bad('productId', 'certificateProduct');
    // the district level was abolished on 1 July 2025 (QĐ 1489/QĐ-TTg)
    if (input.level === 'district' && decisionDate && decisionDate >= DISTRICTS_ABOLISHED)
      bad('level', 'districtBefore2025');
    if (fields.length > 0) throw invalid(fields);
    const place = await deps.producers.placeOf(product!.producerId, trx);
    return {
      number: number ?? '',
      product_id: product!.id,
      producer_id: product!.producerId,
      product_name: product!.name,
      producer_name: place?.producer.legalName ?? '',
      product_set: product!.productSet,
      commune_code: product!.communeCode,
      province_code: product!.provinceCode,
      level: input.level,
      stars: input.stars,
      score: input.score === null || input.score === undefined ? null : input.score.toFixed(2),
      decision_number: decisionNumber!,
      decision_date: decisionDate,
      decision_signer: signer!,
      issued_on: issuedOn!,
      valid_until: validUntil!,
      validity_reason: validUntil === standardValidUntil(issuedOn!) ? null : reason,
      source,
      round_id: extra.roundId ?? null,
      dossier_id: extra.dossierId ?? null,
      supersedes_id: null,
      superseded_by_id: null,
      superseded_on: null,
      revoked_on: null,
      revocation_ground: null,
      revocation_decision_number: null,
      revocation_signer: null,
      revocation_reason: null,
      reevaluation_dossier_id: null,
      reevaluation_filed_on: null,
      reevaluation_ended_on: null,
      is_demo: extra.isDemo ?? product!.isDemo,
    };
  }

  /** The star rating the product's certificates give it today (the highest in force), or null. */
  async function syncProductStars(trx: Kysely<DB>, productIds: string[]): Promise<number> {
    const day = today();
    const rows = await q.findOfProducts(trx, productIds);
    const stars = new Map<string, number | null>(productIds.map((id) => [id, null]));
    for (const row of rows) {
      if (!inForce(certificateStatus(datesOf(row), day))) continue;
      stars.set(row.product_id, Math.max(stars.get(row.product_id) ?? 0, row.stars));
    }
    return deps.products.setCertifiedStars(
      trx,
      [...stars].map(([productId, s]) => ({ productId, stars: s })),
    );
  }

  /**
   * Records a certificate in the caller's transaction: gives it a number if it has none, and
   * makes it the product's current one. A current certificate still in force is replaced only
   * when `supersede` says so (an upgrade or re-evaluation); one no longer in force (expired) is
   * replaced quietly; a certificate older than the current one goes in as already superseded.
   */
  async function record(
    trx: Transaction<DB>,
    context: AuditContext,
    row: q.NewCertificateRow,
    supersede: string | 'any' | null,
  ): Promise<q.CertificateRow> {
    // one writer per product at a time: two offices, an import and a decision never interleave
    await q.lockProductCertificates(trx, row.product_id);
    const current = await q.lockCurrentOfProduct(trx, row.product_id);
    // an older certificate goes in as history: replaced by the first one issued after it,
    // revoked ones included (it must never become current again over a later revocation)
    const later = await q.firstIssuedAfter(trx, row.product_id, row.issued_on);
    let values = row;
    if (later) {
      values = { ...row, superseded_by_id: later.id, superseded_on: later.issued_on };
    } else if (current) {
      const status = certificateStatus(datesOf(current), row.issued_on).status;
      const still = IN_FORCE.includes(status) || status === 'not_yet_valid';
      if (still && supersede !== 'any' && supersede !== current.id) throw alreadyValid(current.number);
    } else if (supersede !== null && supersede !== 'any') {
      // the certificate it was meant to replace is no longer current (revoked or replaced meanwhile)
      throw certificateChanged();
    }
    if (!values.number) {
      const prefix = `OCOP-${values.level === 'central' ? 'TW' : values.province_code}-${values.issued_on.slice(0, 4)}`;
      values = { ...values, number: `${prefix}-${String(await q.nextNumber(trx, prefix)).padStart(5, '0')}` };
    }
    if (await q.numberTaken(trx, values.province_code, values.level, values.number))
      throw numberTaken(values.number);
    const fresh = values.superseded_by_id !== null;
    const id = randomUUID();
    if (current && !fresh) {
      // the current one makes way first (one current certificate per product; the key is deferred)
      await q.updateCertificate(trx, current.id, { superseded_by_id: id, superseded_on: values.issued_on });
      await audit(trx, context, {
        action: 'certificate.supersede',
        entityType: 'certificate',
        entityId: current.id,
        before: { supersededById: null },
        after: { supersededById: id, supersededOn: values.issued_on },
      });
    }
    const inserted = await q
      .insertCertificate(trx, {
        ...values,
        id,
        supersedes_id: current && !fresh ? current.id : null,
      })
      .catch((error: { code?: string }) => {
        // the database's own guard (one current certificate per product, unique numbers)
        if (error.code === '23505') throw certificateChanged();
        throw error;
      });
    await audit(trx, context, {
      action: 'certificate.create',
      entityType: 'certificate',
      entityId: inserted.id,
      after: inserted as unknown as Record<string, unknown>,
    });
    await syncProductStars(trx, [inserted.product_id]);
    onWrite();
    return inserted;
  }

  return { rowOf, record, syncProductStars };
}
