/**
 * The producer's trace pages: `/trace` (its batches), a new batch, one batch (facts, recall banner,
 * journey, the next steps, test reports, serials, QR labels), one short form per journey step, the
 * recall, and the places and partners it names. Forms post with the session's CSRF token; a refused
 * form comes back with its Vietnamese message next to each field and what was typed kept, and
 * nothing stored (the services validate everything before they write).
 *
 * Who: a producer's account works on its own producer; an administrator or a province office on a
 * producer it chooses (`?producerId=`) within its scope; a commune officer reads (it may not
 * capture events); council members have no business here (403); the public is sent to sign in.
 */
import { Type } from 'typebox';
import type { Principal } from '../../platform/auth.ts';
import { DomainError, type FieldError } from '../../platform/errors.ts';
import { canonicalEpc } from '../../platform/gs1/index.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { type FormBody, FormReader, formFailure, text, valuesOf } from '../../platform/http/form-body.ts';
import {
  type FastifyReply,
  type FastifyRequest,
  type HttpServer,
  isUploadedFile,
  sendPage,
} from '../../platform/http/server.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import { formatDate, todayInVietnam } from '../../platform/time.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { h, renderDocument } from '../../platform/views/jsx.ts';
import { listScope, type ProducersService } from '../producers/index.ts';
import type { ProductsService } from '../products/index.ts';
import type { Batch, BatchesService } from './batches.service.ts';
import { lotClass, stepOf, UNITS, unitOfUom } from './journey-events.ts';
import type { Location, LocationsService, Partner } from './locations.service.ts';
import {
  type BatchDetail,
  BatchesPage,
  BatchPage,
  type JourneyEntry,
  NewBatchPage,
  PlacesPage,
  ProducerChooserPage,
  RECORDED_STEPS,
  RecallPage,
  type RecordedStep,
  StepPage,
} from './trace-pages.views.tsx';
import type { EventRow } from './traceability.queries.ts';

export interface TracePagesDeps {
  batches: BatchesService;
  locations: Pick<LocationsService, 'list' | 'partners' | 'add' | 'addPartner'>;
  products: Pick<ProductsService, 'list' | 'byIds'>;
  producers: Pick<ProducersService, 'get' | 'list'>;
  /** The most serials one request may issue. */
  serialLimit: number;
  /** The largest file a form may upload (the HTTP server's limit), for the message. */
  uploadLimitBytes: number;
  /** The clock of the forms' defaults (now, in Vietnam). */
  now?: () => Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Roles that may record on these pages (the EPCIS repository takes their events). */
const RECORDERS = ['admin', 'province_office', 'producer'];
/** The kinds of place a harvest or raw material comes from. */
const RAW_KINDS = ['farm', 'raw_material_area'];
/** Where a step usually happens, when nothing recorded says better. */
const USUAL_KINDS: Record<RecordedStep, string[]> = {
  harvest: RAW_KINDS,
  processing: ['processing_facility'],
  packing: ['processing_facility', 'warehouse'],
  shipping: ['warehouse', 'processing_facility'],
  receiving: ['ocop_point_of_sale', 'retailer', 'distributor'],
  inspection: ['processing_facility', 'warehouse'],
  sale: ['ocop_point_of_sale', 'retailer', 'shop'],
};

const signInRequired = () => new DomainError('sign_in_required', 'unauthenticated');
const forbidden = () => new DomainError('forbidden', 'forbidden');
const invalid = (fields: FieldError[]) => new DomainError('validation_failed', 'invalid', {}, fields);

function signedIn(request: FastifyRequest): Principal {
  if (!request.principal) throw signInRequired();
  return request.principal;
}
const mayRecord = (principal: Principal) =>
  RECORDERS.includes(principal.role) && (principal.role !== 'producer' || principal.producerId !== null);
function recorder(request: FastifyRequest): Principal {
  const principal = signedIn(request);
  if (!mayRecord(principal)) throw forbidden();
  return principal;
}

const queryText = (request: FastifyRequest, name: string) => {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim().slice(0, 200) : '';
};

/** The values of a repeated field (checkboxes). */
function listOf(body: FormBody, name: string): string[] {
  const value = body[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/** A date typed as dd/mm/yyyy (browsers without a date picker) → YYYY-MM-DD; anything else as typed. */
function isoDate(value: string | null): string | null {
  if (!value) return null;
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  return vn ? `${vn[3]}-${vn[2]!.padStart(2, '0')}-${vn[1]!.padStart(2, '0')}` : value;
}

/** A coordinate in decimal degrees (a comma or a point), or null; a malformed one fails the field. */
function coordinate(form: FormReader, name: string): number | null {
  const value = text(form.body, name).replace(',', '.');
  if (!value) return null;
  if (!/^-?\d{1,3}(\.\d{1,8})?$/.test(value)) {
    form.fail(name, 'decimal');
    return null;
  }
  return Number(value);
}

/** The moment as an `<input type="datetime-local">` value in Vietnam (UTC+7, no daylight saving). */
export const vietnamLocalInput = (at: Date) =>
  new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 16);

/** An instant as DD/MM/YYYY HH:mm in an offset (`+07:00`). */
export function wallClock(at: Date, offset: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date(at.getTime() + minutes * 60_000).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}

/**
 * Field errors as the page shows them: the services' parameters in the reader's words (a step's
 * name, a date as DD/MM/YYYY, a file limit in MB, `max` as the platform's `limit`).
 */
export function localizeFields(
  t: Translate,
  locale: string,
  fields: FieldError[],
  prefix = '',
): FieldError[] {
  return fields.map((f) => {
    const params: Record<string, string | number> = { ...(f.params ?? {}) };
    if ((f.rule === 'notBeforeStep' || f.rule === 'notAfterStep') && typeof params.step === 'string')
      params.step = t(`tracePages.step.${params.step}`);
    if (typeof params.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(params.date))
      params.date = formatDate(params.date, locale);
    if (f.rule === 'fileTooLarge' && typeof params.limit === 'number' && params.limit >= 1024)
      params.limit = Math.max(1, Math.round(params.limit / 1048576));
    if (
      (f.rule === 'maxLength' || f.rule === 'maxItems') &&
      params.limit === undefined &&
      params.max !== undefined
    )
      params.limit = params.max;
    return { ...f, name: `${prefix}${f.name}`, params };
  });
}

/**
 * What a failed form shows: formFailure's state with the fields localised (and prefixed, for a
 * form whose fields carry a prefix on the page); the capture refusing an event becomes the form's
 * message; a lot taken says so next to the lot number.
 */
function failure(
  request: FastifyRequest,
  error: unknown,
  values: Record<string, string>,
  prefix = '',
): { status: number; form: FormState } {
  let domain = error;
  if (domain instanceof DomainError && domain.code === 'batch_exists' && domain.fields.length === 0)
    domain = new DomainError(domain.code, domain.kind, domain.params, [
      { in: 'body', name: 'lot', rule: 'lotTaken' },
    ]);
  const { status, form } = formFailure(request, domain, values, [
    'unauthenticated',
    'forbidden',
    'not_found',
  ]);
  // what to do, in plain words: nothing was saved; the fields in red say why
  const message =
    domain instanceof DomainError && domain.code === 'validation_failed' && form.errors.length > 0
      ? request.t('tracePages.form.fixBelow')
      : form.message;
  return {
    status,
    form: {
      ...form,
      ...(message ? { message } : {}),
      errors: localizeFields(request.t, request.locale, form.errors, prefix),
    },
  };
}

// --- the journey, readable --------------------------------------------------------------------

type Doc = Record<string, unknown>;
const asArray = (v: unknown): Doc[] => (Array.isArray(v) ? (v as Doc[]) : []);
const idOf = (v: unknown): string | null =>
  v && typeof v === 'object' && typeof (v as Doc).id === 'string' ? ((v as Doc).id as string) : null;
const canonical = (id: string) => canonicalEpc(id) ?? id;
const word = (v: unknown) => (typeof v === 'string' ? v.replace(/^.*[-:/]/, '') : '');

/** `https://id.gs1.org/01/{gtin}/10/{lot}` → gtin and lot (decoded), or null. */
function lotOfClass(epcClass: string): { gtin: string; lot: string } | null {
  const dl = canonical(epcClass);
  const m = /\/01\/(\d{14})\/10\/([^/?#]+)/.exec(dl);
  if (!m) return null;
  try {
    return { gtin: m[1]!, lot: decodeURIComponent(m[2]!) };
  } catch {
    return { gtin: m[1]!, lot: m[2]! };
  }
}

/**
 * The lot's events as journey entries: step, time in the event's own offset, place names (the
 * producer's places and partners by identifier), quantity of this lot, result, documents, inputs.
 */
export function journeyOf(
  events: EventRow[],
  context: {
    t: Translate;
    locale: string;
    batch: Pick<Batch, 'gtin' | 'lot' | 'unit'>;
    names: Map<string, string>;
    /** Batch pages by `gtin|lot`, for links to other lots. */
    lots: Map<string, string>;
    /** The batch's test reports by id (an inspection cites one by its URL). */
    reports: Map<string, string>;
  },
): JourneyEntry[] {
  const { t, batch, names } = context;
  const own = canonical(lotClass(batch.gtin, batch.lot));
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? names.get(canonical(id)) ?? id) : null);
  const lotLink = (epcClass: unknown) => {
    if (typeof epcClass !== 'string') return null;
    const found = lotOfClass(epcClass);
    if (!found) return { label: epcClass, href: null };
    const id = context.lots.get(`${found.gtin}|${found.lot}`);
    return { label: t('tracePages.lotOf', { lot: found.lot }), href: id ? `/trace/batches/${id}` : null };
  };
  // a count (no unit of measure) is in the batch's unit when that unit is a count (hộp, chai…)
  const countUnit = batch.unit && UNITS[batch.unit] === null ? batch.unit : null;
  return events.map((row) => {
    const doc = row.document as Doc;
    const step = stepOf(doc);
    const quantities = [
      ...asArray(doc.quantityList),
      ...asArray(doc.childQuantityList),
      ...asArray(doc.outputQuantityList),
    ];
    const mine = quantities.find((q) => typeof q.epcClass === 'string' && canonical(q.epcClass) === own);
    const amount = typeof mine?.quantity === 'number' ? mine.quantity : null;
    const unit = mine ? (unitOfUom(typeof mine.uom === 'string' ? mine.uom : null) ?? countUnit) : null;
    const isInput =
      doc.type === 'TransformationEvent' &&
      asArray(doc.inputQuantityList).some(
        (q) => typeof q.epcClass === 'string' && canonical(q.epcClass) === own,
      ) &&
      !mine;
    const transactions = asArray(doc.bizTransactionList);
    const documentNumber = transactions
      .map((x) => (typeof x.bizTransaction === 'string' ? x.bizTransaction : ''))
      .find((x) => x.startsWith('urn:ocop:doc:'));
    const attachment = transactions.find((x) => word(x.type) === 'testres')?.bizTransaction;
    const disposition = word(doc.disposition);
    const note = doc['ocop:note'];
    const source = asArray(doc.sourceList).find((s) => word(s.type) === 'location')?.source;
    const destination = asArray(doc.destinationList)[0]?.destination;
    const bizStep = word(doc.bizStep);
    let documentText: string | null = null;
    if (documentNumber) {
      try {
        documentText = decodeURIComponent(documentNumber.slice('urn:ocop:doc:'.length));
      } catch {
        documentText = documentNumber;
      }
    }
    const parent =
      typeof doc.parentID === 'string' ? /\/00\/(\d{18})/.exec(canonical(doc.parentID))?.[1] : null;
    const bizStepKey = `trace.bizStep.${bizStep}`;
    const bizStepWord = bizStep ? t(bizStepKey) : null;
    return {
      step: isInput ? null : step,
      bizStep: step ? null : bizStepWord === bizStepKey ? bizStep : bizStepWord,
      when: wallClock(row.event_time, row.event_time_zone_offset),
      iso: row.event_time.toISOString(),
      offset: row.event_time_zone_offset,
      place: nameOf(idOf(doc.bizLocation) ?? idOf(doc.readPoint)),
      to: nameOf(typeof destination === 'string' ? destination : null),
      from: nameOf(typeof source === 'string' ? source : null),
      quantity:
        amount === null
          ? null
          : `${amount.toLocaleString(context.locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 3 })}${unit ? ` ${unit}` : ''}`,
      passed:
        step === 'inspection' && (disposition === 'conformant' || disposition === 'non_conformant')
          ? disposition === 'conformant'
          : null,
      document: documentText,
      note: typeof note === 'string' ? note : null,
      carton: parent ?? null,
      attachment: attachmentOf(attachment, context.reports, t),
      inputs:
        doc.type === 'TransformationEvent' && !isInput
          ? asArray(doc.inputQuantityList)
              .map((q) => lotLink(q.epcClass))
              .filter((x): x is { label: string; href: string | null } => x !== null)
          : [],
      usedIn: isInput ? lotLink(asArray(doc.outputQuantityList)[0]?.epcClass) : null,
    };
  });
}

/**
 * A test report an event cites: this batch's report by its name and platform path; another web
 * address as it is; anything else (not a link) nothing.
 */
function attachmentOf(
  uri: unknown,
  reports: Map<string, string>,
  t: Translate,
): { href: string; label: string } | null {
  if (typeof uri !== 'string') return null;
  const id = /\/trace\/reports\/([0-9a-f-]{36})$/i.exec(uri)?.[1];
  if (id && reports.has(id)) return { href: `/trace/reports/${id}`, label: reports.get(id)! };
  return /^(https?:\/\/|\/(?!\/))/i.test(uri)
    ? { href: uri, label: t('tracePages.batchPage.attachment') }
    : null;
}

/** Identifier → name of a producer's places and partners (both spellings of a GLN). */
function namesOf(places: Location[], partners: Partner[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const p of [...places, ...partners]) {
    names.set(p.identifier, p.name);
    names.set(canonical(p.identifier), p.name);
  }
  return names;
}

// --- the routes -------------------------------------------------------------------------------

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const StepParams = Type.Object({ id: Type.String({ maxLength: 100 }), step: Type.String({ maxLength: 40 }) });

export function registerTracePageRoutes(app: HttpServer, deps: TracePagesDeps) {
  const { batches, locations } = deps;
  const now = deps.now ?? (() => new Date());
  const uploadLimitMb = Math.max(1, Math.round(deps.uploadLimitBytes / 1048576));

  /**
   * The producer a page works on: a producer's own; for an office the one asked for (in its scope,
   * else 404), or null when none is asked yet (the page offers a choice).
   */
  async function producerFor(principal: Principal, asked: string) {
    if (principal.role === 'producer') {
      if (!principal.producerId) throw forbidden();
      return deps.producers.get(principal, principal.producerId);
    }
    if (!listScope(principal)) throw forbidden();
    if (!asked) return null;
    if (!UUID.test(asked)) throw new DomainError('producer_not_found', 'not_found');
    return deps.producers.get(principal, asked);
  }

  const chooser = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    title: string,
    action: string,
  ) => {
    const q = queryText(request, 'q');
    const page = await deps.producers.list(principal, { limit: 200, ...(q ? { q } : {}) });
    return sendPage(
      reply,
      renderDocument(
        <ProducerChooserPage
          page={request.page}
          title={title}
          action={action}
          q={q}
          producers={page.items.map((p) => ({ id: p.id, name: p.legalName }))}
        />,
      ),
    );
  };

  /** The producer's other lots, as choices (newest first). */
  const otherBatches = async (
    request: FastifyRequest,
    principal: Principal,
    producerId: string,
    except: string | null,
  ) => {
    const own = (await batches.list(principal, 200)).filter(
      (b) => b.producerId === producerId && b.id !== except,
    );
    const products = await deps.products.byIds(own.map((b) => b.productId));
    return own.map((b) => ({
      value: b.id,
      label: `${products.get(b.productId)?.name ?? b.gtin} — ${request.t('tracePages.lotOf', { lot: b.lot })} (${formatDate(b.productionDate, request.locale)})`,
    }));
  };

  // --- the list ------------------------------------------------------------------------------
  app.get('/trace', { schema: { hide: true } }, async (request, reply) => {
    const principal = signedIn(request);
    const list = await batches.list(principal, 200);
    const products = await deps.products.byIds(list.map((b) => b.productId));
    const office = principal.role !== 'producer';
    return sendPage(
      reply,
      renderDocument(
        <BatchesPage
          page={request.page}
          mayRecord={mayRecord(principal)}
          items={list.map((batch) => {
            const product = products.get(batch.productId);
            return {
              batch,
              productName: product?.name ?? batch.gtin,
              producerName: office ? (product?.producerName ?? null) : null,
            };
          })}
        />,
      ),
    );
  });

  // --- a new batch ---------------------------------------------------------------------------
  const newBatchPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    producerId: string,
    form: FormState | null,
    status = 200,
  ) => {
    const producer = await producerFor(principal, producerId);
    if (!producer)
      return chooser(request, reply, principal, request.t('tracePages.newBatch'), '/trace/batches/new');
    const [products, places, others] = await Promise.all([
      deps.products.list(principal, { producerId: producer.id, status: 'active', limit: 200 }),
      locations.list(principal, producer.id),
      otherBatches(request, principal, producer.id, null),
    ]);
    const withGtin = products.items.filter((p) => p.gtins.length > 0);
    const state =
      form ??
      emptyForm({
        productId: withGtin.length === 1 ? withGtin[0]!.id : '',
        productionDate: todayInVietnam(now()),
      });
    return sendPage(
      reply,
      renderDocument(
        <NewBatchPage
          page={request.page}
          form={state}
          producer={{ id: producer.id, name: producer.legalName }}
          office={principal.role !== 'producer'}
          products={withGtin.map((p) => ({ id: p.id, name: p.name, gtins: p.gtins }))}
          rawAreas={places.filter((l) => RAW_KINDS.includes(l.kind))}
          otherBatches={others}
        />,
      ),
      status,
    );
  };

  app.get('/trace/batches/new', { schema: { hide: true } }, async (request, reply) => {
    const principal = recorder(request);
    return newBatchPage(request, reply, principal, queryText(request, 'producerId'), null);
  });

  app.post('/trace/batches/new', { schema: { hide: true } }, async (request, reply) => {
    const principal = recorder(request);
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    const inputBatchIds = listOf(body, 'inputBatchIds');
    values.inputBatchIds = inputBatchIds.join(',');
    const producerId = text(body, 'producerId') || queryText(request, 'producerId');
    try {
      const producer = await producerFor(principal, producerId);
      if (!producer) throw new DomainError('producer_not_found', 'not_found');
      const form = new FormReader(body);
      const quantity = form.decimal('quantity');
      const productId = text(body, 'productId');
      // an office records for the producer it chose: the product must be that producer's (a
      // producer's own account is held to its products by the service)
      if (principal.role !== 'producer' && productId) {
        const own = await deps.products.list(principal, { producerId: producer.id, limit: 200 });
        if (!own.items.some((p) => p.id === productId)) form.fail('productId', 'unknownProduct');
      }
      if (form.errors.length > 0) throw invalid(form.errors);
      const created = await batches.create(auditContextOf(request), principal, {
        productId,
        gtin: text(body, 'gtin') || null,
        lot: text(body, 'lot'),
        productionDate: isoDate(text(body, 'productionDate')) ?? '',
        packingDate: isoDate(text(body, 'packingDate')),
        expiryDate: isoDate(text(body, 'expiryDate')),
        quantity,
        unit: text(body, 'unit') || null,
        rawMaterialLocationId: text(body, 'rawMaterialLocationId') || null,
        inputBatchIds,
        note: text(body, 'note') || null,
      });
      return reply.redirect(`/trace/batches/${created.id}?created=1`, 303);
    } catch (error) {
      const { status, form } = failure(request, error, values);
      return newBatchPage(request, reply, principal, producerId, form, status);
    }
  });

  // --- one batch -----------------------------------------------------------------------------
  const batchPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    forms: { report?: FormState; serial?: FormState },
    status = 200,
  ) => {
    const principal = signedIn(request);
    const batch = await batches.get(principal, id);
    const [products, places, partners, events, visible] = await Promise.all([
      deps.products.byIds([batch.productId, ...batch.inputs.map((b) => b.productId)]),
      locations.list(principal, batch.producerId),
      locations.partners(principal, batch.producerId),
      batches.lotEvents(batch.gtin, batch.lot),
      batches.list(principal, 200),
    ]);
    const product = products.get(batch.productId);
    const lots = new Map([...visible, ...batch.inputs].map((b) => [`${b.gtin}|${b.lot}`, b.id]));
    const journey = journeyOf(events, {
      t: request.t,
      locale: request.locale,
      batch,
      names: namesOf(places, partners),
      lots,
      reports: new Map(batch.testReports.map((r) => [r.id, r.name])),
    });
    const t = request.t;
    const recorded = queryText(request, 'recorded');
    const notice = (RECORDED_STEPS as readonly string[]).includes(recorded)
      ? t('tracePages.notice.recorded', { step: t(`tracePages.step.${recorded}`) })
      : queryText(request, 'created')
        ? t('tracePages.notice.created')
        : queryText(request, 'recalled')
          ? t('tracePages.notice.recalled')
          : queryText(request, 'report')
            ? t('tracePages.notice.report')
            : /^\d{1,6}$/.test(queryText(request, 'serials'))
              ? t('tracePages.notice.serials', { count: Number(queryText(request, 'serials')) })
              : null;
    return sendPage(
      reply,
      renderDocument(
        <BatchPage
          page={request.page}
          batch={batch}
          productName={product?.name ?? batch.gtin}
          producerName={product?.producerName ?? ''}
          rawMaterial={places.find((l) => l.id === batch.rawMaterialLocationId)?.name ?? null}
          inputs={batch.inputs.map((b) => ({
            label: `${products.get(b.productId)?.name ?? b.gtin} — ${t('tracePages.lotOf', { lot: b.lot })}`,
            href: `/trace/batches/${b.id}`,
          }))}
          journey={journey}
          recalledOn={batch.recall ? wallClock(new Date(batch.recall.at), '+07:00') : null}
          mayRecord={mayRecord(principal)}
          notice={notice}
          reportForm={forms.report ?? emptyForm()}
          serialForm={forms.serial ?? emptyForm({ count: '' })}
          uploadLimitMb={uploadLimitMb}
          serialLimit={deps.serialLimit}
        />,
      ),
      status,
    );
  };

  app.get('/trace/batches/:id', { schema: { hide: true, params: IdParams } }, (request, reply) =>
    batchPage(request, reply, request.params.id, {}),
  );

  app.post(
    '/trace/batches/:id/reports',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const principal = recorder(request);
      const body = (request.body ?? {}) as FormBody;
      const values = valuesOf(body);
      const id = request.params.id;
      try {
        const form = new FormReader(body);
        const issuedOn = form.date('issuedOn');
        if (issuedOn && issuedOn > todayInVietnam(now())) form.fail('issuedOn', 'notInFuture');
        const file = body.file;
        if (!isUploadedFile(file) || file.bytes.length === 0) form.fail('file', 'required');
        else if (file.tooLarge) form.fail('file', 'fileTooLarge', { limit: uploadLimitMb });
        if (!text(body, 'name')) form.fail('name', 'required');
        if (form.errors.length > 0 || !isUploadedFile(file)) throw invalid(form.errors);
        await batches.addTestReport(auditContextOf(request), principal, id, {
          name: text(body, 'name'),
          issuedOn,
          bytes: file.bytes,
        });
        return reply.redirect(`/trace/batches/${id}?report=1#reports`, 303);
      } catch (error) {
        const { status, form } = failure(request, error, values);
        return batchPage(request, reply, id, { report: form }, status);
      }
    },
  );

  app.post(
    '/trace/batches/:id/serials',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const principal = recorder(request);
      const body = (request.body ?? {}) as FormBody;
      const values = valuesOf(body);
      const id = request.params.id;
      try {
        const form = new FormReader(body);
        const count = form.integer('count');
        if (count === null && form.errors.length === 0) form.fail('count', 'required');
        if (form.errors.length > 0 || count === null) throw invalid(form.errors);
        const issued = await batches.issueSerials(
          auditContextOf(request),
          principal,
          id,
          { prefix: text(body, 'prefix') || null, count },
          deps.serialLimit,
        );
        return reply.redirect(`/trace/batches/${id}?serials=${issued.last - issued.first + 1}#serials`, 303);
      } catch (error) {
        const { status, form } = failure(request, error, values);
        return batchPage(request, reply, id, { serial: form }, status);
      }
    },
  );

  // --- one step ------------------------------------------------------------------------------
  const stepOfParams = (step: string): RecordedStep => {
    if (!(RECORDED_STEPS as readonly string[]).includes(step))
      throw new DomainError('route_not_found', 'not_found');
    return step as RecordedStep;
  };

  const stepPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    id: string,
    step: RecordedStep,
    form: FormState | null,
    status = 200,
  ) => {
    const batch = await batches.get(principal, id);
    if (batch.recall && step !== 'inspection')
      throw new DomainError('batch_recalled', 'conflict', { lot: batch.lot });
    const [products, places, partners, others] = await Promise.all([
      deps.products.byIds([batch.productId]),
      locations.list(principal, batch.producerId),
      locations.partners(principal, batch.producerId),
      step === 'processing'
        ? otherBatches(request, principal, batch.producerId, batch.id)
        : Promise.resolve([]),
    ]);
    const state = form ?? emptyForm(await stepDefaults(principal, batch, step, places, partners));
    return sendPage(
      reply,
      renderDocument(
        <StepPage
          page={request.page}
          form={state}
          step={step}
          batch={batch}
          productName={products.get(batch.productId)?.name ?? batch.gtin}
          places={places}
          partners={partners}
          otherBatches={others}
        />,
      ),
      status,
    );
  };

  /**
   * A step form's first values: now in Vietnam; the place (and partner) of this lot's previous
   * steps when they say where it is (a receipt where it was shipped, a sale where it was received),
   * else where this producer recorded this step last, else its usual kind of place; the batch's
   * quantity and unit; a processing's recorded inputs; an inspection passed.
   */
  async function stepDefaults(
    principal: Principal,
    batch: BatchDetail,
    step: RecordedStep,
    places: Location[],
    partners: Partner[],
  ): Promise<Record<string, string>> {
    const [last, events] = await Promise.all([
      batches.stepDefaults(principal, batch.id, step),
      step === 'receiving' || step === 'sale'
        ? batches.lotEvents(batch.gtin, batch.lot)
        : Promise.resolve([]),
    ]);
    const atPartner = step === 'receiving' || step === 'sale';
    const candidates = atPartner ? [...partners, ...places] : places;
    const byIdentifier = (identifier: string | null | undefined, among: (Location | Partner)[]) =>
      identifier
        ? among.find((p) => p.identifier === identifier || canonical(p.identifier) === canonical(identifier))
            ?.id
        : undefined;
    // this lot's latest shipping and receiving
    let shippedTo = null as string | null;
    let shippedFrom = null as string | null;
    let receivedAt = null as string | null;
    for (const e of events) {
      const doc = e.document as Doc;
      const s = stepOf(doc);
      if (s === 'shipping') {
        const to = asArray(doc.destinationList)[0]?.destination;
        shippedTo = typeof to === 'string' ? to : shippedTo;
        shippedFrom = idOf(doc.bizLocation) ?? shippedFrom;
      }
      if (s === 'receiving') receivedAt = idOf(doc.bizLocation) ?? receivedAt;
    }
    const usual = candidates.find((p) => USUAL_KINDS[step].includes(p.kind))?.id;
    const harvestArea = step === 'harvest' ? batch.rawMaterialLocationId : null;
    const fromLot =
      step === 'receiving'
        ? byIdentifier(shippedTo, candidates)
        : step === 'sale'
          ? (byIdentifier(receivedAt, candidates) ?? byIdentifier(shippedTo, candidates))
          : undefined;
    const place =
      fromLot ??
      byIdentifier(last.placeIdentifier, candidates) ??
      harvestArea ??
      usual ??
      (candidates.length === 1 ? candidates[0]!.id : '');
    const partner =
      step === 'shipping'
        ? (byIdentifier(last.partnerIdentifier, [...partners, ...places]) ??
          (partners.length === 1 ? partners[0]!.id : ''))
        : step === 'receiving'
          ? (byIdentifier(shippedFrom, [...partners, ...places]) ??
            byIdentifier(last.partnerIdentifier, [...partners, ...places]) ??
            '')
          : '';
    return {
      eventTime: vietnamLocalInput(now()),
      placeId: place,
      partnerId: partner,
      quantity: batch.quantity === null ? '' : String(batch.quantity),
      unit: batch.unit ?? '',
      inputBatchIds: batch.inputs.map((b) => b.id).join(','),
      conformant: 'yes',
    };
  }

  app.get(
    '/trace/batches/:id/steps/:step',
    { schema: { hide: true, params: StepParams } },
    async (request, reply) => {
      const principal = recorder(request);
      return stepPage(request, reply, principal, request.params.id, stepOfParams(request.params.step), null);
    },
  );

  app.post(
    '/trace/batches/:id/steps/:step',
    { schema: { hide: true, params: StepParams } },
    async (request, reply) => {
      const principal = recorder(request);
      const step = stepOfParams(request.params.step);
      const id = request.params.id;
      const body = (request.body ?? {}) as FormBody;
      const values = valuesOf(body);
      const inputBatchIds = listOf(body, 'inputBatchIds');
      values.inputBatchIds = inputBatchIds.join(',');
      try {
        const form = new FormReader(body);
        const quantity = form.decimal('quantity');
        if (!text(body, 'eventTime')) form.fail('eventTime', 'required');
        // a processing names its ingredient lots: the EPCIS reader refuses a TransformationEvent
        // without inputs (and no transformationID), so without any the form says so
        if (step === 'processing' && inputBatchIds.length === 0) {
          const batch = await batches.get(principal, id);
          if (batch.inputs.length === 0) form.fail('inputBatchIds', 'ingredientLots');
        }
        if (form.errors.length > 0) throw invalid(form.errors);
        await batches.recordStep(auditContextOf(request), principal, id, {
          step,
          eventTime: text(body, 'eventTime'),
          placeId: text(body, 'placeId') || null,
          partnerId: step === 'shipping' || step === 'receiving' ? text(body, 'partnerId') || null : null,
          quantity,
          unit: text(body, 'unit') || null,
          ...(step === 'processing' ? { inputBatchIds } : {}),
          sscc: step === 'packing' ? text(body, 'sscc') || null : null,
          ...(step === 'inspection' ? { conformant: text(body, 'conformant') !== 'no' } : {}),
          reportId: step === 'inspection' ? text(body, 'reportId') || null : null,
          document:
            step === 'shipping' || step === 'receiving' || step === 'sale'
              ? text(body, 'document') || null
              : null,
          note: text(body, 'note') || null,
        });
        return reply.redirect(`/trace/batches/${id}?recorded=${step}`, 303);
      } catch (error) {
        const { status, form } = failure(request, error, values);
        return stepPage(request, reply, principal, id, step, form, status);
      }
    },
  );

  // --- the recall ----------------------------------------------------------------------------
  const recallPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    id: string,
    form: FormState | null,
    status = 200,
  ) => {
    const batch = await batches.get(principal, id);
    if (batch.recall) throw new DomainError('batch_recalled', 'conflict', { lot: batch.lot });
    const [products, places] = await Promise.all([
      deps.products.byIds([batch.productId]),
      locations.list(principal, batch.producerId),
    ]);
    const usual = places.find((p) => p.kind === 'processing_facility') ?? places[0];
    return sendPage(
      reply,
      renderDocument(
        <RecallPage
          page={request.page}
          form={form ?? emptyForm({ placeId: usual?.id ?? '' })}
          batch={batch}
          productName={products.get(batch.productId)?.name ?? batch.gtin}
          places={places}
        />,
      ),
      status,
    );
  };

  app.get(
    '/trace/batches/:id/recall',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const principal = recorder(request);
      return recallPage(request, reply, principal, request.params.id, null);
    },
  );

  app.post(
    '/trace/batches/:id/recall',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const principal = recorder(request);
      const id = request.params.id;
      const body = (request.body ?? {}) as FormBody;
      const values = valuesOf(body);
      try {
        const form = new FormReader(body);
        const reason = form.text('reason', { required: true, max: 1000 });
        if (!form.flag('confirm')) form.fail('confirm', 'required');
        if (form.errors.length > 0 || !reason) throw invalid(form.errors);
        await batches.recall(auditContextOf(request), principal, id, {
          reason,
          placeId: text(body, 'placeId') || null,
        });
        return reply.redirect(`/trace/batches/${id}?recalled=1`, 303);
      } catch (error) {
        const { status, form } = failure(request, error, values);
        return recallPage(request, reply, principal, id, form, status);
      }
    },
  );

  // --- places and partners -------------------------------------------------------------------
  const placesPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    producerId: string,
    forms: { place?: FormState; partner?: FormState },
    status = 200,
  ) => {
    const producer = await producerFor(principal, producerId);
    if (!producer)
      return chooser(request, reply, principal, request.t('tracePages.placesLink'), '/trace/places');
    const [places, partners] = await Promise.all([
      locations.list(principal, producer.id),
      locations.partners(principal, producer.id),
    ]);
    const added = queryText(request, 'added');
    const t = request.t;
    return sendPage(
      reply,
      renderDocument(
        <PlacesPage
          page={request.page}
          producer={{ id: producer.id, name: producer.legalName }}
          office={principal.role !== 'producer'}
          places={places}
          partners={partners}
          placeForm={forms.place ?? emptyForm({ kind: 'farm', communeCode: producer.communeCode })}
          partnerForm={
            forms.partner ??
            emptyForm({ 'partner/kind': 'ocop_point_of_sale', 'partner/communeCode': producer.communeCode })
          }
          mayRecord={mayRecord(principal)}
          notice={
            added === 'place'
              ? t('tracePages.notice.placeAdded')
              : added === 'partner'
                ? t('tracePages.notice.partnerAdded')
                : null
          }
        />,
      ),
      status,
    );
  };

  app.get('/trace/places', { schema: { hide: true } }, async (request, reply) => {
    const principal = signedIn(request);
    return placesPage(request, reply, principal, queryText(request, 'producerId'), {});
  });

  /** After a place or partner is added: the page again, with the office's producer. */
  const placesUrl = (principal: Principal, producerId: string, added: 'place' | 'partner') =>
    `/trace/places?${principal.role === 'producer' ? '' : `producerId=${producerId}&`}added=${added}`;

  app.post('/trace/places', { schema: { hide: true } }, async (request, reply) => {
    const principal = recorder(request);
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    const producerId = text(body, 'producerId') || queryText(request, 'producerId');
    try {
      const producer = await producerFor(principal, producerId);
      if (!producer) throw new DomainError('producer_not_found', 'not_found');
      const form = new FormReader(body);
      const latitude = coordinate(form, 'latitude');
      const longitude = coordinate(form, 'longitude');
      if (form.errors.length > 0) throw invalid(form.errors);
      await locations.add(auditContextOf(request), principal, producer.id, {
        kind: text(body, 'kind') || null,
        name: text(body, 'name'),
        identifier: text(body, 'identifier') || null,
        communeCode: text(body, 'communeCode') || null,
        latitude,
        longitude,
        certifications: text(body, 'certifications') || null,
      });
      return reply.redirect(placesUrl(principal, producer.id, 'place'), 303);
    } catch (error) {
      const fixed =
        error instanceof DomainError && error.code === 'location_taken'
          ? new DomainError(error.code, error.kind, error.params, [
              { in: 'body', name: 'identifier', rule: 'identifierTaken' },
            ])
          : error;
      const { status, form } = failure(request, fixed, values);
      return placesPage(request, reply, principal, producerId, { place: form }, status);
    }
  });

  app.post('/trace/partners', { schema: { hide: true } }, async (request, reply) => {
    const principal = recorder(request);
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    const producerId = text(body, 'producerId') || queryText(request, 'producerId');
    const field = (name: string) => text(body, `partner/${name}`);
    try {
      const producer = await producerFor(principal, producerId);
      if (!producer) throw new DomainError('producer_not_found', 'not_found');
      await locations.addPartner(auditContextOf(request), principal, producer.id, {
        kind: field('kind') || null,
        name: field('name'),
        identifier: field('identifier') || null,
        communeCode: field('communeCode') || null,
        address: field('address') || null,
      });
      return reply.redirect(placesUrl(principal, producer.id, 'partner'), 303);
    } catch (error) {
      const fixed =
        error instanceof DomainError && error.code === 'partner_taken'
          ? new DomainError(error.code, error.kind, error.params, [
              { in: 'body', name: 'identifier', rule: 'identifierTaken' },
            ])
          : error;
      const { status, form } = failure(request, fixed, values, 'partner/');
      return placesPage(request, reply, principal, producerId, { partner: form }, status);
    }
  });
}
