/**
 * Batches (lots) and their journey. A batch is a lot of one of the producer's products (GTIN + lot
 * number); each step of its journey a producer records by form becomes one EPCIS event, captured
 * through the repository with the producer's own rights (capture.service.ts: only its GTINs, its
 * places and partners). Steps keep their order in time (no shipping before the harvest, no sale
 * after the expiry); a recalled lot takes only inspections. Test reports are files (sniffed,
 * stored by SHA-256 before their row), serial ranges name the items whose labels are printed.
 */
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError, type FieldError } from '../../platform/errors.ts';
import { type FileStore, sniffMediaType } from '../../platform/files/index.ts';
import { isCset82 } from '../../platform/gs1/index.ts';
import { isCalendarDate, todayInVietnam } from '../../platform/time.ts';
import { listScope, type ProducersService, registryPolicy } from '../producers/index.ts';
import type { Product, ProductsService } from '../products/index.ts';
import type { CaptureService } from './capture.service.ts';
import { type CapturedEvent, readSingleEvent } from './epcis/index.ts';
import { EpcisError } from './errors.ts';
import { hasCompanyPrefixOf } from './gs1-company.ts';
import { journeyEvent, lotClass, type StepEventInput, stepOf, UNIT_NAMES } from './journey-events.ts';
import { JOURNEY_STEPS, type JourneyStep } from './trace.model.ts';
import * as tq from './trace.queries.ts';
import * as q from './traceability.queries.ts';

export interface BatchInput {
  productId: string;
  /** One of the product's GTINs (the first when not given). */
  gtin?: string | null | undefined;
  lot: string;
  productionDate: string;
  packingDate?: string | null | undefined;
  expiryDate?: string | null | undefined;
  quantity?: number | null | undefined;
  unit?: string | null | undefined;
  rawMaterialLocationId?: string | null | undefined;
  inputBatchIds?: string[] | undefined;
  note?: string | null | undefined;
}

export interface StepInput {
  step: string;
  /** Local time in Vietnam (`2026-05-22T08:30`) or an ISO instant with offset. */
  eventTime: string;
  placeId?: string | null | undefined;
  partnerId?: string | null | undefined;
  quantity?: number | null | undefined;
  unit?: string | null | undefined;
  inputBatchIds?: string[] | undefined;
  sscc?: string | null | undefined;
  conformant?: boolean | undefined;
  reportId?: string | null | undefined;
  document?: string | null | undefined;
  reason?: string | null | undefined;
  note?: string | null | undefined;
}

export const presentBatch = (b: tq.BatchRow) => ({
  id: b.id,
  producerId: b.producer_id,
  productId: b.product_id,
  gtin: b.gtin,
  lot: b.lot,
  productionDate: b.production_date,
  packingDate: b.packing_date,
  expiryDate: b.expiry_date,
  quantity: b.quantity === null ? null : Number(b.quantity),
  unit: b.unit,
  rawMaterialLocationId: b.raw_material_location_id,
  note: b.note,
  recall: b.recalled_at ? { at: b.recalled_at.toISOString(), reason: b.recall_reason ?? '' } : null,
  isDemo: b.is_demo,
  createdAt: b.created_at.toISOString(),
});
export type Batch = ReturnType<typeof presentBatch>;

// the order of the steps in time (inspection and recall may come at any time)
const ORDER: Partial<Record<JourneyStep, number>> = {
  harvest: 0,
  processing: 1,
  packing: 2,
  shipping: 3,
  receiving: 4,
  sale: 5,
};

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A form's local time in Vietnam → `2026-05-22T08:30:00+07:00`; an instant with offset as is. */
export function zonedTime(value: string): string | null {
  const text = value.trim();
  const local = LOCAL_TIME.exec(text);
  if (local) {
    if (!isCalendarDate(local[1]!) || Number(local[2]) > 23 || Number(local[3]) > 59) return null;
    return `${text}:00+07:00`;
  }
  if (ZONED_TIME.test(text) && !Number.isNaN(Date.parse(text))) return text;
  return null;
}

const invalid = (fields: FieldError[]) => new DomainError('validation_failed', 'invalid', {}, fields);
const field = (name: string, rule: string, params?: Record<string, string | number>): FieldError => ({
  in: 'body',
  name,
  rule,
  ...(params ? { params } : {}),
});
const batchNotFound = () => new DomainError('batch_not_found', 'not_found');

export function createBatchesService(
  db: Kysely<DB>,
  deps: {
    products: Pick<ProductsService, 'get' | 'byIds'>;
    producers: Pick<ProducersService, 'placeOf'>;
    capture: Pick<CaptureService, 'capture'>;
    store: FileStore;
    publicUrl: URL;
    uploadLimitBytes: number;
    now: () => Date;
    /** Told after a step is stored (the trace page's cache forgets the lot). */
    onLotChanged?: (gtin: string, lot: string) => void;
  },
) {
  /** The batch, if the principal may read it (update: change it); a 404 otherwise. */
  async function batchInScope(principal: Principal | null, id: string, action: 'read' | 'update') {
    if (!principal) throw new DomainError('sign_in_required', 'unauthenticated');
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await tq.findBatch(db, id) : undefined;
    if (!row) throw batchNotFound();
    const place = await deps.producers.placeOf(row.producer_id);
    if (!place || !registryPolicy(principal, 'read', place)) throw batchNotFound();
    if (action === 'update' && !registryPolicy(principal, 'update', place))
      throw new DomainError('forbidden', 'forbidden');
    return row;
  }

  async function scopeOf(principal: Principal | null): Promise<tq.TraceScope> {
    const scope = listScope(principal);
    if (!scope)
      throw new DomainError(
        principal ? 'forbidden' : 'sign_in_required',
        principal ? 'forbidden' : 'unauthenticated',
      );
    return scope;
  }

  /** The lot's events, oldest first (its class in quantity lists, inputs and outputs). */
  async function lotEvents(gtin: string, lot: string) {
    return q.findEvents(db, {
      scope: { kind: 'all' },
      identifiers: [
        {
          roles: ['epcClass', 'inputEPCClass', 'outputEPCClass'],
          exact: [lotClass(gtin, lot)],
          prefixes: [],
        },
      ],
      orderBy: 'eventTime',
      direction: 'ASC',
      limit: 500,
    });
  }

  return {
    scopeOf,
    lotEvents,

    async list(principal: Principal | null, limit = 200) {
      return (await tq.listBatches(db, await scopeOf(principal), limit)).map(presentBatch);
    },

    async get(principal: Principal | null, id: string) {
      const row = await batchInScope(principal, id, 'read');
      const [inputs, documents, serials] = await Promise.all([
        tq.inputsOf(db, row.id),
        tq.documentsOf(db, row.id),
        tq.serialRangesOf(db, row.id),
      ]);
      return {
        ...presentBatch(row),
        inputs: inputs.map(presentBatch),
        testReports: documents.map((d) => ({
          id: d.id,
          name: d.name,
          issuedOn: d.issued_on,
          mediaType: d.media_type,
          size: Number(d.size),
        })),
        serialRanges: serials.map((r) => ({
          id: r.id,
          prefix: r.prefix,
          first: r.first_number,
          last: r.last_number,
          width: r.width,
        })),
      };
    },

    /** Creates a lot of one of the producer's products. */
    async create(context: AuditContext, principal: Principal | null, input: BatchInput): Promise<Batch> {
      await scopeOf(principal);
      const fields: FieldError[] = [];
      let product: Product | null = null;
      if (!/^[0-9a-f-]{36}$/i.test(input.productId ?? '')) fields.push(field('productId', 'required'));
      else product = await deps.products.get(principal, input.productId).catch(() => null);
      if (input.productId && !product && fields.length === 0)
        fields.push(field('productId', 'unknownProduct'));
      if (product) {
        const place = await deps.producers.placeOf(product.producerId);
        if (!place || !registryPolicy(principal, 'update', place))
          throw new DomainError('forbidden', 'forbidden');
      }
      // GTINs are kept as GTIN-14 here (what the Digital Link and the EPCIS identifiers carry)
      const gtin14 = (g: string) => g.padStart(14, '0');
      const gtin = input.gtin?.trim()
        ? gtin14(input.gtin.trim())
        : product?.gtins[0]
          ? gtin14(product.gtins[0])
          : null;
      if (product && product.gtins.length === 0) fields.push(field('productId', 'productWithoutGtin'));
      else if (product && gtin && !product.gtins.map(gtin14).includes(gtin))
        fields.push(field('gtin', 'gtinOfProduct'));
      const lot = (input.lot ?? '').trim();
      if (!lot) fields.push(field('lot', 'required'));
      else if (lot.length > 20 || !isCset82(lot)) fields.push(field('lot', 'gs1Lot'));
      const today = todayInVietnam(deps.now());
      const date = (name: string, value: string | null | undefined, required: boolean) => {
        const v = value?.trim() || null;
        if (!v) {
          if (required) fields.push(field(name, 'required'));
          return null;
        }
        if (!isCalendarDate(v)) {
          fields.push(field(name, 'date'));
          return null;
        }
        return v;
      };
      const productionDate = date('productionDate', input.productionDate, true);
      const packingDate = date('packingDate', input.packingDate, false);
      const expiryDate = date('expiryDate', input.expiryDate, false);
      if (productionDate && productionDate > today) fields.push(field('productionDate', 'notInFuture'));
      if (productionDate && packingDate && packingDate < productionDate)
        fields.push(field('packingDate', 'notBeforeProduction'));
      if (productionDate && expiryDate && expiryDate <= productionDate)
        fields.push(field('expiryDate', 'afterProduction'));
      const quantity = input.quantity ?? null;
      const unit = input.unit?.trim() || null;
      if (quantity !== null && !(Number.isFinite(quantity) && quantity > 0 && quantity < 1e11))
        fields.push(field('quantity', 'positive'));
      if ((quantity === null) !== (unit === null))
        fields.push(field(quantity === null ? 'quantity' : 'unit', 'required'));
      if (unit && !UNIT_NAMES.includes(unit))
        fields.push(field('unit', 'enum', { allowed: UNIT_NAMES.join(', ') }));
      const note = input.note?.trim() || null;
      if (note && note.length > 1000) fields.push(field('note', 'maxLength', { limit: 1000 }));
      const producerId = product?.producerId ?? '';
      if (input.rawMaterialLocationId) {
        const place = await tq.findLocation(db, input.rawMaterialLocationId).catch(() => undefined);
        if (!place || place.producer_id !== producerId)
          fields.push(field('rawMaterialLocationId', 'ownPlace'));
      }
      const inputIds = [...new Set(input.inputBatchIds ?? [])];
      if (inputIds.length > 50) fields.push(field('inputBatchIds', 'maxItems', { limit: 50 }));
      const inputs = inputIds.every((i) => /^[0-9a-f-]{36}$/i.test(i))
        ? await tq.findBatches(db, inputIds)
        : [];
      if (inputs.length !== inputIds.length || inputs.some((b) => b.producer_id !== producerId))
        fields.push(field('inputBatchIds', 'ownBatch'));
      if (fields.length > 0 || !product || !gtin || !productionDate || !principal) throw invalid(fields);
      const place = (await deps.producers.placeOf(producerId))!;
      return db.transaction().execute(async (trx) => {
        const row = await tq
          .insertBatch(trx, {
            producer_id: producerId,
            province_code: place.provinceCode,
            commune_code: place.communeCode,
            product_id: product.id,
            gtin,
            lot,
            production_date: productionDate,
            packing_date: packingDate,
            expiry_date: expiryDate,
            quantity: quantity === null ? null : String(quantity),
            unit,
            raw_material_location_id: input.rawMaterialLocationId || null,
            note,
            is_demo: product.isDemo,
            created_by: principal.userId,
          })
          .catch((error: { code?: string }) => {
            if (error.code === '23505') throw new DomainError('batch_exists', 'conflict', { gtin, lot });
            throw error;
          });
        await tq.insertBatchInputs(trx, row.id, inputIds);
        await audit(trx, context, {
          action: 'traceability.batch.create',
          entityType: 'batch',
          entityId: row.id,
          after: { ...presentBatch(row), inputBatchIds: inputIds },
        });
        return presentBatch(row);
      });
    },

    /** The defaults of a step's form: what this producer entered at its last step of that kind. */
    async stepDefaults(principal: Principal | null, batchId: string, step: JourneyStep) {
      const row = await batchInScope(principal, batchId, 'read');
      const events = await q.findEvents(db, {
        scope: { kind: 'producer', producerId: row.producer_id },
        identifiers: [],
        orderBy: 'recordTime',
        direction: 'DESC',
        limit: 50,
      });
      for (const e of events) {
        const doc = e.document as Record<string, unknown>;
        if (stepOf(doc) !== step) continue;
        const place = (doc.bizLocation as { id?: string } | undefined)?.id ?? null;
        const partner =
          ((doc.destinationList as { destination?: string }[] | undefined)?.[0]?.destination ??
            (doc.sourceList as { source?: string; type?: string }[] | undefined)?.find(
              (s) => s.type === 'location',
            )?.source) ||
          null;
        return { placeIdentifier: place, partnerIdentifier: partner };
      }
      return { placeIdentifier: null, partnerIdentifier: null };
    },

    /** Records one step of the batch's journey as its EPCIS event. */
    async recordStep(context: AuditContext, principal: Principal | null, batchId: string, input: StepInput) {
      const row = await batchInScope(principal, batchId, 'update');
      const batch = presentBatch(row);
      const fields: FieldError[] = [];
      const step = input.step as JourneyStep;
      if (!(JOURNEY_STEPS as readonly string[]).includes(step) || step === 'recall')
        throw invalid([
          field('step', 'enum', { allowed: JOURNEY_STEPS.filter((s) => s !== 'recall').join(', ') }),
        ]);
      if (batch.recall && step !== 'inspection')
        throw new DomainError('batch_recalled', 'conflict', { lot: batch.lot });
      const eventTime = zonedTime(input.eventTime ?? '');
      const now = deps.now();
      if (!eventTime) fields.push(field('eventTime', 'dateTime'));
      else if (Date.parse(eventTime) > now.getTime() + 10 * 60_000)
        fields.push(field('eventTime', 'notInFuture'));
      const [locations, partners] = await Promise.all([
        q.locationsOf(db, row.producer_id),
        tq.partnersOf(db, row.producer_id),
      ]);
      // where: one of the producer's places; receiving, sales and inspections may be at a partner's
      const atPartner = step === 'receiving' || step === 'sale' || step === 'inspection';
      const place = atPartner
        ? (partners.find((p) => p.id === input.placeId) ?? locations.find((l) => l.id === input.placeId))
        : locations.find((l) => l.id === input.placeId);
      if (!place) fields.push(field('placeId', 'ownPlace'));
      let partner: string | null = null;
      if (step === 'shipping' || step === 'receiving') {
        const found =
          partners.find((p) => p.id === input.partnerId) ?? locations.find((l) => l.id === input.partnerId);
        if (input.partnerId && !found) fields.push(field('partnerId', 'ownPartner'));
        if (step === 'shipping' && !found) fields.push(field('partnerId', 'required'));
        partner = found?.identifier ?? null;
      }
      const quantity = input.quantity ?? null;
      const unit = input.unit?.trim() || null;
      if (quantity !== null && !(Number.isFinite(quantity) && quantity > 0 && quantity < 1e11))
        fields.push(field('quantity', 'positive'));
      if (unit && !UNIT_NAMES.includes(unit))
        fields.push(field('unit', 'enum', { allowed: UNIT_NAMES.join(', ') }));
      if (quantity !== null && !unit) fields.push(field('unit', 'required'));
      let inputs: { gtin: string; lot: string }[] = [];
      if (step === 'processing') {
        const ids = [...new Set(input.inputBatchIds ?? [])];
        const found = ids.every((i) => /^[0-9a-f-]{36}$/i.test(i)) ? await tq.findBatches(db, ids) : [];
        if (
          found.length !== ids.length ||
          found.some((b) => b.producer_id !== row.producer_id || b.id === row.id)
        )
          fields.push(field('inputBatchIds', 'ownBatch'));
        inputs = found.map((b) => ({ gtin: b.gtin, lot: b.lot }));
        if (inputs.length === 0) {
          const recorded = await tq.inputsOf(db, row.id);
          inputs = recorded.map((b) => ({ gtin: b.gtin, lot: b.lot }));
        }
      }
      const sscc = input.sscc?.replace(/\s+/g, '') || null;
      if (sscc && !(/^\d{18}$/.test(sscc) && hasCompanyPrefixOf(sscc, row.gtin)))
        fields.push(field('sscc', 'ssccOfCompany'));
      let attachment: string | null = null;
      if (input.reportId) {
        const report = await tq.findBatchDocument(db, input.reportId).catch(() => undefined);
        if (!report || report.batch_id !== row.id) fields.push(field('reportId', 'ownReport'));
        else attachment = new URL(`/trace/reports/${report.id}`, deps.publicUrl).toString();
      }
      const document = input.document?.trim() || null;
      if (document && document.length > 100) fields.push(field('document', 'maxLength', { limit: 100 }));
      const note = input.note?.trim() || null;
      if (note && note.length > 500) fields.push(field('note', 'maxLength', { limit: 500 }));
      if (fields.length > 0 || !eventTime || !place) throw invalid(fields);

      // the order in time: no step before one that must come earlier, nor after one that must come later
      const at = Date.parse(eventTime);
      const productionStart = Date.parse(`${batch.productionDate}T00:00:00+07:00`);
      if (step !== 'harvest' && step !== 'inspection' && at < productionStart)
        throw invalid([field('eventTime', 'notBeforeProduction', { date: batch.productionDate })]);
      if (step === 'sale' && batch.expiryDate && at >= Date.parse(`${batch.expiryDate}T23:59:59+07:00`))
        throw invalid([field('eventTime', 'afterExpiry', { date: batch.expiryDate })]);
      const order = ORDER[step];
      if (order !== undefined) {
        for (const e of await lotEvents(row.gtin, row.lot)) {
          const other = stepOf(e.document as Record<string, unknown>);
          const otherOrder = other ? ORDER[other] : undefined;
          if (otherOrder === undefined) continue;
          const t = e.event_time.getTime();
          if ((otherOrder < order && t > at) || (otherOrder > order && t < at))
            throw invalid([
              field('eventTime', otherOrder < order ? 'notBeforeStep' : 'notAfterStep', { step: other! }),
            ]);
        }
      }
      const event = journeyEvent(
        { gtin: row.gtin, lot: row.lot, productionDate: batch.productionDate, expiryDate: batch.expiryDate },
        {
          step,
          eventTime,
          place: place.identifier,
          partner,
          quantity,
          unit,
          inputs,
          sscc,
          ...(input.conformant !== undefined ? { conformant: input.conformant } : {}),
          attachment,
          document,
          note,
          producerParty: new URL(`/id/producer/${row.producer_id}`, deps.publicUrl).toString(),
          transformationId: `urn:uuid:${row.id}`,
        } satisfies StepEventInput,
      );
      return storeEvent(context, principal, row, event, step);
    },

    /** Recalls the batch: marks it with the reason and records the recall event. */
    async recall(
      context: AuditContext,
      principal: Principal | null,
      batchId: string,
      input: { reason: string; placeId?: string | null },
    ) {
      const row = await batchInScope(principal, batchId, 'update');
      const reason = (input.reason ?? '').trim();
      if (!reason || reason.length > 1000) throw invalid([field('reason', 'required')]);
      if (row.recalled_at) throw new DomainError('batch_recalled', 'conflict', { lot: row.lot });
      const locations = await q.locationsOf(db, row.producer_id);
      const place = locations.find((l) => l.id === input.placeId) ?? locations[0];
      if (!place) throw invalid([field('placeId', 'ownPlace')]);
      const now = deps.now();
      const eventTime = `${new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
      const batch = presentBatch(row);
      const event = journeyEvent(
        { gtin: row.gtin, lot: row.lot, productionDate: batch.productionDate, expiryDate: batch.expiryDate },
        {
          step: 'recall',
          eventTime,
          place: place.identifier,
          reason,
          producerParty: new URL(`/id/producer/${row.producer_id}`, deps.publicUrl).toString(),
        },
      );
      // the mark first (a second recall finds it), then the event; a refused event undoes nothing
      // the producer could act on: the lot stays recalled and says why
      const marked = await db.transaction().execute(async (trx) => {
        const updated = await tq.recallBatch(trx, row.id, reason, now);
        if (!updated) throw new DomainError('batch_recalled', 'conflict', { lot: row.lot });
        await audit(trx, context, {
          action: 'traceability.batch.recall',
          entityType: 'batch',
          entityId: row.id,
          before: { recall: null },
          after: { recall: { at: now.toISOString(), reason } },
        });
        return updated;
      });
      const stored = await storeEvent(context, principal, marked, event, 'recall');
      return { batch: presentBatch(marked), eventId: stored.eventId };
    },

    /** Attaches a test report (PDF or image) to the batch. */
    async addTestReport(
      context: AuditContext,
      principal: Principal | null,
      batchId: string,
      upload: { name: string; issuedOn?: string | null; bytes: Buffer },
    ) {
      const row = await batchInScope(principal, batchId, 'update');
      const fields: FieldError[] = [];
      const name = (upload.name ?? '').trim();
      if (!name || name.length > 200) fields.push(field('name', 'required'));
      const issuedOn = upload.issuedOn?.trim() || null;
      if (issuedOn && !isCalendarDate(issuedOn)) fields.push(field('issuedOn', 'date'));
      else if (issuedOn && issuedOn > todayInVietnam(deps.now()))
        fields.push(field('issuedOn', 'notInFuture'));
      if (upload.bytes.length === 0) fields.push(field('file', 'required'));
      else if (upload.bytes.length > deps.uploadLimitBytes)
        fields.push(
          field('file', 'fileTooLarge', { limit: Math.round(deps.uploadLimitBytes / 1024 / 1024) }),
        );
      const mediaType = upload.bytes.length > 0 ? sniffMediaType(upload.bytes) : null;
      if (
        upload.bytes.length > 0 &&
        mediaType !== 'application/pdf' &&
        mediaType !== 'image/jpeg' &&
        mediaType !== 'image/png'
      )
        fields.push(field('file', 'reportType'));
      if (fields.length > 0 || !mediaType) throw invalid(fields);
      const stored = await deps.store.put(upload.bytes);
      return db.transaction().execute(async (trx) => {
        const doc = await tq.insertBatchDocument(trx, {
          batch_id: row.id,
          name,
          issued_on: issuedOn,
          sha256: stored.sha256,
          media_type: mediaType,
          size: stored.size,
          uploaded_by: principal?.userId ?? null,
        });
        await audit(trx, context, {
          action: 'traceability.batch.test_report',
          entityType: 'batch',
          entityId: row.id,
          after: { document: doc.id, name, issuedOn, sha256: stored.sha256 },
        });
        deps.onLotChanged?.(row.gtin, row.lot);
        return { id: doc.id, name, issuedOn, mediaType, size: stored.size };
      });
    },

    /** A test report's file, for anyone (the trace page links it). */
    async openTestReport(id: string) {
      const doc = /^[0-9a-f-]{36}$/i.test(id) ? await tq.findBatchDocument(db, id) : undefined;
      if (!doc) throw new DomainError('document_not_found', 'not_found');
      return { name: doc.name, mediaType: doc.media_type, stream: deps.store.createReadStream(doc.sha256) };
    },

    /** Issues `count` serials for the batch's item labels: prefix + numbers after the last issued. */
    async issueSerials(
      context: AuditContext,
      principal: Principal | null,
      batchId: string,
      input: { prefix?: string | null; count: number },
      limit: number,
    ) {
      const row = await batchInScope(principal, batchId, 'update');
      const prefix = (input.prefix ?? '').trim();
      const count = input.count;
      const fields: FieldError[] = [];
      if (prefix && (!isCset82(prefix) || prefix.length > 12)) fields.push(field('prefix', 'gs1Serial'));
      if (!Number.isInteger(count) || count < 1 || count > limit)
        fields.push(field('count', 'range', { min: 1, max: limit }));
      if (fields.length > 0) throw invalid(fields);
      return db.transaction().execute(async (trx) => {
        // one issuer per GTIN and prefix at a time
        await tq.lockKey(trx, `serials:${row.gtin}:${prefix}`);
        const first = (await tq.lastSerialNumber(trx, row.gtin, prefix)) + 1;
        const last = first + count - 1;
        const width = Math.max(6, String(last).length);
        if (prefix.length + width > 20) throw invalid([field('count', 'gs1Serial')]);
        const range = await tq.insertSerialRange(trx, {
          batch_id: row.id,
          gtin: row.gtin,
          prefix,
          first_number: first,
          last_number: last,
          width,
        });
        await audit(trx, context, {
          action: 'traceability.batch.serials',
          entityType: 'batch',
          entityId: row.id,
          after: { prefix, first, last, width },
        });
        return { id: range.id, prefix, first, last, width };
      });
    },
  };

  /** Captures the step's event with the principal's rights; refusals become field errors. */
  async function storeEvent(
    context: AuditContext,
    principal: Principal | null,
    row: tq.BatchRow,
    event: Record<string, unknown>,
    step: JourneyStep,
  ) {
    const read = readSingleEvent(event);
    if (!read.ok)
      throw new Error(`journey event refused by the EPCIS reader: ${JSON.stringify(read.problems)}`);
    const result = await deps.capture
      .capture(principal, read.events as CapturedEvent[], 'rollback')
      .catch((error: unknown) => {
        // the repository refused it (a subject the caller may not speak for, a value it cannot hold)
        if (error instanceof EpcisError)
          throw new DomainError('step_not_recorded', error.status === 403 ? 'forbidden' : 'conflict', {
            reason: error.detail,
          });
        throw error;
      });
    if (result.stored.length !== 1)
      throw new DomainError('step_not_recorded', 'conflict', { reason: JSON.stringify(result.job.errors) });
    await db.transaction().execute((trx) =>
      audit(trx, context, {
        action: `traceability.batch.${step}`,
        entityType: 'batch',
        entityId: row.id,
        after: { eventId: result.stored[0]!, step },
      }),
    );
    deps.onLotChanged?.(row.gtin, row.lot);
    return { eventId: result.stored[0]!, step };
  }
}

export type BatchesService = ReturnType<typeof createBatchesService>;
