/**
 * The shopper's side of traceability and what producers print: the GS1 Digital Link resolver at
 * the root of the public URL (`/01/{gtin}/10/{lot}`… for every Digital Link primary key, and
 * `/.well-known/gs1resolver`), the public trace pages (`/trace/01/{gtin}/10/{lot}[/21/{serial}]`,
 * cached, with an ETag), test reports, "report a problem", QR codes and label sheets of a lot
 * (`/trace/batches/:id/qr.svg|qr.png|labels.pdf`), the scans dashboard (`/trace/scans`,
 * `/api/v1/scans`) and the resolver's own links (`/api/v1/resolver/entries`, GS1 Resolver CE data
 * entry format).
 */
import { Type } from 'typebox';
import { DomainError } from '../../platform/errors.ts';
import { isDlPrimaryKey, KNOWN_AIS } from '../../platform/gs1/index.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { type FormBody, FormReader, formFailure, valuesOf } from '../../platform/http/form-body.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import {
  type FastifyReply,
  type FastifyRequest,
  type HttpServer,
  sendPage,
} from '../../platform/http/server.ts';
import { createRateLimiter } from '../../platform/rate-limit.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { h, renderDocument } from '../../platform/views/jsx.ts';
import { type CertificatesService, IN_FORCE } from '../certification/index.ts';
import type { ProductsService } from '../products/index.ts';
import type { BatchesService } from './batches.service.ts';
import {
  checkLayout,
  DEFAULT_LAYOUT,
  type LabelContent,
  type LabelSheetLayout,
  labelSheetPdf,
  qrPng,
  qrSvg,
} from './labels.ts';
import type { createResolverService } from './resolver.service.ts';
import { readDataEntries, resolverDescription } from './resolver.ts';
import type { ScansService } from './scans.service.ts';
import { type createTracePageService, digitalLinkPath } from './trace-page.service.ts';
import { TraceNotFound, TracePage } from './trace-page.views.tsx';
import { ProblemReportPage, ScansPage } from './trace-report.views.tsx';

export function registerTraceRoutes(
  app: HttpServer,
  deps: {
    batches: BatchesService;
    resolver: ReturnType<typeof createResolverService>;
    tracePages: ReturnType<typeof createTracePageService>;
    scans: ScansService;
    products: Pick<ProductsService, 'byIds' | 'gtinProducers'>;
    certificates: Pick<CertificatesService, 'ofProducts'>;
    publicUrl: URL;
  },
) {
  const { resolver, tracePages, scans, batches } = deps;
  const reports = createRateLimiter({ limit: 5, windowMs: 10 * 60_000 });

  // --- the resolver ------------------------------------------------------------------------------

  const resolve = async (request: FastifyRequest, reply: FastifyReply) => {
    const answer = await resolver.answer(request.url, {
      accept: request.headers.accept,
      acceptLanguage: request.headers['accept-language'],
      userAgent: request.headers['user-agent'],
      ip: request.ip,
    });
    reply.headers(answer.headers);
    // a shopper's phone asks for a page: the same answer, in words
    if ((request.headers.accept ?? '').includes('text/html') && answer.status >= 400) {
      if (answer.status === 404) {
        const uri = new URL(request.url, deps.publicUrl).toString();
        const reportHref = `/trace/report?${new URLSearchParams({ uri })}`;
        return sendPage(
          reply,
          renderDocument(<TraceNotFound page={request.page} uri={uri} reportHref={reportHref} />),
          404,
        );
      }
      throw new DomainError(
        answer.status === 414 ? 'digital_link_too_long' : 'invalid_digital_link',
        'invalid',
        {
          detail: String((answer.body as { detail?: unknown }).detail ?? ''),
        },
      );
    }
    if (answer.location) return reply.code(answer.status).redirect(answer.location, answer.status as 307);
    return reply
      .code(answer.status)
      .type(answer.contentType ?? 'application/json')
      .send(JSON.stringify(answer.body));
  };
  for (const ai of KNOWN_AIS.filter(isDlPrimaryKey)) {
    app.get(`/${ai}/*`, { schema: { hide: true } }, resolve);
  }
  app.get(
    '/.well-known/gs1resolver',
    {
      schema: {
        tags: ['traceability'],
        summary: 'Describes the GS1 Digital Link resolver (GS1-Conformant Resolver Standard)',
        response: { 200: Type.Unknown() },
      },
    },
    async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=3600').send(resolverDescription(deps.publicUrl)),
  );

  // --- the trace page ----------------------------------------------------------------------------

  const tracePage = async (
    request: FastifyRequest<{ Params: { gtin: string; lot: string; serial?: string } }>,
    reply: FastifyReply,
  ) => {
    const { gtin, lot, serial = null } = request.params;
    const key = { gtin, lot, serial };
    const render = (view: Parameters<typeof TracePage>[0]['view']) =>
      renderDocument(<TracePage page={request.page} view={view} />);
    // the public's page is cached (it names no one), compressed once; a signed-in user's is theirs
    if (request.principal) {
      const view = await tracePages.view(key);
      if (!view) return notFound();
      reply.header('cache-control', 'private, no-store');
      return sendPage(reply, render(view));
    }
    const found = await tracePages.page(key, request.locale, render);
    if (!found) return notFound();
    const accepted = String(request.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : 'identity';
    const etag = `"${found.etag}${encoding === 'identity' ? '' : `-${encoding}`}"`;
    reply
      .header('cache-control', 'public, max-age=60')
      .header('vary', 'Accept-Encoding, Accept-Language, Cookie')
      .header('etag', etag);
    const asked = String(request.headers['if-none-match'] ?? '');
    if (asked.split(/\s*,\s*/).includes(etag)) return reply.code(304).send();
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    return reply.type('text/html; charset=utf-8').send(found.bodies[encoding]);

    function notFound() {
      const uri = new URL(digitalLinkPath(gtin, lot, serial), deps.publicUrl).toString();
      const reportHref = `/trace/report?${new URLSearchParams({ gtin, lot, ...(serial ? { serial } : {}) })}`;
      reply.header('cache-control', 'no-store');
      return sendPage(
        reply,
        renderDocument(<TraceNotFound page={request.page} uri={uri} reportHref={reportHref} />),
        404,
      );
    }
  };
  const GtinLot = {
    gtin: Type.String({ pattern: '^[0-9]{14}$' }),
    lot: Type.String({ minLength: 1, maxLength: 20 }),
  };
  app.get('/trace/01/:gtin/10/:lot', { schema: { hide: true, params: Type.Object(GtinLot) } }, tracePage);
  app.get(
    '/trace/01/:gtin/10/:lot/21/:serial',
    {
      compress: false,
      schema: {
        hide: true,
        params: Type.Object({ ...GtinLot, serial: Type.String({ minLength: 1, maxLength: 20 }) }),
      },
    },
    tracePage,
  );

  app.get(
    '/trace/reports/:id',
    { schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (request, reply) => {
      const file = await batches.openTestReport(request.params.id);
      return reply
        .type(file.mediaType)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .header('cache-control', 'public, max-age=3600')
        .send(file.stream);
    },
  );

  // --- report a problem ----------------------------------------------------------------------------

  const ReportQuery = Type.Object({
    uri: Type.Optional(Type.String({ maxLength: 2048 })),
    gtin: Type.Optional(Type.String({ maxLength: 14 })),
    lot: Type.Optional(Type.String({ maxLength: 20 })),
    serial: Type.Optional(Type.String({ maxLength: 20 })),
  });
  const reportPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status = 200,
    sent = false,
  ) =>
    sendPage(
      reply,
      renderDocument(<ProblemReportPage page={request.page} form={form} sent={sent} />),
      status,
    );
  app.get('/trace/report', { schema: { hide: true, querystring: ReportQuery } }, async (request, reply) => {
    const { uri, ...key } = request.query;
    // from a code nothing is registered for: its key, as far as it reads
    const fromUri = uri ? keyOfUri(uri) : {};
    return reportPage(
      request,
      reply,
      emptyForm({ ...fromUri, ...key, kind: 'fake' } as Record<string, string>),
    );
  });
  app.post('/trace/report', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values = valuesOf(body);
    try {
      const form = new FormReader(body);
      const gtin = form.text('gtin') ?? '';
      if (!/^\d{14}$/.test(gtin))
        throw new DomainError('validation_failed', 'invalid', {}, [
          { in: 'body', name: 'gtin', rule: 'gtin' },
        ]);
      reports.hit(request.ip);
      const maker = (await deps.products.gtinProducers([gtin])).get(gtin);
      await scans.report({
        gtin,
        lot: form.text('lot'),
        serial: form.text('serial'),
        producerId: maker?.producerId ?? null,
        provinceCode: maker?.provinceCode ?? null,
        communeCode: maker?.communeCode ?? null,
        kind: form.text('kind') ?? '',
        message: form.text('message') ?? '',
        contact: form.text('contact'),
      });
      return reportPage(request, reply, emptyForm(), 200, true);
    } catch (error) {
      const failed = formFailure(request, error, values);
      return reportPage(request, reply, failed.form, failed.status);
    }
  });

  // --- QR codes and labels ---------------------------------------------------------------------------

  /** Pages and files of the back office: the public is sent to sign in first. */
  const signedIn = (request: FastifyRequest, reply: FastifyReply) => {
    if (request.principal) return true;
    void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    return false;
  };
  /** The lot's Digital Link URI, or one item's (`?serial=`, a serial issued for the lot). */
  const batchUri = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    serial: string | null = null,
  ) => {
    const batch = await batches.get(request.principal, request.params.id);
    if (
      serial !== null &&
      !batch.serialRanges.some((r) => {
        const number = serial.slice(r.prefix.length);
        return (
          serial.startsWith(r.prefix) &&
          number.length === r.width &&
          /^\d+$/.test(number) &&
          Number(number) >= r.first &&
          Number(number) <= r.last
        );
      })
    )
      throw new DomainError('validation_failed', 'invalid', {}, [
        { in: 'query', name: 'serial', rule: 'ownRange' },
      ]);
    return {
      batch,
      uri: new URL(digitalLinkPath(batch.gtin, batch.lot, serial), deps.publicUrl).toString(),
    };
  };
  const SerialQuery = Type.Object({ serial: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })) });
  const BatchParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
  app.get(
    '/trace/batches/:id/qr.svg',
    { schema: { hide: true, params: BatchParams, querystring: SerialQuery } },
    async (request, reply) => {
      if (!signedIn(request, reply)) return reply;
      const { batch, uri } = await batchUri(request, request.query.serial);
      return reply
        .type('image/svg+xml')
        .header(
          'content-disposition',
          `inline; filename="qr-${batch.gtin}-${encodeURIComponent(batch.lot)}.svg"`,
        )
        .send(qrSvg(uri));
    },
  );
  app.get(
    '/trace/batches/:id/qr.png',
    {
      schema: {
        hide: true,
        params: BatchParams,
        querystring: Type.Object({
          size: Type.Optional(Type.Integer({ minimum: 64, maximum: 4096 })),
          serial: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      if (!signedIn(request, reply)) return reply;
      const { batch, uri } = await batchUri(request, request.query.serial);
      return reply
        .type('image/png')
        .header(
          'content-disposition',
          `inline; filename="qr-${batch.gtin}-${encodeURIComponent(batch.lot)}.png"`,
        )
        .send(await qrPng(uri, request.query.size ? { sizePx: request.query.size } : {}));
    },
  );
  const LayoutQuery = Type.Object({
    columns: Type.Optional(Type.Integer()),
    rows: Type.Optional(Type.Integer()),
    marginTopMm: Type.Optional(Type.Number()),
    marginLeftMm: Type.Optional(Type.Number()),
    gapXMm: Type.Optional(Type.Number()),
    gapYMm: Type.Optional(Type.Number()),
    /** A serial range of the batch: one label per serial; without it, one page of lot labels. */
    range: Type.Optional(Type.String({ format: 'uuid' })),
    count: Type.Optional(Type.Integer()),
  });
  app.get(
    '/trace/batches/:id/labels.pdf',
    { schema: { hide: true, params: BatchParams, querystring: LayoutQuery } },
    async (request, reply) => {
      if (!signedIn(request, reply)) return reply;
      const { batch, uri } = await batchUri(request);
      const { range: rangeId, count, ...asked } = request.query;
      const layout: LabelSheetLayout = { ...DEFAULT_LAYOUT, ...asked };
      const checked = checkLayout(layout);
      if (!checked.ok)
        throw new DomainError(
          'validation_failed',
          'invalid',
          {},
          checked.problems.map((p) => ({ in: 'query', name: p.field, rule: p.rule })),
        );
      const [products, certificates] = await Promise.all([
        deps.products.byIds([batch.productId]),
        deps.certificates.ofProducts([batch.productId]),
      ]);
      const product = products.get(batch.productId)!;
      // the OCOP mark only while the certificate is in force (and never on a recalled lot)
      const current = certificates.find((c) => c.supersededById === null && IN_FORCE.includes(c.status));
      const stars = current && !batch.recall ? current.stars : null;
      const base: Omit<LabelContent, 'uri' | 'serial'> = {
        productName: product.name,
        gtin: batch.gtin,
        lot: batch.lot,
        expiryDate: batch.expiryDate,
        stars,
        producerName: product.producerName,
      };
      let labels: LabelContent[];
      if (rangeId) {
        const range = batch.serialRanges.find((r) => r.id === rangeId);
        if (!range)
          throw new DomainError('validation_failed', 'invalid', {}, [
            { in: 'query', name: 'range', rule: 'ownRange' },
          ]);
        labels = [];
        for (let n = range.first; n <= range.last; n++) {
          const serial = `${range.prefix}${String(n).padStart(range.width, '0')}`;
          labels.push({
            ...base,
            serial,
            uri: new URL(digitalLinkPath(batch.gtin, batch.lot, serial), deps.publicUrl).toString(),
          });
        }
      } else {
        const perPage = layout.columns * layout.rows;
        const n = count ?? perPage;
        if (!Number.isInteger(n) || n < 1 || n > 2000)
          throw new DomainError('validation_failed', 'invalid', {}, [
            { in: 'query', name: 'count', rule: 'range', params: { min: 1, max: 2000 } },
          ]);
        labels = Array.from({ length: n }, () => ({ ...base, serial: null, uri }));
      }
      const pdf = await labelSheetPdf(labels, layout, { title: `Tem ${product.name} — lô ${batch.lot}` });
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="tem-${batch.gtin}-${encodeURIComponent(batch.lot)}.pdf"`,
        )
        .send(pdf);
    },
  );

  // --- scans -------------------------------------------------------------------------------------------

  app.get(
    '/api/v1/scans',
    {
      schema: {
        tags: ['traceability'],
        summary:
          'QR scans per day, product and lot; serials scanned suspiciously often or from many networks; shoppers’ reports',
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) }),
        response: { 200: Type.Unknown(), 401: ProblemRef, 403: ProblemRef },
      },
    },
    async (request) => scans.dashboard(request.principal, request.query.days ?? 30),
  );
  app.get(
    '/trace/scans',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) }),
      },
    },
    async (request, reply) => {
      if (!signedIn(request, reply)) return reply;
      const dashboard = await scans.dashboard(request.principal, request.query.days ?? 30);
      return sendPage(reply, renderDocument(<ScansPage page={request.page} dashboard={dashboard} />));
    },
  );

  // --- the resolver's own links ---------------------------------------------------------------------

  const mayEnter = async (request: FastifyRequest, anchor: string) => {
    const who = request.principal;
    if (!who) throw new DomainError('sign_in_required', 'unauthenticated');
    if (who.role === 'admin') return null;
    if (who.role !== 'producer' && who.role !== 'province_office')
      throw new DomainError('forbidden', 'forbidden');
    // others: only GTINs of their products (a producer) or of their province's producers (an office)
    const gtin = /^\/01\/(\d{14})$/.exec(anchor)?.[1];
    const maker = gtin ? (await deps.products.gtinProducers([gtin])).get(gtin) : undefined;
    if (
      !maker ||
      (who.role === 'producer' && maker.producerId !== who.producerId) ||
      (who.role === 'province_office' && maker.provinceCode !== who.scopeCode)
    )
      throw new DomainError('resolver_anchor_forbidden', 'forbidden', { anchor });
    return maker.producerId;
  };
  app.get(
    '/api/v1/resolver/entries',
    {
      schema: {
        tags: ['traceability'],
        summary: 'The resolver’s entered links (GS1 Resolver CE data entry format); a producer sees its own',
        response: { 200: Type.Unknown(), 401: ProblemRef, 403: ProblemRef },
      },
    },
    async (request) => {
      const who = request.principal;
      if (!who) throw new DomainError('sign_in_required', 'unauthenticated');
      if (!['admin', 'producer', 'province_office'].includes(who.role))
        throw new DomainError('forbidden', 'forbidden');
      return { items: await resolver.listEntries(who.role === 'producer' ? (who.producerId ?? '') : null) };
    },
  );
  app.post(
    '/api/v1/resolver/entries',
    {
      schema: {
        tags: ['traceability'],
        summary:
          'Adds or replaces links of keys (GS1 Resolver CE data entry v3: anchor, itemDescription, defaultLinktype, qualifiers, links); one entry or an array',
        body: Type.Unknown(),
        response: { 201: Type.Unknown(), 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
    },
    async (request, reply) => {
      const who = request.principal;
      if (!who) throw new DomainError('sign_in_required', 'unauthenticated');
      if (!['admin', 'producer', 'province_office'].includes(who.role))
        throw new DomainError('forbidden', 'forbidden');
      const read = readDataEntries(request.body);
      if (!read.ok)
        throw new DomainError(
          'validation_failed',
          'invalid',
          {},
          read.problems.slice(0, 50).map((p) => ({
            in: 'body',
            name: p.split(':')[0] ?? '',
            rule: 'resolverEntry',
            params: { problem: p },
          })),
        );
      const owners = [];
      for (const entry of read.entries) owners.push(await mayEnter(request, entry.anchor));
      const saved = await resolver.saveEntries(
        auditContextOf(request),
        read.entries,
        owners,
        request.principal!.userId,
      );
      return reply.code(201).send({ items: saved });
    },
  );
}

/** GTIN, lot and serial of a Digital Link URI (as far as they read), for the report form. */
function keyOfUri(uri: string): Record<string, string> {
  const path = uri.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? '';
  const out: Record<string, string> = {};
  const gtin = /\/01\/(\d{14})(?:\/|$)/.exec(path)?.[1];
  if (gtin) out.gtin = gtin;
  for (const [ai, name] of [
    ['10', 'lot'],
    ['21', 'serial'],
  ] as const) {
    const value = new RegExp(`/${ai}/([^/]+)`).exec(path)?.[1];
    if (value) {
      try {
        out[name] = decodeURIComponent(value).slice(0, 20);
      } catch {
        // not percent-encoded properly: left out
      }
    }
  }
  return out;
}
