/**
 * Dossiers: one per evaluation request. The producer fills Mẫu 01 and Mẫu 02 and attaches the
 * evidence; the commune checks it within 15 working days (Mẫu 03) and forwards it; the province
 * accepts it into an evaluation round. Every step goes through the transition table
 * (dossier-states.ts), is audited, kept in the dossier's history and told to the other side.
 */
import type { Kysely, Transaction } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { enqueueMail } from '../../platform/mail.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/pagination.ts';
import { todayInVietnam } from '../../platform/time.ts';
import type { IdentityService } from '../identity/index.ts';
import { listScope, type ProducersService } from '../producers/index.ts';
import { findCurrentDocuments } from './documents.queries.ts';
import {
  type ChecklistItem,
  type CommuneReport,
  checklist,
  communeReportComplete,
  type DossierKind,
  isComplete,
  type RegistrationForm,
  registrationComplete,
  type SelfAssessment,
  type SelfScoring,
  selfAssessmentComplete,
} from './dossier-checklist.ts';
import {
  AWAITING_COMMUNE,
  availableActions,
  type DossierAction,
  type DossierStatus,
  decide,
  EDITABLE_BY_PRODUCER,
  type Side,
} from './dossier-states.ts';
import {
  type DossierEventRow,
  type DossierRow,
  findDossier,
  findDossierEvents,
  findDossiers,
  insertDossier,
  insertDossierEvent,
  lockDossier,
  updateDossier,
} from './dossiers.queries.ts';
import {
  dossierChanged,
  dossierNotEditable,
  dossierNotFound,
  dossierOpen,
  forbidden,
  invalid,
  signInRequired,
  transitionRefused,
} from './errors.ts';
import { formatProductCode } from './product-code.ts';
import { findProduct, lockProduct, nextCommuneSequence, updateProduct } from './products.queries.ts';
import { addWorkingDays, workingDaysBetween } from './working-days.ts';

/** Working days the commune has to check a dossier (Điều 7.2). */
export const COMMUNE_DAYS = 15;

export interface DossierEvent {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  comment: string | null;
  actorName: string | null;
  occurredAt: string;
}

export interface Dossier {
  id: string;
  productId: string;
  producerId: string;
  kind: DossierKind;
  status: DossierStatus;
  registration: RegistrationForm;
  selfAssessment: SelfAssessment;
  communeReport: CommuneReport | null;
  communeCode: string;
  provinceCode: string;
  submittedAt: string | null;
  /** The commune's deadline (15 working days after (re)submission), while it is the commune's turn. */
  dueOn: string | null;
  /** Working days left until the deadline (negative: overdue); null when the clock is not running. */
  workingDaysLeft: number | null;
  overdue: boolean;
  returnComment: string | null;
  forwardedAt: string | null;
  isDemo: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DossierDetail extends Dossier {
  productName: string;
  productSet: number;
  productCode: string | null;
  producerName: string;
  checklist: ChecklistItem[];
  complete: boolean;
  /** What the caller could do now. */
  actions: DossierAction[];
  /** Whether the caller may change the forms and files now. */
  editable: boolean;
  events: DossierEvent[];
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** Public holidays and the Saturdays worked in exchange (data/holidays/vietnam.json). */
export interface WorkingCalendar {
  holidays: ReadonlySet<string>;
  makeUpWorkingDays: ReadonlySet<string>;
}

export function presentDossier(row: DossierRow, today: string, calendar: WorkingCalendar): Dossier {
  const running = AWAITING_COMMUNE.includes(row.status as DossierStatus) && row.due_on !== null;
  const left = running
    ? workingDaysBetween(today, row.due_on!, calendar.holidays, calendar.makeUpWorkingDays)
    : null;
  return {
    id: row.id,
    productId: row.product_id,
    producerId: row.producer_id,
    kind: row.kind as DossierKind,
    status: row.status as DossierStatus,
    registration: json(row.registration),
    selfAssessment: json(row.self_assessment),
    communeReport: row.commune_report === null ? null : json(row.commune_report),
    communeCode: row.commune_code,
    provinceCode: row.province_code,
    submittedAt: row.submitted_at?.toISOString() ?? null,
    dueOn: running ? row.due_on : null,
    workingDaysLeft: left,
    overdue: left !== null && left < 0,
    returnComment: row.return_comment,
    forwardedAt: row.forwarded_at?.toISOString() ?? null,
    isDemo: row.is_demo,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** As whom a principal may act on a dossier: the producer, its commune, its province. */
export function sidesOf(
  principal: Principal | null,
  dossier: { producer_id: string; commune_code: string; province_code: string },
): Side[] {
  if (!principal) return [];
  switch (principal.role) {
    case 'admin':
      return ['producer', 'commune', 'province'];
    case 'producer':
      return principal.producerId === dossier.producer_id ? ['producer'] : [];
    case 'commune_officer':
      return principal.scopeCode === dossier.commune_code ? ['commune'] : [];
    case 'province_office':
      return principal.scopeCode === dossier.province_code ? ['province'] : [];
    default:
      return [];
  }
}

/**
 * Files go on a dossier while it is its producer's to complete (draft, returned); the commune
 * adds its signed Mẫu 03 while the dossier is with it.
 */
export function mayAttachNow(principal: Principal | null, row: DossierRow, kind: string): boolean {
  const sides = sidesOf(principal, row);
  const status = row.status as DossierStatus;
  return kind === 'commune_report'
    ? sides.includes('commune') && AWAITING_COMMUNE.includes(status)
    : sides.includes('producer') && EDITABLE_BY_PRODUCER.includes(status);
}

export interface DossierQuery {
  status?: string[] | undefined;
  kind?: string | undefined;
  communeCode?: string | undefined;
  provinceCode?: string | undefined;
  productId?: string | undefined;
  overdue?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Who hears about a step, and in which words (Vietnamese first, English second). */
const NOTICE: Record<DossierAction, { vi: string; en: string; to: ('producer' | 'commune' | 'province')[] }> =
  {
    submit: { vi: 'đã nộp hồ sơ', en: 'submitted a dossier', to: ['commune'] },
    resubmit: { vi: 'đã nộp lại hồ sơ đã bổ sung', en: 'resubmitted a completed dossier', to: ['commune'] },
    return: { vi: 'đã trả hồ sơ để bổ sung', en: 'returned the dossier for completion', to: ['producer'] },
    check: { vi: 'đã kiểm tra hồ sơ (Mẫu 03)', en: 'checked the dossier (Form 03)', to: ['producer'] },
    forward: {
      vi: 'đã chuyển hồ sơ lên tỉnh',
      en: 'forwarded the dossier to the province',
      to: ['producer', 'province'],
    },
    accept: {
      vi: 'đã tiếp nhận hồ sơ vào đợt đánh giá',
      en: 'accepted the dossier into evaluation',
      to: ['producer', 'commune'],
    },
    close: { vi: 'đã đóng hồ sơ', en: 'closed the dossier', to: ['producer', 'commune'] },
    withdraw: { vi: 'đã rút hồ sơ', en: 'withdrew the dossier', to: ['commune'] },
  };

export function createDossiersService(
  db: Kysely<DB>,
  deps: {
    producers: ProducersService;
    identity: Pick<IdentityService, 'contacts'>;
    calendar: WorkingCalendar;
    publicUrl: URL;
    now?: () => Date;
    /**
     * Whether a user sits on a council that evaluates the dossier (the evaluation module answers):
     * such a member reads the dossier and its evidence, and changes nothing.
     */
    councilReads?: (userId: string, dossierId: string) => Promise<boolean>;
    /** Told of every step in its transaction (the certification module follows re-evaluations). */
    onStep?: DossierStepHook;
  },
) {
  const today = () => todayInVietnam(deps.now?.() ?? new Date());
  const present = (row: DossierRow) => presentDossier(row, today(), deps.calendar);

  async function visible(principal: Principal | null, id: string, trx: Kysely<DB> = db): Promise<DossierRow> {
    const row = await findDossier(trx, id);
    if (!row) throw dossierNotFound();
    if (sidesOf(principal, row).length === 0 && !(await readsAsCouncil(principal, id)))
      throw dossierNotFound();
    return row;
  }

  async function readsAsCouncil(principal: Principal | null, dossierId: string): Promise<boolean> {
    if (!principal || !deps.councilReads) return false;
    if (principal.role !== 'council_member' && principal.role !== 'council_secretary') return false;
    return deps.councilReads(principal.userId, dossierId);
  }

  async function checklistOf(trx: Kysely<DB>, row: DossierRow, productSet: number) {
    const documents = await findCurrentDocuments(trx, { productId: row.product_id, dossierId: row.id });
    const registration = json<RegistrationForm>(row.registration);
    const items = checklist(productSet, row.kind as DossierKind, {
      registrationComplete: registrationComplete(registration, productSet),
      selfAssessmentComplete: selfAssessmentComplete(json(row.self_assessment)),
      sampleCount: registration.sampleCount ?? 0,
      documentKinds: new Set(documents.map((d) => d.kind)),
    });
    return items;
  }

  async function notify(
    trx: Transaction<DB>,
    row: DossierRow,
    step: { action: DossierAction; from: string; by: Side },
    actor: string,
    productName: string,
  ) {
    const { action, from, by } = step;
    const notice = NOTICE[action];
    const recipients = new Map<string, string>();
    // a draft withdrawn never reached the commune; a return by the province concerns it too
    const to =
      action === 'withdraw' && from === 'draft'
        ? []
        : action === 'return' && by === 'province'
          ? ['producer', 'commune']
          : notice.to;
    for (const side of to) {
      const people =
        side === 'producer'
          ? await deps.identity.contacts({ producerId: row.producer_id }, trx)
          : await deps.identity.contacts(
              {
                role: side === 'commune' ? 'commune_officer' : 'province_office',
                scopeCode: side === 'commune' ? row.commune_code : row.province_code,
              },
              trx,
            );
      for (const person of people) recipients.set(person.email, person.name);
      if (side === 'producer' && people.length === 0) {
        const place = await deps.producers.placeOf(row.producer_id, trx);
        if (place?.producer.email) recipients.set(place.producer.email, place.producer.legalName);
      }
    }
    const link = new URL(`/dossiers/${row.id}`, deps.publicUrl).toString();
    for (const [email, name] of recipients) {
      await enqueueMail(trx, {
        to: email,
        subject: `Hồ sơ OCOP "${productName}": ${actor} ${notice.vi}`,
        text: [
          `Xin chào ${name},`,
          '',
          `${actor} ${notice.vi}: sản phẩm "${productName}".`,
          ...(action === 'return' && row.return_comment ? ['', `Ý kiến: ${row.return_comment}`] : []),
          '',
          `Xem hồ sơ: ${link}`,
          '',
          '---',
          `${actor} ${notice.en}: "${productName}". ${link}`,
        ].join('\n'),
      });
    }
  }

  const service = {
    present,

    async list(principal: Principal | null, query: DossierQuery): Promise<Page<Dossier>> {
      if (!principal) throw signInRequired();
      const scope = listScope(principal);
      if (!scope) throw forbidden();
      // the platform's cursor, whose sort key here is the time of the last change, to the microsecond
      const cursor = decodeCursor(query.cursor);
      if (cursor && !/^(19|2\d)\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d\.\d{6}$/.test(cursor.sortKey)) {
        throw invalid([{ in: 'query', name: 'cursor', rule: 'cursor' }]);
      }
      const rows = await findDossiers(db, {
        scope,
        status: query.status,
        kind: query.kind,
        communeCode: query.communeCode,
        provinceCode: query.provinceCode,
        productId: query.productId,
        overdueOn: query.overdue ? today() : undefined,
        cursor,
        limit: query.limit,
      });
      return pageOf(
        rows.map((row) => ({ ...row, sort_key: row.cursor_at })),
        query.limit,
        present,
      );
    },

    /** Whether the principal reads the dossier as a member of a council evaluating it. */
    readsAsCouncil,

    async get(principal: Principal | null, id: string): Promise<DossierDetail> {
      const row = await visible(principal, id);
      const product = await findProduct(db, row.product_id);
      const place = await deps.producers.placeOf(row.producer_id);
      const items = await checklistOf(db, row, product!.product_set);
      const sides = sidesOf(principal, row);
      const events = await findDossierEvents(db, id);
      return {
        ...present(row),
        productName: product!.name,
        productSet: product!.product_set,
        productCode: product!.product_code,
        producerName: place?.producer.legalName ?? '',
        checklist: items,
        complete: isComplete(items),
        actions: availableActions(row.status as DossierStatus, sides),
        editable: sides.includes('producer') && EDITABLE_BY_PRODUCER.includes(row.status as DossierStatus),
        events: events.map((e: DossierEventRow) => ({
          action: e.action,
          fromStatus: e.from_status,
          toStatus: e.to_status,
          comment: e.comment,
          actorName: e.actor_name,
          occurredAt: e.occurred_at.toISOString(),
        })),
      };
    },

    /** Opens a dossier for a product (its producer, or an officer on the producer's behalf). */
    async create(
      context: AuditContext,
      principal: Principal | null,
      input: { productId: string; kind: DossierKind },
    ): Promise<Dossier> {
      if (!principal) throw signInRequired();
      const product = await findProduct(db, input.productId);
      const target = product && {
        producer_id: product.producer_id,
        commune_code: product.commune_code,
        province_code: product.province_code,
      };
      if (!product || !target || sidesOf(principal, target).length === 0) {
        throw invalid([{ in: 'body', name: 'productId', rule: 'unknownProduct' }]);
      }
      // a dossier is the producer's request: its account opens, fills and submits it
      if (!sidesOf(principal, target).includes('producer')) throw forbidden();
      if (input.kind !== 'first_evaluation' && product.stars === null) {
        throw invalid([{ in: 'body', name: 'kind', rule: 'needsRecognition' }]);
      }
      const place = await deps.producers.placeOf(product.producer_id);
      const registration: RegistrationForm = {
        representativeName: place?.producer.representativeName ?? '',
        representativeTitle: place?.producer.representativeTitle ?? '',
        phone: place?.producer.phone ?? '',
        productionAddress: place?.producer.address ?? '',
      };
      return db.transaction().execute(async (trx) => {
        const row = await insertDossier(trx, {
          product_id: product.id,
          producer_id: product.producer_id,
          kind: input.kind,
          commune_code: product.commune_code,
          province_code: product.province_code,
          is_demo: product.is_demo,
          registration: JSON.stringify(registration),
          self_assessment: '{}',
        }).catch((error: { code?: string }) => {
          if (error.code === '23505') throw dossierOpen();
          throw error;
        });
        await insertDossierEvent(trx, {
          dossier_id: row.id,
          action: 'create',
          from_status: null,
          to_status: 'draft',
          comment: null,
          actor_id: principal.userId,
          actor_name: principal.name,
        });
        await audit(trx, context, {
          action: 'dossier.create',
          entityType: 'dossier',
          entityId: row.id,
          after: row,
        });
        return present(row);
      });
    },

    /** The producer fills Mẫu 01 / Mẫu 02 while the dossier is a draft or returned to it. */
    async updateForms(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      changes: { registration?: RegistrationForm; selfAssessment?: SelfAssessment },
      version?: number,
    ): Promise<Dossier> {
      const current = await visible(principal, id);
      if (!sidesOf(principal, current).includes('producer')) throw forbidden();
      return db.transaction().execute(async (trx) => {
        const row = await lockDossier(trx, id);
        if (!row) throw dossierNotFound();
        if (version !== undefined && row.version !== version) throw dossierChanged();
        if (!EDITABLE_BY_PRODUCER.includes(row.status as DossierStatus)) throw dossierNotEditable();
        const after = await updateDossier(trx, id, {
          ...(changes.registration
            ? {
                registration: JSON.stringify({
                  ...json<RegistrationForm>(row.registration),
                  ...changes.registration,
                }),
              }
            : {}),
          ...(changes.selfAssessment
            ? {
                self_assessment: JSON.stringify({
                  ...json<SelfAssessment>(row.self_assessment),
                  ...changes.selfAssessment,
                }),
              }
            : {}),
        });
        await audit(trx, context, {
          action: 'dossier.update',
          entityType: 'dossier',
          entityId: id,
          before: row,
          after,
        });
        return present(after);
      });
    },

    /** Saves the self-scoring part of Mẫu 02 (the producer, while the dossier is its to fill). */
    saveScoring(context: AuditContext, principal: Principal | null, id: string, scoring: SelfScoring) {
      return service.updateForms(context, principal, id, { selfAssessment: { scoring } });
    },

    /**
     * Takes a step of the lifecycle. `comment` goes with a return; `communeReport` (Mẫu 03)
     * with the commune's check. Refusals carry the table's reason.
     */
    async act(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      action: DossierAction,
      input: { comment?: string | null; communeReport?: CommuneReport; version?: number } = {},
      /** Another module's transaction to take the step in (both happen or neither). */
      within?: Transaction<DB>,
    ): Promise<Dossier> {
      const current = await visible(principal, id, within);
      const sides = sidesOf(principal, current);
      const comment = input.comment?.trim() || null;
      if (comment && comment.length > 4000)
        throw invalid([{ in: 'body', name: 'comment', rule: 'maxLength', params: { limit: 4000 } }]);
      const inTransaction = <T>(work: (trx: Transaction<DB>) => Promise<T>) =>
        within ? work(within) : db.transaction().execute(work);
      return inTransaction(async (trx) => {
        const row = await lockDossier(trx, id);
        if (!row) throw dossierNotFound();
        if (input.version !== undefined && row.version !== input.version) throw dossierChanged();
        const product = await lockProduct(trx, row.product_id);
        const report =
          input.communeReport ??
          (row.commune_report === null ? null : json<CommuneReport>(row.commune_report));
        const items = await checklistOf(trx, row, product!.product_set);
        const decision = decide(row.status as DossierStatus, action, sides, {
          complete: isComplete(items),
          hasComment: comment !== null,
          hasCommuneReport: communeReportComplete(report),
        });
        if (!decision.ok) {
          const missingCount = items.filter((i) => i.required && !i.satisfied).length;
          throw transitionRefused(decision.code, { status: row.status, action, missing: missingCount });
        }
        const now = new Date();
        const todayIso = today();
        const changes: Parameters<typeof updateDossier>[2] = { status: decision.to };
        if (action === 'submit' || action === 'resubmit') {
          changes.submitted_at = now;
          changes.due_on = addWorkingDays(
            todayIso,
            COMMUNE_DAYS,
            deps.calendar.holidays,
            deps.calendar.makeUpWorkingDays,
          );
          changes.return_comment = null;
          // the commune assesses what is submitted now, not an earlier version
          changes.commune_report = null;
        }
        if (action === 'return') changes.return_comment = comment;
        if (action === 'check') {
          changes.checked_at = now;
          changes.commune_report = JSON.stringify(report);
        }
        if (action === 'forward') {
          changes.forwarded_at = now;
          // the commune's running number, given once; the year is that of the evaluation
          const sequence = product!.code_sequence ?? (await nextCommuneSequence(trx, product!.commune_code));
          const code = formatProductCode({
            provinceCode: product!.province_code,
            communeCode: product!.commune_code,
            sequence,
            year: Number(todayIso.slice(0, 4)),
          });
          await updateProduct(trx, product!.id, undefined, { product_code: code, code_sequence: sequence });
        }
        if (action === 'accept') changes.accepted_at = now;
        if (action === 'close') changes.closed_at = now;
        const after = await updateDossier(trx, id, changes);
        await insertDossierEvent(trx, {
          dossier_id: id,
          action,
          from_status: row.status,
          to_status: decision.to,
          comment,
          actor_id: principal?.userId ?? null,
          actor_name: principal?.name ?? null,
        });
        await audit(trx, context, {
          action: `dossier.${action}`,
          entityType: 'dossier',
          entityId: id,
          before: row,
          after,
        });
        await deps.onStep?.(trx, context, {
          dossierId: id,
          productId: row.product_id,
          kind: row.kind,
          action,
          to: decision.to,
        });
        const actor =
          decision.transition.by === 'producer'
            ? ((await deps.producers.placeOf(row.producer_id, trx))?.producer.legalName ??
              principal?.name ??
              '')
            : decision.transition.by === 'commune'
              ? 'UBND xã'
              : 'Cơ quan OCOP tỉnh';
        await notify(
          trx,
          after,
          { action, from: row.status, by: decision.transition.by },
          actor,
          product!.name,
        );
        return present(after);
      });
    },

    /** Whether a principal may add or replace a file of this kind on this dossier now. */
    async mayAttach(principal: Principal | null, dossierId: string, kind: string) {
      const row = await visible(principal, dossierId);
      if (!mayAttachNow(principal, row, kind)) throw dossierNotEditable();
      return row;
    },
  };
  return service;
}

export type DossiersService = ReturnType<typeof createDossiersService>;

/** A dossier's step as other modules hear of it, in the step's transaction. */
export type DossierStepHook = (
  trx: Transaction<DB>,
  context: AuditContext,
  step: { dossierId: string; productId: string; kind: string; action: string; to: string },
) => Promise<void>;
