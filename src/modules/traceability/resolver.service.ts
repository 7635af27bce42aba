/**
 * The GS1 Digital Link resolver of the platform (GS1-Conformant Resolver Standard): the pure rules
 * are resolver.ts; this adds the data. For a GTIN of a registered product the platform's own links
 * are computed — the trace page of a lot or item (`gs1:traceability`, the default when a lot or a
 * serial is named), the product page (`gs1:pip`, the default for the GTIN alone), the certificate's
 * verification page (`gs1:certificationInfo`) and the EPCIS repository (`gs1:epcis`) — and links
 * entered in `resolver_entry` (GS1 Resolver CE data entry) add to them or stand alone (other keys,
 * other GTINs). A lot or serial the platform never issued is unknown: 404, not the GTIN's page.
 * Every resolution is logged as a scan. Answers are kept in memory a minute (the scan path).
 */
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import { LruCache } from '../../platform/cache.ts';
import type { DB } from '../../platform/db/schema.ts';
import { escapeUriComponent } from '../../platform/gs1/index.ts';
import type { CertificatesService } from '../certification/index.ts';
import type { ProductsService } from '../products/index.ts';
import { lotClass } from './journey-events.ts';
import {
  parseResolverRequest,
  type ResolveOutcome,
  type ResolverEntry,
  type ResolverLink,
  type ResolverRequest,
  resolve,
} from './resolver.ts';
import type { ScansService } from './scans.service.ts';
import * as tq from './trace.queries.ts';
import { type createTracePageService, tracePath } from './trace-page.service.ts';

export interface ResolverAnswer {
  status: number;
  location?: string;
  /** JSON body (a linkset, or a problem). */
  body?: unknown;
  contentType?: string;
  headers: Record<string, string>;
}

/** The stored entries as resolver.ts takes them. */
export const entryOf = (row: tq.ResolverEntryRow): ResolverEntry => ({
  anchor: row.anchor,
  qualifierPath: row.qualifier_path,
  itemDescription: row.item_description,
  defaultLinkType: row.default_link_type,
  links: (typeof row.links === 'string' ? JSON.parse(row.links) : row.links) as ResolverLink[],
});

export function createResolverService(
  db: Kysely<DB>,
  deps: {
    products: Pick<ProductsService, 'gtinProducers' | 'byIds'>;
    certificates: Pick<CertificatesService, 'ofProducts' | 'generation'>;
    tracePages: Pick<ReturnType<typeof createTracePageService>, 'serialOfBatch'>;
    scans: Pick<ScansService, 'record'>;
    publicUrl: URL;
    now: () => Date;
  },
) {
  const answers = new LruCache<{
    outcome: ResolveOutcome | { status: 400 | 404 | 414; problem: string };
    scan: ScanKey | null;
  }>(10_000, 60_000);
  const absolute = (path: string) => new URL(path, deps.publicUrl).toString();

  interface ScanKey {
    gtin: string;
    lot: string | null;
    serial: string | null;
    producerId: string | null;
    provinceCode: string | null;
    communeCode: string | null;
  }

  /** The entries that may answer the request: stored ones, and the platform's for its GTINs. */
  async function entriesFor(
    request: ResolverRequest,
  ): Promise<{ entries: ResolverEntry[]; unknown: string | null; scan: ScanKey | null }> {
    const { ai, value } = request.primaryKey;
    const anchor = `/${ai}/${value}`;
    const stored = (
      await (ai === '01' ? tq.resolverEntriesFor(db, [anchor]) : tq.resolverPrefixEntries(db, ai, value))
    ).map(entryOf);
    if (ai !== '01')
      return {
        entries: stored,
        unknown: stored.length ? null : `No ${anchor} is registered on this resolver`,
        scan: null,
      };
    const maker = (await deps.products.gtinProducers([value])).get(value);
    const lot = request.keyQualifiers.find((q) => q.ai === '10')?.value ?? null;
    const serial = request.keyQualifiers.find((q) => q.ai === '21')?.value ?? null;
    // scans of a GTIN nobody registered are logged too (a code on goods that are not OCOP)
    if (!maker)
      return {
        entries: stored,
        unknown: stored.length ? null : `GTIN ${value} is not registered on the OCOP platform`,
        scan: { gtin: value, lot, serial, producerId: null, provinceCode: null, communeCode: null },
      };

    const scan: ScanKey = {
      gtin: value,
      lot,
      serial,
      producerId: maker.producerId,
      provinceCode: maker.provinceCode,
      communeCode: maker.communeCode,
    };
    // the lot the request names (or the lot of the serial): one the platform issued, else unknown
    let batch: tq.BatchRow | undefined;
    if (lot !== null) batch = await tq.findBatchByLot(db, value, lot);
    else if (serial !== null) {
      const ranges = await tq.serialRangesFor(db, value, serial);
      const candidates = await tq.findBatches(db, [...new Set(ranges.map((r) => r.batch_id))]);
      for (const b of candidates) if (await deps.tracePages.serialOfBatch(b, serial)) batch = b;
    }
    const named = lot !== null || serial !== null;
    const storedForQualifiers = stored.some((e) => e.qualifierPath !== '');
    if (named && (!batch || (serial !== null && !(await deps.tracePages.serialOfBatch(batch, serial))))) {
      if (!storedForQualifiers)
        return {
          entries: [],
          unknown: `${lot !== null ? `Lot ${lot}` : ''}${lot !== null && serial !== null ? ', ' : ''}${serial !== null ? `serial ${serial}` : ''} of GTIN ${value} was not issued on the OCOP platform`,
          scan,
        };
      return { entries: stored, unknown: null, scan };
    }
    if (batch) scan.lot = batch.lot;

    const [products, certificates] = await Promise.all([
      deps.products.byIds([maker.productId]),
      deps.certificates.ofProducts([maker.productId]),
    ]);
    const product = products.get(maker.productId);
    // the certificate's page says its status today (a revoked one says so): linked whatever it is
    const current = certificates.find((c) => c.supersededById === null) ?? null;
    const languages = ['vi', 'en'];
    const productLinks: ResolverLink[] = [
      {
        linkType: 'gs1:pip',
        href: absolute(`/products/${maker.productId}`),
        title: product?.name ?? 'Sản phẩm OCOP',
        type: 'text/html',
        hreflang: languages,
      },
      ...(current
        ? [
            {
              linkType: 'gs1:certificationInfo',
              href: absolute(`/verify/${current.id}`),
              title: `OCOP ${current.stars}★ — ${current.number}`,
              type: 'text/html',
              hreflang: languages,
            },
          ]
        : []),
    ];
    const generated: ResolverEntry[] = [
      {
        anchor,
        qualifierPath: '',
        itemDescription: product?.name ?? value,
        defaultLinkType: 'gs1:pip',
        links: [
          ...productLinks,
          {
            linkType: 'gs1:epcis',
            href: absolute('/epcis'),
            title: 'EPCIS 2.0',
            type: 'application/ld+json',
          },
        ],
      },
    ];
    if (batch) {
      const qualifierPath = request.keyQualifiers
        .map((q) => `/${q.ai}/${escapeUriComponent(q.value, 'path')}`)
        .join('');
      generated.push({
        anchor,
        qualifierPath,
        itemDescription: `${product?.name ?? value} — lô ${batch.lot}${serial ? `, sê-ri ${serial}` : ''}`,
        defaultLinkType: 'gs1:traceability',
        links: [
          {
            linkType: 'gs1:traceability',
            href: absolute(tracePath(value, batch.lot, serial)),
            title: `Truy xuất nguồn gốc lô ${batch.lot}`,
            type: 'text/html',
            hreflang: languages,
          },
          ...productLinks,
          {
            linkType: 'gs1:epcis',
            href: absolute(
              `/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(lotClass(value, batch.lot))}`,
            ),
            title: `EPCIS 2.0 — lô ${batch.lot}`,
            type: 'application/ld+json',
          },
        ],
      });
    }
    // stored links for the same key and qualifiers come first (the producer's word wins)
    const merged = generated.map((g) => {
      const own = stored.find((s) => s.qualifierPath === g.qualifierPath);
      if (!own) return g;
      const types = new Set(own.links.map((l) => l.linkType));
      return {
        ...g,
        defaultLinkType: own.defaultLinkType || g.defaultLinkType,
        links: [...own.links, ...g.links.filter((l) => !types.has(l.linkType))],
      };
    });
    const rest = stored.filter((s) => !generated.some((g) => g.qualifierPath === s.qualifierPath));
    return { entries: [...merged, ...rest], unknown: null, scan };
  }

  return {
    /** Answers a resolver request (`url`: the request target as received). */
    async answer(
      url: string,
      headers: {
        accept?: string | undefined;
        acceptLanguage?: string | undefined;
        userAgent?: string | undefined;
        ip?: string | undefined;
      },
    ): Promise<ResolverAnswer> {
      // a certificate written in this process changes the links (certificationInfo): a new key
      const cacheKey = `${deps.certificates.generation()}\n${url}\n${headers.accept ?? ''}\n${headers.acceptLanguage ?? ''}`;
      let cached = answers.get(cacheKey);
      if (!cached) {
        const parsed = parseResolverRequest(url);
        if (!parsed.ok) {
          // malformed: nothing to log against (no valid key)
          return problem(parsed.status, parsed.problem);
        }
        const { entries, unknown, scan } = await entriesFor(parsed);
        const outcome = unknown
          ? { status: 404 as const, problem: unknown }
          : resolve(
              parsed,
              entries,
              { accept: headers.accept, acceptLanguage: headers.acceptLanguage },
              deps.publicUrl,
            );
        cached = { outcome, scan };
        answers.set(cacheKey, cached);
      }
      const { outcome, scan } = cached;
      if (scan) {
        const linkType =
          outcome.status === 307 ? outcome.link.linkType : outcome.status === 200 ? 'linkset' : 'none';
        deps.scans.record({
          at: deps.now(),
          ...scan,
          linkType,
          status: outcome.status,
          // the shopper's language (the first one the browser asks for), not the link's
          language:
            /^\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})?)/
              .exec(headers.acceptLanguage ?? '')?.[1]
              ?.toLowerCase() ?? null,
          userAgent: headers.userAgent,
          ip: headers.ip,
        });
      }
      // links the request cannot tell apart (same type, language and context): the client chooses
      if (outcome.status === 307 && (outcome.alternatives?.length ?? 0) > 1)
        return {
          status: 300,
          body: {
            title: 'Multiple choices',
            links: outcome.alternatives!.map((l) => ({
              href: l.href,
              title: l.title,
              type: l.type ?? undefined,
              hreflang: l.hreflang,
            })),
          },
          contentType: 'application/json',
          headers: {
            link: outcome
              .alternatives!.map((l) => `<${l.href}>; rel="alternate"; title="${l.title.replace(/"/g, "'")}"`)
              .join(', '),
            'cache-control': 'no-store',
            vary: 'Accept, Accept-Language',
          },
        };
      if (outcome.status === 307)
        return {
          status: 307,
          location: outcome.location,
          headers: {
            link: `<${outcome.linksetUrl}>; rel="linkset"; type="application/linkset+json"`,
            'cache-control': 'no-store',
            vary: 'Accept, Accept-Language',
          },
        };
      if (outcome.status === 200)
        return {
          status: 200,
          body: outcome.linkset,
          contentType: outcome.mediaType,
          headers: { 'cache-control': 'public, max-age=60', vary: 'Accept, Accept-Language' },
        };
      return problem(outcome.status, outcome.problem);
    },

    /** The entered links (a producer's own when `producerId` is given). */
    async listEntries(producerId: string | null) {
      const rows = await tq.listResolverEntries(db, producerId);
      return rows.map((r) => ({ id: r.id, ...entryOf(r) }));
    },

    /** Adds or replaces entries (by anchor and qualifiers), all or none. */
    async saveEntries(
      context: AuditContext,
      entries: ResolverEntry[],
      owners: (string | null)[],
      userId: string,
    ) {
      const saved = await db.transaction().execute(async (trx) => {
        const out = [];
        for (const [i, entry] of entries.entries()) {
          const row = await tq.upsertResolverEntry(trx, {
            anchor: entry.anchor,
            qualifier_path: entry.qualifierPath,
            item_description: entry.itemDescription,
            default_link_type: entry.defaultLinkType,
            links: JSON.stringify(entry.links),
            producer_id: owners[i] ?? null,
            updated_by: userId,
          });
          await audit(trx, context, {
            action: 'traceability.resolver_entry.save',
            entityType: 'resolver_entry',
            entityId: row.id,
            after: { ...entry },
          });
          out.push({ id: row.id, ...entryOf(row) });
        }
        return out;
      });
      answers.clear();
      return saved;
    },

    /** A lot or a certificate changed: answers are worked out afresh. */
    forgetKey(_gtin: string) {
      answers.clear();
    },
  };
}

function problem(status: number, detail: string): ResolverAnswer {
  const code = status === 404 ? 'not_found' : status === 414 ? 'uri_too_long' : 'invalid_digital_link';
  return {
    status,
    body: {
      type: `urn:ocop:problem:${code}`,
      title: status === 404 ? 'Not found' : status === 414 ? 'URI too long' : 'Invalid GS1 Digital Link URI',
      status,
      code,
      detail,
    },
    contentType: 'application/problem+json',
    headers: { 'cache-control': 'no-store' },
  };
}
