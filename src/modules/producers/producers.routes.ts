import { Type } from 'typebox';
import type { Principal } from '../../platform/auth.ts';
import { DomainError, type FieldError } from '../../platform/errors.ts';
import { EMAIL, PHONE } from '../../platform/formats.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { collectPages, EXPORT_FORMATS, sendSpreadsheet } from '../../platform/http/export.ts';
import { type FormBody, FormReader, formFailure, rowsOf, valuesOf } from '../../platform/http/form-body.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import {
  type FastifyReply,
  type FastifyRequest,
  type HttpServer,
  sendPage,
} from '../../platform/http/server.ts';
import { LIST_LIMIT } from '../../platform/pagination.ts';
import { todayInVietnam } from '../../platform/time.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { renderDocument } from '../../platform/views/jsx.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { signInRequired } from './errors.ts';
import { mayExport, mayImport, registryPolicy } from './policy.ts';
import {
  AREA_CERTIFICATION_KINDS,
  type Certification,
  checkProducer,
  LEGAL_TYPES,
  type ProducerInput,
  QUALITY_CERTIFICATE_KINDS,
  SALES_CHANNEL_KINDS,
} from './producer-rules.ts';
import {
  IdParams,
  ProducerBody,
  ProducerListQuery,
  ProducerSchema,
  ProducerUpdateBody,
} from './producers.schemas.ts';
import type { Producer, ProducersService } from './producers.service.ts';
import { ProducerFormPage, ProducerPage, ProducersPage } from './producers.views.tsx';

const TAGS = ['producers'];

/** What the producer pages show of products (given by the products module at composition). */
export interface ProducerProductsView {
  productsOf(
    producerId: string,
    recognisedOnly: boolean,
  ): Promise<{ id: string; name: string; stars: number | null }[]>;
}

export interface ProducerRouteDeps {
  producers: ProducersService;
  adminUnits: AdminUnitsService;
  products: ProducerProductsView;
}

export async function communeNames(
  adminUnits: AdminUnitsService,
  codes: string[],
): Promise<Map<string, string>> {
  const found = await adminUnits.lookup('2025', [...new Set(codes)]);
  return new Map(
    found.flatMap((r) =>
      r.unit
        ? [[r.code, `${r.unit.fullName}${r.unit.parent ? `, ${r.unit.parent.fullName}` : ''}`] as const]
        : [],
    ),
  );
}

/** The producer form as typed, converted to the service's input (or the fields at fault). */
export function readProducerForm(body: FormBody): { input: ProducerInput; errors: FormReader['errors'] } {
  const form = new FormReader(body);
  const certification = (
    row: Record<string, string>,
    at: string,
    kinds: readonly string[],
  ): Certification => {
    const sub = new FormReader(row);
    const kind = sub.choice('kind', kinds) ?? 'other';
    const c = {
      kind,
      number: sub.text('number', { max: 100 }),
      issuer: sub.text('issuer', { max: 300 }),
      validFrom: sub.date('validFrom'),
      validUntil: sub.date('validUntil'),
    };
    for (const e of sub.errors) form.errors.push({ ...e, name: `${at}/${e.name}` });
    return c;
  };
  const input: ProducerInput = {
    legalType: form.choice('legalType', LEGAL_TYPES) ?? 'household',
    isSme: form.flag('isSme'),
    legalName: form.text('legalName', { required: true, max: 300 }) ?? '',
    registrationNumber: form.text('registrationNumber', { max: 30 }),
    taxCode: form.text('taxCode', { max: 20 }),
    foundedOn: form.date('foundedOn'),
    address: form.text('address', { max: 500 }),
    communeCode: form.text('communeCode', { required: true }) ?? '',
    oldCommuneCode: form.text('oldCommuneCode'),
    representativeName: form.text('representativeName', { max: 200 }),
    representativeTitle: form.text('representativeTitle', { max: 200 }),
    phone: form.text('phone')?.replace(/[\s.-]/g, '') ?? null,
    email: form.text('email', { max: 254 }),
    website: form.text('website', { max: 500 }),
    workerCount: form.integer('workerCount', { min: 0 }),
    trainedWorkerCount: form.integer('trainedWorkerCount', { min: 0 }),
    circularEconomy: form.flag('circularEconomy'),
    circularEconomyDescription: form.text('circularEconomyDescription', { max: 4000 }),
    rawMaterialAreas: rowsOf(body, 'rawMaterialAreas').map((row, i) => {
      const sub = new FormReader(row);
      const area = {
        name: sub.text('name', { required: true, max: 300 }) ?? '',
        communeCode: sub.text('communeCode', { required: true }) ?? '',
        hectares: sub.decimal('hectares') ?? 0,
        // every certification of the area, with all its fields
        certifications: rowsOf(row, 'certifications').map((c, j) =>
          certification(c, `rawMaterialAreas/${i}/certifications/${j}`, AREA_CERTIFICATION_KINDS),
        ),
      };
      for (const e of sub.errors) form.errors.push({ ...e, name: `rawMaterialAreas/${i}/${e.name}` });
      return area;
    }),
    qualityCertificates: rowsOf(body, 'qualityCertificates').map((row, i) =>
      certification(row, `qualityCertificates/${i}`, QUALITY_CERTIFICATE_KINDS),
    ),
    salesChannels: rowsOf(body, 'salesChannels').map((row, i) => {
      const sub = new FormReader(row);
      const channel = {
        kind: sub.choice('kind', SALES_CHANNEL_KINDS) ?? 'other_marketplace',
        name: sub.text('name', { max: 200 }),
        url: sub.text('url', { max: 500 }),
        since: sub.date('since'),
      };
      if (channel.url && !/^https?:\/\//.test(channel.url)) sub.fail('url', 'url');
      for (const e of sub.errors) form.errors.push({ ...e, name: `salesChannels/${i}/${e.name}` });
      return channel;
    }),
  };
  if (input.phone && !PHONE.test(input.phone)) form.fail('phone', 'pattern');
  if (input.email && !EMAIL.test(input.email)) form.fail('email', 'email');
  if (input.website && !/^https?:\/\//.test(input.website)) form.fail('website', 'url');
  return { input, errors: form.errors };
}

/** The form's own errors and the record's rules at once, so the user fixes everything in one go. */
function formInvalid(input: ProducerInput, errors: FieldError[]): DomainError {
  const checked = checkProducer(input, todayInVietnam());
  const more = checked.ok ? [] : checked.errors.filter((e) => !errors.some((f) => f.name === e.name));
  return new DomainError('validation_failed', 'invalid', {}, [...errors, ...more]);
}

/** A stored producer as form values (for the edit page). */
export function producerFormValues(p: Producer): Record<string, string> {
  const values: Record<string, string> = {
    version: String(p.version),
    legalType: p.legalType,
    isSme: p.isSme ? '1' : '',
    legalName: p.legalName,
    registrationNumber: p.registrationNumber ?? '',
    taxCode: p.taxCode ?? '',
    foundedOn: p.foundedOn ?? '',
    address: p.address ?? '',
    communeCode: p.communeCode,
    oldCommuneCode: p.oldCommuneCode ?? '',
    representativeName: p.representativeName ?? '',
    representativeTitle: p.representativeTitle ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    website: p.website ?? '',
    workerCount: p.workerCount?.toString() ?? '',
    trainedWorkerCount: p.trainedWorkerCount?.toString() ?? '',
    circularEconomy: p.circularEconomy ? '1' : '',
    circularEconomyDescription: p.circularEconomyDescription ?? '',
  };
  p.rawMaterialAreas.forEach((a, i) => {
    values[`rawMaterialAreas/${i}/name`] = a.name;
    values[`rawMaterialAreas/${i}/communeCode`] = a.communeCode;
    values[`rawMaterialAreas/${i}/hectares`] = String(a.hectares);
    a.certifications.forEach((c, j) => {
      for (const key of ['kind', 'number', 'issuer', 'validFrom', 'validUntil'] as const)
        values[`rawMaterialAreas/${i}/certifications/${j}/${key}`] = c[key] ?? '';
    });
  });
  p.qualityCertificates.forEach((c, i) => {
    for (const key of ['kind', 'number', 'issuer', 'validFrom', 'validUntil'] as const)
      values[`qualityCertificates/${i}/${key}`] = c[key] ?? '';
  });
  p.salesChannels.forEach((c, i) => {
    for (const key of ['kind', 'name', 'url', 'since'] as const)
      values[`salesChannels/${i}/${key}`] = c[key] ?? '';
  });
  return values;
}

const mayCreateSomewhere = (principal: Principal | null) =>
  ['admin', 'province_office', 'commune_officer'].includes(principal?.role ?? '');

export function registerProducerRoutes(app: HttpServer, deps: ProducerRouteDeps) {
  const { producers, adminUnits } = deps;
  app.addSchema(ProducerSchema);
  const PageOfProducers = Type.Object({
    items: Type.Array(Type.Ref('Producer')),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });

  // --- API ---------------------------------------------------------------------------------
  app.get(
    '/api/v1/producers',
    {
      schema: {
        tags: TAGS,
        summary: 'Producers in the caller’s scope; `q` ignores diacritics and tolerates typos; cursor paging',
        querystring: ProducerListQuery,
        response: { 200: PageOfProducers, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
    },
    async (request) => producers.list(request.principal, request.query),
  );

  app.post(
    '/api/v1/producers',
    {
      schema: {
        tags: TAGS,
        summary: 'Register a producer (province office: its province; commune officer: its commune)',
        body: ProducerBody,
        response: {
          201: Type.Ref('Producer'),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await producers.create(auditContextOf(request), request.principal, request.body)),
  );

  app.get(
    '/api/v1/producers/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One producer',
        params: IdParams,
        response: { 200: Type.Ref('Producer'), 400: ProblemRef, 404: ProblemRef },
      },
    },
    async (request) => producers.get(request.principal, request.params.id),
  );

  app.patch(
    '/api/v1/producers/:id',
    {
      schema: {
        tags: TAGS,
        summary:
          'Change a producer: the fields given replace the stored ones; `version` guards against lost updates',
        params: IdParams,
        body: Type.Partial(ProducerUpdateBody),
        response: {
          200: Type.Ref('Producer'),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
    },
    async (request) => {
      const { version, ...changes } = request.body;
      return producers.update(
        auditContextOf(request),
        request.principal,
        request.params.id,
        changes,
        version,
      );
    },
  );

  // --- pages -------------------------------------------------------------------------------
  app.get(
    '/producers',
    { schema: { hide: true, querystring: Type.Partial(ProducerListQuery) } },
    async (request, reply) => {
      if (!request.principal) throw signInRequired();
      const query = request.query;
      const page = await producers.list(request.principal, {
        ...query,
        limit: query.limit ?? LIST_LIMIT.default,
      });
      return sendPage(
        reply,
        renderDocument(
          ProducersPage({
            page: request.page,
            producers: page.items,
            nextCursor: page.nextCursor,
            query: {
              q: query.q,
              communeCode: query.communeCode,
              legalType: query.legalType,
              provinceCode: query.provinceCode,
            },
            communeNames: await communeNames(
              adminUnits,
              page.items.map((p) => p.communeCode),
            ),
            canCreate: mayCreateSomewhere(request.principal),
            canExport: mayExport(request.principal),
            canImport: mayImport(request.principal),
          }),
        ),
      );
    },
  );

  const formPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status: number,
    id?: string,
  ) =>
    sendPage(
      reply,
      renderDocument(
        ProducerFormPage({
          page: request.page,
          form,
          action: id ? `/producers/${id}/edit` : '/producers',
          title: request.t(id ? 'producers.editTitle' : 'producers.new'),
          lockOfficerFields: request.principal?.role === 'producer',
        }),
      ),
      status,
    );

  /** A failed save shows the form again with what was typed and what to fix. */
  const failed = (
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    values: Record<string, string>,
    id?: string,
  ) => {
    const { status, form } = formFailure(request, error, values, ['not_found', 'forbidden']);
    return formPage(request, reply, form, status, id);
  };

  app.get('/producers/new', { schema: { hide: true } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    if (!mayCreateSomewhere(request.principal)) throw new DomainError('forbidden', 'forbidden');
    // a commune officer registers in its commune; others may come with one (from a sign-up)
    const asked = (request.query as { communeCode?: unknown }).communeCode;
    const communeCode =
      request.principal.role === 'commune_officer'
        ? (request.principal.scopeCode ?? '')
        : typeof asked === 'string' && /^[0-9]{5}$/.test(asked)
          ? asked
          : '';
    return formPage(request, reply, emptyForm({ legalType: 'cooperative', communeCode }), 200);
  });

  app.post('/producers', { schema: { hide: true } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    try {
      const { input, errors } = readProducerForm(body);
      if (errors.length > 0) throw formInvalid(input, errors);
      const producer = await producers.create(auditContextOf(request), request.principal, input);
      return reply.redirect(`/producers/${producer.id}`, 303);
    } catch (error) {
      return failed(request, reply, error, values);
    }
  });

  app.get('/producers/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const id = request.params.id;
    const place = await producers.placeOf(id);
    if (!place) throw new DomainError('producer_not_found', 'not_found');
    const full = registryPolicy(request.principal, 'read', place);
    const products = await deps.products.productsOf(id, !full);
    // the public sees a producer once it has a recognised product
    if (!full && products.length === 0) throw new DomainError('producer_not_found', 'not_found');
    const names = await communeNames(adminUnits, [place.communeCode]);
    const response = sendPage(
      reply,
      renderDocument(
        ProducerPage({
          page: request.page,
          producer: place.producer,
          communeName: names.get(place.communeCode) ?? place.communeCode,
          canEdit: registryPolicy(request.principal, 'update', place),
          full,
          products,
        }),
      ),
    );
    if (!request.principal) reply.header('cache-control', 'public, max-age=300');
    return response;
  });

  app.get('/producers/:id/edit', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    const producer = await producers.get(request.principal, request.params.id);
    const place = {
      provinceCode: producer.provinceCode,
      communeCode: producer.communeCode,
      producerId: producer.id,
    };
    if (!registryPolicy(request.principal, 'update', place)) throw new DomainError('forbidden', 'forbidden');
    return formPage(request, reply, emptyForm(producerFormValues(producer)), 200, producer.id);
  });

  app.post('/producers/:id/edit', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    const id = request.params.id;
    try {
      const { input, errors } = readProducerForm(body);
      if (errors.length > 0) throw formInvalid(input, errors);
      const version = Number(values.version) || undefined;
      await producers.update(auditContextOf(request), request.principal, id, input, version);
      return reply.redirect(`/producers/${id}`, 303);
    } catch (error) {
      return failed(request, reply, error, values, id);
    }
  });

  app.get(
    '/producers/export',
    {
      schema: {
        tags: TAGS,
        summary: 'The producer list (same filters as the list) as .xlsx or CSV (UTF-8 with BOM)',
        querystring: Type.Object({
          ...Type.Partial(ProducerListQuery).properties,
          format: Type.Enum([...EXPORT_FORMATS]),
        }),
      },
    },
    async (request, reply) => {
      if (!request.principal) throw signInRequired();
      if (!mayExport(request.principal)) throw new DomainError('forbidden', 'forbidden');
      const { format, cursor: _cursor, limit: _limit, ...filters } = request.query;
      const rows = await collectPages((cursor) =>
        producers.list(request.principal, { ...filters, cursor, limit: 200 }),
      );
      const names = await communeNames(
        adminUnits,
        rows.map((p) => p.communeCode),
      );
      const t = request.t;
      return sendSpreadsheet<Producer>(
        reply,
        format,
        'chu-the-ocop',
        [
          { header: t('producers.legalName'), value: (p) => p.legalName, width: 40 },
          {
            header: t('producers.legalType'),
            value: (p) => t(`producers.legalType.${p.legalType}`),
            width: 18,
          },
          { header: t('producers.registrationNumber'), value: (p) => p.registrationNumber, width: 16 },
          { header: t('producers.taxCode'), value: (p) => p.taxCode, width: 16 },
          { header: t('producers.foundedOn'), value: (p) => p.foundedOn, kind: 'date' },
          { header: t('producers.address'), value: (p) => p.address, width: 30 },
          { header: t('producers.communeCode'), value: (p) => p.communeCode },
          { header: t('producers.commune'), value: (p) => names.get(p.communeCode) ?? '', width: 30 },
          { header: t('producers.oldCommuneCode'), value: (p) => p.oldCommuneCode },
          { header: t('producers.representativeName'), value: (p) => p.representativeName, width: 22 },
          { header: t('producers.phone'), value: (p) => p.phone },
          { header: t('producers.email'), value: (p) => p.email },
          { header: t('producers.workerCount'), value: (p) => p.workerCount, kind: 'number' },
          { header: t('producers.trainedWorkerCount'), value: (p) => p.trainedWorkerCount, kind: 'number' },
          {
            header: t('producers.circularEconomy'),
            value: (p) => (p.circularEconomy ? t('producers.yes') : ''),
          },
          { header: t('producers.demo'), value: (p) => (p.isDemo ? t('producers.yes') : '') },
        ],
        rows,
      );
    },
  );
}
