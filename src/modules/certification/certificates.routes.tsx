/**
 * The certificate register over HTTP: the JSON API under /api/v1/certificates (OpenAPI) and the
 * back-office pages under /certificates — the list, one certificate with its revocation form, the
 * printable PDF and the OCOP mark artwork, recording a certificate, the re-evaluation queue.
 */
import { Type } from 'typebox';
import type { Principal } from '../../platform/auth.ts';
import { DomainError } from '../../platform/errors.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { type FormBody, FormReader, formFailure, valuesOf } from '../../platform/http/form-body.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import {
  type FastifyReply,
  type FastifyRequest,
  type HttpServer,
  sendPage,
} from '../../platform/http/server.ts';
import { addDays, formatDate } from '../../platform/time.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { h, renderDocument } from '../../platform/views/jsx.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { ProducersService } from '../producers/index.ts';
import type { DocumentsService, ProductsService } from '../products/index.ts';
import { CERTIFICATE_LEVELS, CERTIFICATE_STATUSES, type CertificateStatus } from './certificate.model.ts';
import { renderCertificatePdf } from './certificate.pdf.ts';
import {
  CertificateBody,
  CertificateListQuery,
  CertificateParams,
  CertificateRef,
  CertificateSchema,
  RevocationBody,
} from './certificates.schemas.ts';
import { type Certificate, type CertificatesService, inForce } from './certificates.service.ts';
import { CertificatePage, CertificatesPage, NewCertificatePage, QueuePage } from './certificates.views.tsx';
import { notInForce } from './errors.ts';
import { renderOcopMarkSvg } from './ocop-mark.ts';
import { recordsCertificates } from './policy.ts';
import type { ReminderJob } from './reminders.service.ts';
import type { SigningKeys } from './signing-keys.service.ts';

const TAGS = ['certificates'];

/** What a printed copy of a certificate no longer in force says across the page (the PDF is in Vietnamese). */
const ENDED: Partial<Record<CertificateStatus, string>> = {
  expired: 'ĐÃ HẾT HIỆU LỰC TỪ',
  revoked: 'ĐÃ BỊ THU HỒI TỪ',
  superseded: 'ĐÃ ĐƯỢC THAY THẾ TỪ',
  not_yet_valid: 'CÓ HIỆU LỰC TỪ',
};
const API = '/api/v1/certificates';

export interface CertificationRouteDeps {
  certificates: CertificatesService;
  keys: SigningKeys;
  reminders: ReminderJob;
  products: ProductsService;
  producers: ProducersService;
  documents: DocumentsService;
  adminUnits: AdminUnitsService;
  publicUrl: URL;
}

const errors = {
  400: ProblemRef,
  401: ProblemRef,
  403: ProblemRef,
  404: ProblemRef,
  409: ProblemRef,
  422: ProblemRef,
};

/** 'valid,expired' → the statuses (the schema has checked the words). */
const statusesOf = (value: string | undefined) =>
  value
    ? (value
        .split(',')
        .filter((s) => CERTIFICATE_STATUSES.includes(s as CertificateStatus)) as CertificateStatus[])
    : undefined;

export function registerCertificateRoutes(app: HttpServer, deps: CertificationRouteDeps) {
  const { certificates } = deps;
  app.addSchema(CertificateSchema);

  const signedIn = (request: FastifyRequest): Principal => {
    if (!request.principal) throw new DomainError('sign_in_required', 'unauthenticated');
    return request.principal;
  };

  /** The signed verification URL a certificate's QR encodes. */
  const verifyUrl = (c: Certificate) =>
    deps.keys.signedUrl({ id: c.id, stars: c.stars, issuedOn: c.issuedOn, validUntil: c.validUntil });

  const printable = async (request: FastifyRequest, id: string) => {
    const c = await certificates.get(id);
    if (!certificates.mayPrint(request.principal, c)) {
      if (!request.principal) throw new DomainError('sign_in_required', 'unauthenticated');
      throw new DomainError('forbidden', 'forbidden');
    }
    return c;
  };

  // --- API ---------------------------------------------------------------------------------
  app.get(
    API,
    {
      schema: {
        tags: TAGS,
        summary:
          'The public certificate register, ordered by the last day in force: filter by status (on today’s date), stars, province, commune, producer, product, expiring within N days, or text',
        querystring: CertificateListQuery,
        response: {
          200: Type.Object({
            day: Type.String({ format: 'date' }),
            items: Type.Array(CertificateRef),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ProblemRef,
        },
      },
    },
    async (request) => {
      const page = await certificates.list({ ...request.query, status: statusesOf(request.query.status) });
      return { ...page, items: page.items.map((c) => certificates.shownTo(request.principal, c)) };
    },
  );

  app.get(
    `${API}/:id`,
    {
      schema: {
        tags: TAGS,
        summary: 'One certificate with its status today',
        params: CertificateParams,
        response: { 200: CertificateRef, 404: ProblemRef },
      },
    },
    async (request) => certificates.shownTo(request.principal, await certificates.get(request.params.id)),
  );

  app.post(
    API,
    {
      schema: {
        tags: TAGS,
        summary:
          'Records a certificate (province office): a recognition decided outside the platform. Refused: a date in the future, a validity other than 36 months without validityReason, stars that do not fit the level, a second certificate in force for the product (give supersedesId for an upgrade or re-evaluation)',
        body: CertificateBody,
        response: { 201: CertificateRef, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await certificates.create(auditContextOf(request), request.principal, request.body)),
  );

  app.post(
    `${API}/:id/revocation`,
    {
      schema: {
        tags: TAGS,
        summary:
          'Revokes a certificate (Article 8): one of the six grounds, the decision number, its date (not in the future) and signer',
        params: CertificateParams,
        body: RevocationBody,
        response: { 200: CertificateRef, ...errors },
      },
    },
    async (request) =>
      certificates.revoke(auditContextOf(request), request.principal, request.params.id, request.body),
  );

  // --- pages -------------------------------------------------------------------------------
  app.get(
    '/certificates',
    { schema: { hide: true, querystring: Type.Record(Type.String(), Type.String()) } },
    async (request, reply) => {
      const query = request.query;
      const integer = (v: string | undefined, min: number, max: number) =>
        v && /^\d{1,4}$/.test(v) && Number(v) >= min && Number(v) <= max ? Number(v) : undefined;
      const status = CERTIFICATE_STATUSES.find((s) => s === query.status);
      const page = await certificates.list({
        status: status ? [status] : undefined,
        stars: integer(query.stars, 3, 5),
        communeCode: /^\d{5}$/.test(query.communeCode ?? '') ? query.communeCode : undefined,
        expiringWithinDays: integer(query.expiringWithinDays, 0, 3650),
        q: query.q?.slice(0, 200),
        cursor: query.cursor,
      });
      return sendPage(
        reply,
        renderDocument(
          <CertificatesPage
            page={request.page}
            items={page.items}
            nextCursor={page.nextCursor}
            query={query}
            mayRecord={recordsCertificates(request.principal)}
          />,
        ),
      );
    },
  );

  const certificatePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    revokeForm: FormState,
    status = 200,
  ) => {
    const c = certificates.shownTo(request.principal, await certificates.get(id));
    const mayPrint = certificates.mayPrint(request.principal, c);
    const [history, reminders] = await Promise.all([
      certificates.ofProducts([c.productId]),
      mayPrint ? deps.reminders.of(c.id) : Promise.resolve([]),
    ]);
    return sendPage(
      reply,
      renderDocument(
        <CertificatePage
          page={request.page}
          certificate={c}
          history={history}
          reminders={reminders}
          mayPrint={mayPrint}
          mayRecord={certificates.mayRecord(request.principal, c)}
          revokeForm={revokeForm}
        />,
      ),
      status,
    );
  };

  const newPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) => {
    const principal = signedIn(request);
    if (!recordsCertificates(principal)) throw new DomainError('forbidden', 'forbidden');
    // the product list: a search narrows it (a province has hundreds)
    const q =
      typeof (request.query as Record<string, unknown>)?.q === 'string'
        ? String((request.query as Record<string, string>).q).slice(0, 200)
        : '';
    const products = await deps.products.list(principal, {
      limit: 200,
      status: 'active',
      ...(q ? { q } : {}),
    });
    return sendPage(
      reply,
      renderDocument(
        <NewCertificatePage
          page={request.page}
          form={form}
          q={q}
          products={products.items.map((p) => ({
            id: p.id,
            label: `${p.name} — ${p.producerName}${p.productCode ? ` (${p.productCode})` : ''}`,
          }))}
        />,
      ),
      status,
    );
  };

  app.get('/certificates/new', { schema: { hide: true } }, (request, reply) =>
    newPage(request, reply, emptyForm({ level: 'province', stars: '3' })),
  );

  app.post('/certificates', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    try {
      const principal = signedIn(request);
      const form = new FormReader(body);
      const productId = form.text('productId', { max: 36 });
      if (!productId) form.fail('productId', 'required');
      const level = form.choice('level', CERTIFICATE_LEVELS);
      const stars = form.integer('stars', { min: 3, max: 5 });
      if (stars === null) form.fail('stars', 'required');
      const score = form.decimal('score');
      if (form.errors.length > 0) throw new DomainError('validation_failed', 'invalid', {}, form.errors);
      const current = values.supersede
        ? (
            await certificates.list({
              productId: productId!,
              status: ['valid', 'reevaluation_window', 'valid_pending_reevaluation'],
            })
          ).items[0]
        : undefined;
      const created = await certificates.create(auditContextOf(request), principal, {
        productId: productId!,
        number: form.text('number', { max: 60 }),
        level: level!,
        stars: stars!,
        score,
        decisionNumber: form.text('decisionNumber', { max: 60 }) ?? '',
        decisionDate: form.date('decisionDate') ?? '',
        decisionSigner: form.text('decisionSigner', { max: 200 }) ?? '',
        issuedOn: form.date('issuedOn'),
        validUntil: form.date('validUntil'),
        validityReason: form.text('validityReason', { max: 500 }),
        supersedesId: current?.id ?? null,
      });
      return reply.redirect(`/certificates/${created.id}`, 303);
    } catch (error) {
      const { status, form } = formFailure(request, error, values, ['unauthenticated', 'forbidden']);
      return newPage(request, reply, form, status);
    }
  });

  app.get('/certificates/re-evaluation', { schema: { hide: true } }, async (request, reply) => {
    const principal = signedIn(request);
    if (!recordsCertificates(principal)) throw new DomainError('forbidden', 'forbidden');
    const day = certificates.today();
    const scope = principal.role === 'admin' ? {} : { provinceCode: principal.scopeCode ?? '' };
    const items: Certificate[] = [];
    // in force and ending within 240 days, then those expired in the last 180 days
    let cursor: string | undefined;
    do {
      const page = await certificates.list({ ...scope, expiringWithinDays: 240, cursor, limit: 200 });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && items.length < 2000);
    const expired = await certificates.list({
      ...scope,
      status: ['expired'],
      validUntilFrom: addDays(day, -361),
      limit: 200,
    });
    const recent = expired.items.filter((c) => c.statusSince !== null && c.statusSince >= addDays(day, -180));
    const lastRun = await deps.reminders.lastRun();
    return sendPage(
      reply,
      renderDocument(
        <QueuePage
          page={request.page}
          today={day}
          items={[...recent, ...items]}
          lastRun={lastRun ? lastRun.run_on : null}
        />,
      ),
    );
  });

  app.get('/certificates/:id', { schema: { hide: true, params: CertificateParams } }, (request, reply) =>
    certificatePage(request, reply, request.params.id, emptyForm()),
  );

  app.post(
    '/certificates/:id/revocation',
    { schema: { hide: true, params: CertificateParams } },
    async (request, reply) => {
      const body = (request.body ?? {}) as FormBody;
      const values = valuesOf(body);
      try {
        const form = new FormReader(body);
        const version = form.integer('version', { min: 1, max: 1_000_000 });
        await certificates.revoke(auditContextOf(request), request.principal, request.params.id, {
          ground: form.text('ground', { max: 40 }) ?? '',
          decisionNumber: form.text('decisionNumber', { max: 60 }) ?? '',
          decisionDate: form.date('decisionDate') ?? '',
          signer: form.text('signer', { max: 200 }) ?? '',
          reason: form.text('reason', { max: 2000 }),
          ...(version !== null ? { version } : {}),
        });
        return reply.redirect(`/certificates/${request.params.id}`, 303);
      } catch (error) {
        const { status, form } = formFailure(request, error, values, [
          'unauthenticated',
          'forbidden',
          'not_found',
        ]);
        return certificatePage(request, reply, request.params.id, form, status);
      }
    },
  );

  app.get(
    '/certificates/:id/certificate.pdf',
    { schema: { hide: true, params: CertificateParams } },
    async (request, reply) => {
      const c = await printable(request, request.params.id);
      const [product, place] = await Promise.all([
        deps.products.forCertificates([c.productId]),
        deps.producers.placeOf(c.producerId),
      ]);
      let provinceName = c.provinceCode;
      try {
        provinceName = (await deps.adminUnits.get('2025', c.provinceCode)).fullName;
      } catch {
        // an unknown code prints as the code
      }
      const pdf = await renderCertificatePdf({
        number: c.number,
        productName: c.productName,
        productCode: product.get(c.productId)?.productCode ?? null,
        producerName: c.producerName,
        producerAddress: place?.producer.address ?? null,
        provinceName,
        stars: c.stars,
        score: c.score,
        level: c.level,
        decision: c.decision,
        issuedOn: c.issuedOn,
        validUntil: c.validUntil,
        verifyUrl: await verifyUrl(c),
        isDemo: c.isDemo,
        // an archive copy of a certificate no longer in force says so across the page
        notInForce: inForce(c)
          ? null
          : `${ENDED[c.status] ?? ''} ${formatDate(c.statusSince ?? c.issuedOn, 'vi')}`,
      });
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="GCN-OCOP-${c.number.replace(/[^A-Za-z0-9-]+/g, '_')}.pdf"`,
        )
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.get(
    '/certificates/:id/mark.svg',
    { schema: { hide: true, params: CertificateParams } },
    async (request, reply) => {
      const c = await printable(request, request.params.id);
      // the mark exists only for a certificate in force: never for an expired, revoked or replaced one
      if (!inForce(c)) throw notInForce(c.status);
      const svg = renderOcopMarkSvg({
        stars: c.stars,
        number: c.number,
        validUntil: c.validUntil,
        verifyUrl: await verifyUrl(c),
        isDemo: c.isDemo,
      });
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="nhan-OCOP-${c.number.replace(/[^A-Za-z0-9-]+/g, '_')}.svg"`,
        )
        .header('cache-control', 'private, no-store')
        .send(svg);
    },
  );
}
