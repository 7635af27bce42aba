import { Type } from 'typebox';
import { DomainError } from '../../platform/errors.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { collectPages, EXPORT_FORMATS, sendSpreadsheet } from '../../platform/http/export.ts';
import { type FormBody, FormReader, text, valuesOf } from '../../platform/http/form-body.ts';
import { FilePart, multipartBody } from '../../platform/http/multipart-doc.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import {
  type FastifyReply,
  type FastifyRequest,
  type HttpServer,
  isUploadedFile,
  sendPage,
} from '../../platform/http/server.ts';
import { LIST_LIMIT } from '../../platform/pagination.ts';
import type { Column } from '../../platform/spreadsheet/index.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { renderDocument } from '../../platform/views/jsx.ts';
import { communeNames, mayExport } from '../producers/index.ts';
import { COMMUNE_ITEMS, type CommuneReport, DOCUMENT_KINDS, DOSSIER_KINDS } from './dossier-checklist.ts';
import { DOSSIER_ACTIONS, type DossierAction } from './dossier-states.ts';
import type { Dossier } from './dossiers.service.ts';
import { DossierPage, DossiersPage } from './dossiers.views.tsx';
import { signInRequired, uploadRefused } from './errors.ts';
import { DOSSIER_TAGS, formFailure, type ProductsRouteDeps } from './products.http.ts';
import {
  DossierActionBody,
  DossierActionParams,
  DossierChangesBody,
  DossierDetailSchema,
  DossierListQuery,
  DossierSchema,
  IdParams,
  NewDossierBody,
} from './products.schemas.ts';

/** Mẫu 03 as the commune officer ticks it on the page. */
function readCommuneReport(body: FormBody): CommuneReport {
  const report: CommuneReport = {};
  for (const item of COMMUNE_ITEMS) {
    const met = text(body, `communeReport/${item}/met`);
    if (met === 'yes' || met === 'no') {
      const comment = text(body, `communeReport/${item}/comment`);
      report[item] = { met: met === 'yes', ...(comment ? { comment } : {}) };
    }
  }
  return report;
}

export function registerDossierRoutes(app: HttpServer, deps: ProductsRouteDeps) {
  const { dossiers, documents } = deps;
  app.addSchema(DossierSchema);
  app.addSchema(DossierDetailSchema);
  const limitMb = Math.round(deps.uploadLimitBytes / 1048576);

  // --- API ---------------------------------------------------------------------------------
  app.get(
    '/api/v1/dossiers',
    {
      schema: {
        tags: DOSSIER_TAGS,
        summary:
          'Dossiers in the caller’s scope, most recently changed first; `overdue` lists those past the commune’s 15 working days',
        querystring: DossierListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('Dossier')),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
        },
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      return dossiers.list(request.principal, { ...rest, status: status ? [status] : undefined });
    },
  );

  app.post(
    '/api/v1/dossiers',
    {
      schema: {
        tags: DOSSIER_TAGS,
        summary:
          'Open a dossier for a product: first evaluation, upgrade or re-evaluation (one open dossier per product)',
        body: NewDossierBody,
        response: {
          201: Type.Ref('Dossier'),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await dossiers.create(auditContextOf(request), request.principal, request.body)),
  );

  app.get(
    '/api/v1/dossiers/:id',
    {
      schema: {
        tags: DOSSIER_TAGS,
        summary: 'One dossier with its completeness checklist, history and the actions open to the caller',
        params: IdParams,
        response: { 200: Type.Ref('DossierDetail'), 400: ProblemRef, 404: ProblemRef },
      },
    },
    async (request) => dossiers.get(request.principal, request.params.id),
  );

  app.patch(
    '/api/v1/dossiers/:id',
    {
      schema: {
        tags: DOSSIER_TAGS,
        summary:
          'Fill the registration form (Mẫu 01) and the self-assessment report (Mẫu 02) while the dossier is a draft or returned',
        params: IdParams,
        body: DossierChangesBody,
        response: {
          200: Type.Ref('Dossier'),
          400: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
    },
    async (request) => {
      const { version, ...changes } = request.body;
      return dossiers.updateForms(
        auditContextOf(request),
        request.principal,
        request.params.id,
        changes,
        version,
      );
    },
  );

  app.post(
    '/api/v1/dossiers/:id/:action',
    {
      // most steps need no body: an empty request is an empty object
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: DOSSIER_TAGS,
        summary: `Take a step of the lifecycle: ${DOSSIER_ACTIONS.join(', ')}. \`return\` needs a comment; \`check\` the commune’s Mẫu 03 report`,
        params: DossierActionParams,
        body: DossierActionBody,
        response: {
          200: Type.Ref('Dossier'),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
    },
    async (request) =>
      dossiers.act(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.params.action,
        request.body ?? {},
      ),
  );

  app.get(
    '/api/v1/dossiers/:id/documents',
    {
      schema: {
        tags: DOSSIER_TAGS,
        summary: 'The dossier’s current evidence files',
        params: IdParams,
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('Document')) }),
          400: ProblemRef,
          404: ProblemRef,
        },
      },
    },
    async (request) => {
      const dossier = await dossiers.get(request.principal, request.params.id);
      return {
        items: await documents.list(request.principal, {
          productId: dossier.productId,
          dossierId: dossier.id,
        }),
      };
    },
  );

  app.post(
    '/api/v1/dossiers/:id/documents',
    {
      config: {
        multipartBody: multipartBody(
          {
            kind: Type.Enum([...DOCUMENT_KINDS]),
            file: FilePart,
            replacesId: Type.String({
              format: 'uuid',
              description: 'the current document this one replaces',
            }),
          },
          ['kind', 'file'],
        ),
      },
      schema: {
        tags: DOSSIER_TAGS,
        summary:
          'Attach an evidence file (multipart/form-data: `kind`, `file`, optional `replacesId`). PDF, JPEG, PNG, XLSX or DOCX, sniffed from the bytes, within the size limit',
        params: IdParams,
        response: {
          201: Type.Ref('Document'),
          400: ProblemRef,
          401: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new DomainError('unsupported_media_type', 'invalid');
      const document = await attach(request, request.params.id);
      return reply.status(201).send(document);
    },
  );

  async function attach(request: FastifyRequest, dossierId: string) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const file = body.file;
    if (!isUploadedFile(file) || file.bytes.length === 0) throw uploadRefused('upload_missing');
    if (file.tooLarge) throw uploadRefused('file_too_large', { limit: limitMb });
    const dossier = await dossiers.get(request.principal, dossierId);
    const kind = typeof body.kind === 'string' ? body.kind : '';
    const replacesId = typeof body.replacesId === 'string' && body.replacesId ? body.replacesId : null;
    return documents.upload(auditContextOf(request), request.principal, {
      productId: dossier.productId,
      dossierId,
      kind,
      fileName: file.fileName,
      bytes: file.bytes,
      replacesId,
    });
  }

  app.get(
    '/dossiers/export',
    {
      schema: {
        tags: DOSSIER_TAGS,
        summary: 'The dossier list (same filters as the list) as .xlsx or CSV (UTF-8 with BOM)',
        querystring: Type.Object({
          ...Type.Partial(DossierListQuery).properties,
          format: Type.Enum([...EXPORT_FORMATS]),
        }),
      },
    },
    async (request, reply) => {
      if (!request.principal) throw signInRequired();
      if (!mayExport(request.principal)) throw new DomainError('forbidden', 'forbidden');
      const { format, cursor: _cursor, limit: _limit, status, ...filters } = request.query;
      const rows = await collectPages((cursor) =>
        dossiers.list(request.principal, {
          ...filters,
          status: status ? [status] : undefined,
          cursor,
          limit: 200,
        }),
      );
      const products = await deps.products.byIds(rows.map((d) => d.productId));
      const t = request.t;
      const columns: Column<Dossier>[] = [
        { header: t('products.name'), value: (d) => products.get(d.productId)?.name ?? '', width: 36 },
        {
          header: t('products.producer'),
          value: (d) => products.get(d.productId)?.producerName ?? '',
          width: 36,
        },
        { header: t('dossiers.kind'), value: (d) => t(`dossiers.kind.${d.kind}`) },
        { header: t('dossiers.statusLabel'), value: (d) => t(`dossiers.status.${d.status}`), width: 24 },
        { header: t('producers.communeCode'), value: (d) => d.communeCode },
        {
          header: t('dossiers.submittedAt'),
          value: (d) => (d.submittedAt ? new Date(d.submittedAt) : null),
          kind: 'date',
        },
        { header: t('dossiers.deadline'), value: (d) => d.dueOn, kind: 'date' },
        { header: t('dossiers.workingDaysLeft'), value: (d) => d.workingDaysLeft, kind: 'number' },
        { header: t('dossiers.returnComment'), value: (d) => d.returnComment, width: 40 },
      ];
      return sendSpreadsheet(reply, format, 'ho-so-ocop', columns, rows);
    },
  );

  // --- pages -------------------------------------------------------------------------------
  app.get(
    '/dossiers',
    { schema: { hide: true, querystring: Type.Partial(DossierListQuery) } },
    async (request, reply) => {
      if (!request.principal) throw signInRequired();
      const query = request.query;
      const page = await dossiers.list(request.principal, {
        ...query,
        status: query.status ? [query.status] : undefined,
        limit: query.limit ?? LIST_LIMIT.default,
      });
      const products = await deps.products.byIds(page.items.map((d) => d.productId));
      return sendPage(
        reply,
        renderDocument(
          DossiersPage({
            page: request.page,
            dossiers: page.items,
            nextCursor: page.nextCursor,
            query: { status: query.status, kind: query.kind, overdue: query.overdue ? 'true' : undefined },
            products,
            canExport: mayExport(request.principal),
          }),
        ),
      );
    },
  );

  app.post('/dossiers', { schema: { hide: true } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    const body = (request.body ?? {}) as FormBody;
    const form = new FormReader(body);
    const kind = form.choice('kind', DOSSIER_KINDS) ?? 'first_evaluation';
    const productId = form.text('productId', { required: true }) ?? '';
    if (form.errors.length > 0) throw new DomainError('validation_failed', 'invalid', {}, form.errors);
    const dossier = await dossiers.create(auditContextOf(request), request.principal, { productId, kind });
    return reply.redirect(`/dossiers/${dossier.id}`, 303);
  });

  const dossierPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    forms: { forms?: FormState; upload?: FormState; action?: FormState } = {},
    status = 200,
  ) => {
    if (!request.principal) throw signInRequired();
    const dossier = await dossiers.get(request.principal, id);
    const files = await documents.list(request.principal, { productId: dossier.productId, dossierId: id });
    const names = await communeNames(deps.adminUnits, [dossier.communeCode]);
    const r = dossier.registration;
    const s = dossier.selfAssessment;
    const formValues: Record<string, string> = {
      version: String(dossier.version),
      representativeName: r.representativeName ?? '',
      representativeTitle: r.representativeTitle ?? '',
      phone: r.phone ?? '',
      productionAddress: r.productionAddress ?? '',
      sampleCount: r.sampleCount?.toString() ?? '',
      commitment: r.commitment ? '1' : '',
      generalInfo: s.generalInfo ?? '',
      businessResults: s.businessResults ?? '',
      businessPlan: s.businessPlan ?? '',
    };
    return sendPage(
      reply,
      renderDocument(
        DossierPage({
          page: request.page,
          dossier,
          documents: files,
          communeName: names.get(dossier.communeCode) ?? dossier.communeCode,
          forms: forms.forms ?? emptyForm(formValues),
          upload: forms.upload ?? emptyForm(),
          action: forms.action ?? emptyForm(),
          uploadLimitMb: limitMb,
        }),
      ),
      status,
    );
  };

  app.get('/dossiers/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) =>
    dossierPage(request, reply, request.params.id),
  );

  app.post('/dossiers/:id/forms', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    const id = request.params.id;
    try {
      const form = new FormReader(body);
      const registration = {
        representativeName: form.text('representativeName', { max: 200 }) ?? '',
        representativeTitle: form.text('representativeTitle', { max: 200 }) ?? '',
        phone: form.text('phone', { max: 20 }) ?? '',
        productionAddress: form.text('productionAddress', { max: 500 }) ?? '',
        sampleCount: form.integer('sampleCount', { min: 0, max: 1000 }) ?? 0,
        commitment: form.flag('commitment'),
      };
      const selfAssessment = {
        generalInfo: form.text('generalInfo', { max: 20_000 }) ?? '',
        businessResults: form.text('businessResults', { max: 20_000 }) ?? '',
        businessPlan: form.text('businessPlan', { max: 20_000 }) ?? '',
      };
      if (form.errors.length > 0) throw new DomainError('validation_failed', 'invalid', {}, form.errors);
      await dossiers.updateForms(
        auditContextOf(request),
        request.principal,
        id,
        { registration, selfAssessment },
        Number(values.version) || undefined,
      );
      return reply.redirect(`/dossiers/${id}#forms`, 303);
    } catch (error) {
      const { status, form } = formFailure(request, error, values);
      return dossierPage(request, reply, id, { forms: form }, status);
    }
  });

  app.post(
    '/dossiers/:id/documents',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const id = request.params.id;
      try {
        await attach(request, id);
        return reply.redirect(`/dossiers/${id}#documents`, 303);
      } catch (error) {
        const { status, form } = formFailure(request, error, {});
        return dossierPage(request, reply, id, { upload: form }, status);
      }
    },
  );

  app.post(
    '/dossiers/:id/actions/:action',
    { schema: { hide: true, params: DossierActionParams } },
    async (request, reply) => {
      if (!request.principal) throw signInRequired();
      const body = (request.body ?? {}) as FormBody;
      const values = valuesOf(body);
      const { id, action } = request.params;
      try {
        await dossiers.act(auditContextOf(request), request.principal, id, action as DossierAction, {
          comment: text(body, 'comment') || null,
          ...(action === 'check' ? { communeReport: readCommuneReport(body) } : {}),
          version: Number(values.version) || undefined,
        });
        return reply.redirect(`/dossiers/${id}`, 303);
      } catch (error) {
        const { status, form } = formFailure(request, error, values);
        return dossierPage(request, reply, id, { action: form }, status);
      }
    },
  );
}
