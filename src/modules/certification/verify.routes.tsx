/**
 * What anyone may read without signing in: the verification pages (`/verify`, `/verify/{number or
 * id}`, with the signed QR's verdict), the published signing keys (`/.well-known/ocop-keys.json`)
 * and the open-data register (`/open-data/certificates.csv`, `.jsonld`).
 */
import { Type } from 'typebox';
import { LruCache } from '../../platform/cache.ts';
import type { FastifyReply, FastifyRequest, HttpServer } from '../../platform/http/server.ts';
import { sendPage } from '../../platform/http/server.ts';
import { toCsv } from '../../platform/spreadsheet/index.ts';
import { h, renderDocument } from '../../platform/views/jsx.ts';
import type { CertificationRouteDeps } from './certificates.routes.tsx';
import type { Certificate } from './certificates.service.ts';
import { ChoicePage, certificationJsonLd, LookupPage, VerdictPage } from './verify.views.tsx';

/** Public answers may be cached briefly (a revocation shows within minutes); never a signed-in page. */
function cacheFor(request: FastifyRequest, reply: FastifyReply, seconds: number) {
  reply.header('cache-control', request.principal ? 'private, no-store' : `public, max-age=${seconds}`);
}

export function registerVerifyRoutes(app: HttpServer, deps: CertificationRouteDeps) {
  const { certificates, keys } = deps;
  const provinceNames = new LruCache<string>(100, 60 * 60 * 1000);
  const provinceName = async (code: string) => {
    const cached = provinceNames.get(code);
    if (cached) return cached;
    let name = code;
    try {
      name = (await deps.adminUnits.get('2025', code)).fullName;
    } catch {
      // an unknown code shows as the code
    }
    provinceNames.set(code, name);
    return name;
  };
  const publicUrl = (path: string) => new URL(path, deps.publicUrl).toString();
  const verdictPages = new LruCache<{ html: string; status: number }>(2000, 60 * 1000);

  app.get(
    '/verify',
    {
      schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }) },
    },
    async (request, reply) => {
      const q = (request.query.q ?? '').trim();
      let results: Certificate[] = [];
      if (q) {
        results = await certificates.lookup(q);
        if (results.length === 0) results = (await certificates.list({ q, limit: 20 })).items;
        // the product's current certificate first: an old one is rarely what a shopper looks for
        results.sort((a, b) => Number(Boolean(a.supersededById)) - Number(Boolean(b.supersededById)));
      }
      cacheFor(request, reply, 300);
      return sendPage(
        reply,
        renderDocument(<LookupPage page={request.page} q={q} results={results} searched={q !== ''} />),
      );
    },
  );

  app.get(
    '/verify/:ref',
    {
      schema: {
        hide: true,
        params: Type.Object({ ref: Type.String({ minLength: 1, maxLength: 100 }) }),
        querystring: Type.Record(Type.String(), Type.String({ maxLength: 200 })),
      },
    },
    async (request, reply) => {
      cacheFor(request, reply, 300);
      // the hot public path (every QR scan): the anonymous page is kept for a minute, and for no
      // longer than the day and this process's last write to the register
      const key = `${request.page.locale}|${request.url}|${certificates.today()}|${certificates.generation()}`;
      const cached = request.principal ? undefined : verdictPages.get(key);
      if (cached) return sendPage(reply, cached.html, cached.status);
      const page = await verdictPage(request);
      if (!request.principal) verdictPages.set(key, page);
      return sendPage(reply, page.html, page.status);
    },
  );

  const verdictPage = async (
    request: FastifyRequest<{ Params: { ref: string }; Querystring: Record<string, string> }>,
  ): Promise<{ html: string; status: number }> => {
    const found = await certificates.lookup(request.params.ref);
    if (found.length === 0) {
      const q = request.params.ref;
      return {
        html: renderDocument(<LookupPage page={request.page} q={q} results={[]} searched />),
        status: 404,
      };
    }
    if (found.length > 1)
      return {
        html: renderDocument(<ChoicePage page={request.page} ref={request.params.ref} items={found} />),
        status: 200,
      };
    const c = certificates.shownTo(request.principal, found[0]!);
    const authenticity = await keys.judge(request.params.ref, request.query, {
      id: c.id,
      stars: c.stars,
      issuedOn: c.issuedOn,
      validUntil: c.validUntil,
    });
    const [history, images, province] = await Promise.all([
      certificates.ofProducts([c.productId]),
      deps.documents.list(null, { productId: c.productId, dossierId: null }),
      provinceName(c.provinceCode),
    ]);
    const current = history.find((h) => h.supersededById === null && h.revocation === null) ?? null;
    const image = images.find((d) => d.kind === 'product_image' && d.hasThumbnail) ?? null;
    return {
      html: renderDocument(
        <VerdictPage
          page={request.page}
          certificate={c}
          authenticity={authenticity}
          provinceName={province}
          imageId={image?.id ?? null}
          today={certificates.today()}
          url={publicUrl(`/verify/${c.id}`)}
          current={current}
        />,
      ),
      status: 200,
    };
  };

  app.get(
    '/.well-known/ocop-keys.json',
    {
      schema: {
        tags: ['certificates'],
        summary:
          'The Ed25519 public keys (JWK) that sign certificate QR codes, retired keys included, and the signed message format: verify a QR offline',
        response: { 200: Type.Unknown() },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600').header('access-control-allow-origin', '*');
      return keys.published();
    },
  );

  // --- open data -----------------------------------------------------------------------------
  const openData = new LruCache<{ csv: string; jsonld: string }>(2, 5 * 60 * 1000);
  const register = async () => {
    const key = `${certificates.today()}:${certificates.generation()}`;
    const cached = openData.get(key);
    if (cached) return cached;
    const { day, items } = await certificates.register();
    const url = (c: Certificate) => publicUrl(`/verify/${c.id}`);
    const csv = toCsv(
      [
        { header: 'number', value: (c: Certificate) => c.number },
        { header: 'status', value: (c) => c.status },
        { header: 'status_since', value: (c) => c.statusSince ?? '' },
        { header: 'product', value: (c) => c.productName },
        { header: 'producer', value: (c) => c.producerName },
        { header: 'product_set', value: (c) => c.productSet, kind: 'number' },
        { header: 'stars', value: (c) => c.stars, kind: 'number' },
        { header: 'level', value: (c) => c.level },
        { header: 'province_code', value: (c) => c.provinceCode },
        { header: 'commune_code', value: (c) => c.communeCode },
        { header: 'decision_number', value: (c) => c.decision.number },
        { header: 'decision_date', value: (c) => c.decision.date },
        { header: 'issued_on', value: (c) => c.issuedOn },
        { header: 'valid_until', value: (c) => c.validUntil },
        { header: 'revoked_on', value: (c) => c.revocation?.on ?? '' },
        { header: 'revocation_ground', value: (c) => c.revocation?.ground ?? '' },
        { header: 'demo', value: (c) => (c.isDemo ? 'yes' : '') },
        { header: 'url', value: (c) => url(c) },
      ],
      items,
    );
    const provinces = new Map<string, string>();
    for (const c of items)
      if (!provinces.has(c.provinceCode)) provinces.set(c.provinceCode, await provinceName(c.provinceCode));
    const jsonld = JSON.stringify({
      '@context': 'https://schema.org',
      '@type': 'Dataset',
      name: 'Giấy chứng nhận sản phẩm OCOP / OCOP product certificates',
      dateModified: day,
      license: 'https://creativecommons.org/licenses/by/4.0/',
      distribution: [
        {
          '@type': 'DataDownload',
          encodingFormat: 'text/csv',
          contentUrl: publicUrl('/open-data/certificates.csv'),
        },
      ],
      hasPart: items.map((c) =>
        certificationJsonLd(c, url(c), provinces.get(c.provinceCode) ?? c.provinceCode),
      ),
    });
    const value = { csv, jsonld };
    openData.set(key, value);
    return value;
  };

  app.get(
    '/open-data/certificates.csv',
    {
      schema: {
        tags: ['certificates'],
        summary: 'The certificate register with each status today (CSV, UTF-8 with BOM; no personal data)',
      },
    },
    async (_request, reply) => {
      const { csv } = await register();
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'public, max-age=600')
        .header('content-disposition', 'inline; filename="ocop-certificates.csv"')
        .header('access-control-allow-origin', '*')
        .send(csv);
    },
  );

  app.get(
    '/open-data/certificates.jsonld',
    {
      schema: {
        tags: ['certificates'],
        summary: 'The certificate register as schema.org Certification items (JSON-LD)',
      },
    },
    async (_request, reply) => {
      const { jsonld } = await register();
      return reply
        .type('application/ld+json; charset=utf-8')
        .header('cache-control', 'public, max-age=600')
        .header('access-control-allow-origin', '*')
        .send(jsonld);
    },
  );
}
