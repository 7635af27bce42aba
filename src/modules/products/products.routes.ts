import { Type } from 'typebox';
import { DomainError } from '../../platform/errors.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { collectPages, EXPORT_FORMATS, sendSpreadsheet } from '../../platform/http/export.ts';
import { type FormBody, FormReader, valuesOf } from '../../platform/http/form-body.ts';
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
import { communeNames, mayExport, mayImport } from '../producers/index.ts';
import { signInRequired, uploadRefused } from './errors.ts';
import { formFailure, PRODUCT_TAGS, type ProductsRouteDeps } from './products.http.ts';
import {
  DocumentSchema,
  IdParams,
  ProductBody,
  ProductChangesBody,
  ProductListQuery,
  ProductSchema,
} from './products.schemas.ts';
import { PRODUCT_STATUSES, type Product, type ProductInput } from './products.service.ts';
import {
  DocumentVersionsPage,
  ProductFormPage,
  ProductPage,
  ProductsPage,
  PublicProductPage,
} from './products.views.tsx';

/** The product form as typed, converted to the service's input. */
export function readProductForm(body: FormBody): {
  input: Omit<ProductInput, 'producerId'>;
  errors: FormReader['errors'];
} {
  const form = new FormReader(body);
  const input = {
    name: form.text('name', { required: true, max: 300 }) ?? '',
    productSet: form.integer('productSet', { min: 1, max: 26 }) ?? 0,
    description: form.text('description', { max: 10_000 }),
    story: form.text('story', { max: 20_000 }),
    packaging: form.text('packaging', { max: 1000 }),
    netContent: form.text('netContent', { max: 200 }),
    shelfLifeDays: form.integer('shelfLifeDays', { min: 1, max: 36_500 }),
    gtins: (form.text('gtins') ?? '').split(/[\s,;]+/).filter(Boolean),
    priceMin: form.integer('priceMin', { min: 0 }),
    priceMax: form.integer('priceMax', { min: 0 }),
    status: form.choice('status', PRODUCT_STATUSES, false) ?? 'active',
  };
  if (!input.productSet && !form.errors.some((e) => e.name === 'productSet'))
    form.fail('productSet', 'required');
  return { input, errors: form.errors };
}

export function productFormValues(p: Product): Record<string, string> {
  return {
    version: String(p.version),
    producerId: p.producerId,
    name: p.name,
    productSet: String(p.productSet),
    description: p.description ?? '',
    story: p.story ?? '',
    packaging: p.packaging ?? '',
    netContent: p.netContent ?? '',
    shelfLifeDays: p.shelfLifeDays?.toString() ?? '',
    gtins: p.gtins.join(' '),
    priceMin: p.priceMin?.toString() ?? '',
    priceMax: p.priceMax?.toString() ?? '',
    status: p.status,
  };
}

/** Sends a stored file: inline (preview) for PDF and images, as an attachment otherwise. */
async function sendDocument(
  reply: FastifyReply,
  opened: Awaited<ReturnType<ProductsRouteDeps['documents']['open']>>,
  download: boolean,
) {
  const inline = !download && /^(application\/pdf|image\/)/.test(opened.mediaType);
  const name = opened.document.fileName;
  const ascii =
    name
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '') || 'file';
  reply
    .type(opened.mediaType)
    .header(
      'content-disposition',
      `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .header('cache-control', 'private, max-age=3600')
    // a stored file never runs as a page of this site
    .header(
      'content-security-policy',
      "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    )
    .header('x-content-type-options', 'nosniff');
  if (opened.size !== undefined) reply.header('content-length', String(opened.size));
  return reply.send(opened.stream);
}

export function registerProductRoutes(app: HttpServer, deps: ProductsRouteDeps) {
  const { products, documents } = deps;
  app.addSchema(ProductSchema);
  app.addSchema(DocumentSchema);
  const PageOfProducts = Type.Object({
    items: Type.Array(Type.Ref('Product')),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });

  // --- API ---------------------------------------------------------------------------------
  app.get(
    '/api/v1/products',
    {
      schema: {
        tags: PRODUCT_TAGS,
        summary:
          'Products: the caller’s scope, or recognised products for the public. `q` ignores diacritics and tolerates typos; cursor paging',
        querystring: ProductListQuery,
        response: { 200: PageOfProducts, 400: ProblemRef, 403: ProblemRef },
      },
    },
    async (request) => products.list(request.principal, request.query),
  );

  app.post(
    '/api/v1/products',
    {
      schema: {
        tags: PRODUCT_TAGS,
        summary: 'Register a product of a producer (GTIN check digits validated)',
        body: ProductBody,
        response: {
          201: Type.Ref('Product'),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await products.create(auditContextOf(request), request.principal, request.body)),
  );

  app.get(
    '/api/v1/products/:id',
    {
      schema: {
        tags: PRODUCT_TAGS,
        summary: 'One product (the public: recognised products only)',
        params: IdParams,
        response: { 200: Type.Ref('Product'), 400: ProblemRef, 404: ProblemRef },
      },
    },
    async (request) => {
      const permitted = await products.permissions(request.principal, request.params.id);
      if (permitted?.read) return products.get(request.principal, request.params.id);
      const product = await products.getPublic(request.params.id);
      if (!product) throw new DomainError('product_not_found', 'not_found');
      return product;
    },
  );

  app.patch(
    '/api/v1/products/:id',
    {
      schema: {
        tags: PRODUCT_TAGS,
        summary:
          'Change a product: the fields given replace the stored ones; `version` guards against lost updates',
        params: IdParams,
        body: ProductChangesBody,
        response: {
          200: Type.Ref('Product'),
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
      return products.update(auditContextOf(request), request.principal, request.params.id, changes, version);
    },
  );

  app.get(
    '/api/v1/products/:id/images',
    {
      schema: {
        tags: PRODUCT_TAGS,
        summary: 'The product’s current images',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Document')) }), 400: ProblemRef },
      },
    },
    async (request) => ({
      items: await documents.list(request.principal, { productId: request.params.id, dossierId: null }),
    }),
  );

  app.post(
    '/api/v1/products/:id/images',
    {
      config: {
        multipartBody: multipartBody(
          {
            file: FilePart,
            replacesId: Type.String({ format: 'uuid', description: 'the current image this one replaces' }),
          },
          ['file'],
        ),
      },
      schema: {
        tags: PRODUCT_TAGS,
        summary:
          'Upload a product image (multipart/form-data: `file`, JPEG or PNG, sniffed from the bytes; optional `replacesId`). A thumbnail is made',
        params: IdParams,
        response: {
          201: Type.Ref('Document'),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          415: ProblemRef,
        },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const file = body.file;
      if (!request.isMultipart()) throw new DomainError('unsupported_media_type', 'invalid');
      if (!isUploadedFile(file)) throw uploadRefused('upload_missing');
      if (file.tooLarge)
        throw uploadRefused('file_too_large', { limit: Math.round(deps.uploadLimitBytes / 1048576) });
      const replacesId = typeof body.replacesId === 'string' && body.replacesId ? body.replacesId : null;
      const document = await documents.upload(auditContextOf(request), request.principal, {
        productId: request.params.id,
        dossierId: null,
        kind: 'product_image',
        fileName: file.fileName,
        bytes: file.bytes,
        replacesId,
      });
      return reply.status(201).send(document);
    },
  );

  app.get(
    '/api/v1/documents/:id',
    {
      schema: {
        tags: PRODUCT_TAGS,
        summary: 'A document’s description (its bytes: /documents/{id})',
        params: IdParams,
        response: { 200: Type.Ref('Document'), 400: ProblemRef, 404: ProblemRef },
      },
    },
    async (request) => documents.get(request.principal, request.params.id),
  );

  app.get(
    '/api/v1/documents/:id/history',
    {
      schema: {
        tags: PRODUCT_TAGS,
        summary: 'A document and the versions it replaced, newest first',
        params: IdParams,
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('Document')) }),
          400: ProblemRef,
          404: ProblemRef,
        },
      },
    },
    async (request) => ({ items: await documents.history(request.principal, request.params.id) }),
  );

  // --- files ---------------------------------------------------------------------------------
  const FileQuery = Type.Object({ download: Type.Optional(Type.Boolean()) });
  app.get(
    '/documents/:id',
    {
      schema: {
        tags: PRODUCT_TAGS,
        summary:
          'A document’s bytes, for those who may read it (images of recognised products: everyone). Inline for PDF and images; `download=true` for an attachment',
        params: IdParams,
        querystring: FileQuery,
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await documents.open(request.principal, request.params.id, 'file'),
        request.query.download === true,
      ),
  );
  app.get('/documents/:id/versions', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const versions = await documents.history(request.principal, request.params.id);
    return sendPage(reply, renderDocument(DocumentVersionsPage({ page: request.page, versions })));
  });
  app.get('/documents/:id/thumbnail', { schema: { hide: true, params: IdParams } }, async (request, reply) =>
    sendDocument(reply, await documents.open(request.principal, request.params.id, 'thumbnail'), false),
  );

  app.get(
    '/products/export',
    {
      schema: {
        tags: PRODUCT_TAGS,
        summary: 'The product list (same filters as the list) as .xlsx or CSV (UTF-8 with BOM)',
        querystring: Type.Object({
          ...Type.Partial(ProductListQuery).properties,
          format: Type.Enum([...EXPORT_FORMATS]),
        }),
      },
    },
    async (request, reply) => {
      if (!request.principal) throw signInRequired();
      if (!mayExport(request.principal)) throw new DomainError('forbidden', 'forbidden');
      const { format, cursor: _cursor, limit: _limit, ...filters } = request.query;
      const rows = await collectPages((cursor) =>
        products.list(request.principal, { ...filters, cursor, limit: 200 }),
      );
      const names = await communeNames(
        deps.adminUnits,
        rows.map((p) => p.communeCode),
      );
      const t = request.t;
      const columns: Column<Product>[] = [
        { header: t('products.name'), value: (p) => p.name, width: 36 },
        { header: t('products.productCode'), value: (p) => p.productCode, width: 20 },
        { header: t('products.stars'), value: (p) => p.stars, kind: 'number' },
        { header: t('products.productSet'), value: (p) => p.productSet, kind: 'number' },
        { header: t('products.group'), value: (p) => p.group, width: 30 },
        { header: t('products.producer'), value: (p) => p.producerName, width: 36 },
        { header: t('producers.communeCode'), value: (p) => p.communeCode },
        { header: t('producers.commune'), value: (p) => names.get(p.communeCode) ?? '', width: 30 },
        { header: t('products.gtins'), value: (p) => p.gtins.join(' '), width: 16 },
        { header: t('products.netContent'), value: (p) => p.netContent },
        { header: t('products.priceMin'), value: (p) => p.priceMin, kind: 'money' },
        { header: t('products.priceMax'), value: (p) => p.priceMax, kind: 'money' },
        { header: t('products.status'), value: (p) => t(`products.status.${p.status}`) },
        { header: t('producers.demo'), value: (p) => (p.isDemo ? t('producers.yes') : '') },
      ];
      return sendSpreadsheet(reply, format, 'san-pham-ocop', columns, rows);
    },
  );

  // --- pages -------------------------------------------------------------------------------
  app.get(
    '/products',
    { schema: { hide: true, querystring: Type.Partial(ProductListQuery) } },
    async (request, reply) => {
      const query = request.query;
      const page = await products.list(request.principal, {
        ...query,
        limit: query.limit ?? LIST_LIMIT.default,
      });
      const filterValues = {
        q: query.q,
        communeCode: query.communeCode,
        producerId: query.producerId,
        productSet: query.productSet?.toString(),
        stars: query.stars?.toString(),
        status: query.status,
      };
      if (!request.principal) reply.header('cache-control', 'public, max-age=60');
      return sendPage(
        reply,
        renderDocument(
          ProductsPage({
            page: request.page,
            products: page.items,
            nextCursor: page.nextCursor,
            query: filterValues,
            communeNames: await communeNames(
              deps.adminUnits,
              page.items.map((p) => p.communeCode),
            ),
            staff: request.principal !== null,
            canExport: mayExport(request.principal),
            canImport: mayImport(request.principal),
          }),
        ),
      );
    },
  );

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status: number,
    id?: string,
  ) => {
    const producerId = form.values.producerId ?? '';
    const producer = producerId
      ? await deps.producers.get(request.principal, producerId).catch(() => null)
      : null;
    return sendPage(
      reply,
      renderDocument(
        ProductFormPage({
          page: request.page,
          form,
          producerName: producer?.legalName ?? '',
          action: id ? `/products/${id}/edit` : '/products',
          title: request.t(id ? 'products.editTitle' : 'products.new'),
        }),
      ),
      status,
    );
  };

  app.get(
    '/products/new',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ producerId: Type.Optional(Type.String({ format: 'uuid' })) }),
      },
    },
    async (request, reply) => {
      if (!request.principal) throw signInRequired();
      const producerId = request.query.producerId ?? request.principal.producerId ?? '';
      if (!producerId) return reply.redirect('/producers', 303);
      await deps.producers.get(request.principal, producerId);
      return formPage(request, reply, emptyForm({ producerId, status: 'active' }), 200);
    },
  );

  app.post('/products', { schema: { hide: true } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    try {
      const { input, errors } = readProductForm(body);
      if (errors.length > 0) throw new DomainError('validation_failed', 'invalid', {}, errors);
      const product = await products.create(auditContextOf(request), request.principal, {
        ...input,
        producerId: values.producerId ?? '',
      });
      return reply.redirect(`/products/${product.id}`, 303);
    } catch (error) {
      const { status, form } = formFailure(request, error, values);
      return formPage(request, reply, form, status);
    }
  });

  const productPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    upload?: FormState,
    status = 200,
  ) => {
    const permitted = await products.permissions(request.principal, id);
    if (!permitted?.read) {
      const product = await products.getPublic(id);
      if (!product) throw new DomainError('product_not_found', 'not_found');
      const images = await documents.list(null, { productId: id, dossierId: null });
      const names = await communeNames(deps.adminUnits, [product.communeCode]);
      if (!request.principal) reply.header('cache-control', 'public, max-age=300');
      return sendPage(
        reply,
        renderDocument(
          PublicProductPage({
            page: request.page,
            product,
            images,
            communeName: names.get(product.communeCode) ?? '',
          }),
        ),
      );
    }
    const product = await products.get(request.principal, id);
    const [images, dossiers, names] = await Promise.all([
      documents.list(request.principal, { productId: id, dossierId: null }),
      deps.dossiers.list(request.principal, { productId: id, limit: 50 }),
      communeNames(deps.adminUnits, [product.communeCode]),
    ]);
    return sendPage(
      reply,
      renderDocument(
        ProductPage({
          page: request.page,
          product,
          images,
          dossiers: dossiers.items,
          communeName: names.get(product.communeCode) ?? product.communeCode,
          canEdit: permitted.update,
          // a dossier is the producer's request
          canOpenDossier:
            request.principal?.role === 'admin' || request.principal?.producerId === product.producerId,
          upload: upload ?? emptyForm(),
          uploadLimitMb: Math.round(deps.uploadLimitBytes / 1048576),
        }),
      ),
      status,
    );
  };

  app.get('/products/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) =>
    productPage(request, reply, request.params.id),
  );

  app.get('/products/:id/edit', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    const product = await products.get(request.principal, request.params.id);
    const permitted = await products.permissions(request.principal, product.id);
    if (!permitted?.update) throw new DomainError('forbidden', 'forbidden');
    return formPage(request, reply, emptyForm(productFormValues(product)), 200, product.id);
  });

  app.post('/products/:id/edit', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    const id = request.params.id;
    try {
      const { input, errors } = readProductForm(body);
      if (errors.length > 0) throw new DomainError('validation_failed', 'invalid', {}, errors);
      await products.update(
        auditContextOf(request),
        request.principal,
        id,
        input,
        Number(values.version) || undefined,
      );
      return reply.redirect(`/products/${id}`, 303);
    } catch (error) {
      const { status, form } = formFailure(request, error, {
        ...values,
        producerId: values.producerId ?? '',
      });
      return formPage(request, reply, form, status, id);
    }
  });

  app.post('/products/:id/images', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    if (!request.principal) throw signInRequired();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const id = request.params.id;
    try {
      const file = body.file;
      if (!isUploadedFile(file) || file.bytes.length === 0) throw uploadRefused('upload_missing');
      if (file.tooLarge)
        throw uploadRefused('file_too_large', { limit: Math.round(deps.uploadLimitBytes / 1048576) });
      await documents.upload(auditContextOf(request), request.principal, {
        productId: id,
        dossierId: null,
        kind: 'product_image',
        fileName: file.fileName,
        bytes: file.bytes,
      });
      return reply.redirect(`/products/${id}`, 303);
    } catch (error) {
      const { status, form } = formFailure(request, error, {});
      return productPage(request, reply, id, form, status);
    }
  });
}
