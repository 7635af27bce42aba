/**
 * The public trace page of a lot or a serialised item: the batch, its product and producer, the
 * certificate's standing today (certification module), the raw-material area, ingredients, test
 * reports and the journey from the lot's EPCIS events, as one `TraceView`. Rendered pages are kept
 * in memory (the QR-scan path): an entry is dropped when a step of its lot is recorded in this
 * process, and lives at most TTL_MS otherwise (another process's writes, a new day's status).
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { Kysely } from 'kysely';
import { LruCache } from '../../platform/cache.ts';
import type { DB } from '../../platform/db/schema.ts';
import { escapeUriComponent, printedGtin } from '../../platform/gs1/index.ts';
import { todayInVietnam } from '../../platform/time.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { type CertificatesService, IN_FORCE } from '../certification/index.ts';
import { communeNames, type ProducersService } from '../producers/index.ts';
import type { DocumentsService, ProductsService } from '../products/index.ts';
import { type BatchesService, presentBatch } from './batches.service.ts';
import { stepOf, unitOfUom } from './journey-events.ts';
import type { TraceCertificateStatus, TracePlace, TraceStep, TraceView } from './trace.model.ts';
import * as tq from './trace.queries.ts';
import type { EventRow } from './traceability.queries.ts';

/** How long a rendered page may be served without looking again. */
export const TRACE_TTL_MS = 60_000;

/** The certificate's status today as the trace page says it. */
const traceStatus = (status: string): TraceCertificateStatus =>
  (IN_FORCE as readonly string[]).includes(status)
    ? 'valid'
    : status === 'expired' || status === 'revoked'
      ? status
      : 'none';

/** The Digital Link path of a lot (and serial): what its QR code says, on the public URL. */
export const digitalLinkPath = (gtin: string, lot: string, serial?: string | null) =>
  `/01/${gtin}/10/${escapeUriComponent(lot, 'path')}${serial ? `/21/${escapeUriComponent(serial, 'path')}` : ''}`;

/** The trace page of a lot (and serial): where the resolver sends a shopper by default. */
export const tracePath = (gtin: string, lot: string, serial?: string | null) =>
  `/trace${digitalLinkPath(gtin, lot, serial)}`;

export interface TraceKey {
  gtin: string;
  lot: string;
  serial: string | null;
}

export function createTracePageService(
  db: Kysely<DB>,
  deps: {
    batches: Pick<BatchesService, 'lotEvents'>;
    products: Pick<ProductsService, 'byIds'>;
    producers: Pick<ProducersService, 'placeOf'>;
    documents: Pick<DocumentsService, 'list'>;
    certificates: Pick<CertificatesService, 'ofProducts' | 'generation'>;
    adminUnits: AdminUnitsService;
    publicUrl: URL;
    now: () => Date;
  },
) {
  /** Rendered pages by `lang gtin lot serial`, with their ETag. */
  const pages = new LruCache<RenderedPage>(5000, TRACE_TTL_MS);
  const rendering = new Map<string, Promise<RenderedPage | null>>();
  /** Keys of cached pages by lot, to forget them when the lot changes. */
  const byLot = new Map<string, Set<string>>();

  const lotKey = (gtin: string, lot: string) => `${gtin} ${lot}`;

  async function view(key: TraceKey): Promise<TraceView | null> {
    const row = await tq.findBatchByLot(db, key.gtin, key.lot);
    if (!row) return null;
    if (key.serial && !(await serialOfBatch(row, key.serial))) return null;
    const batch = presentBatch(row);
    const [products, place, events, inputs, reports, certificates, images, rawArea] = await Promise.all([
      deps.products.byIds([row.product_id]),
      deps.producers.placeOf(row.producer_id),
      deps.batches.lotEvents(row.gtin, row.lot),
      tq.inputsOf(db, row.id),
      tq.documentsOf(db, row.id),
      deps.certificates.ofProducts([row.product_id]),
      deps.documents.list(null, { productId: row.product_id, dossierId: null }).catch(() => []),
      row.raw_material_location_id ? tq.findLocation(db, row.raw_material_location_id) : undefined,
    ]);
    const product = products.get(row.product_id);
    if (!product || !place) return null;
    // the places the events name: the producer's own, and its partners
    const identifiers = new Set<string>();
    for (const e of events) {
      const doc = e.document as Record<string, unknown>;
      for (const id of placeIdsOf(doc)) identifiers.add(id);
    }
    const [locations, partners] = await Promise.all([
      tq.locationsByIdentifier(db, [...identifiers]),
      tq.partnersByIdentifier(db, [...identifiers], row.producer_id),
    ]);
    const communes = await communeNames(deps.adminUnits, [
      place.communeCode,
      ...locations.flatMap((l) => (l.commune_code ? [l.commune_code] : [])),
      ...partners.flatMap((p) => (p.commune_code ? [p.commune_code] : [])),
      ...(rawArea?.commune_code ? [rawArea.commune_code] : []),
    ]);
    const placeOf = (identifier: string | null | undefined): TracePlace | null => {
      if (!identifier) return null;
      const found =
        locations.find((l) => l.identifier === identifier) ??
        partners.find((p) => p.identifier === identifier);
      if (!found) return null;
      return {
        name: found.name,
        kind: found.kind as TracePlace['kind'],
        area: found.commune_code ? (communes.get(found.commune_code) ?? null) : null,
        latitude: found.latitude === null ? null : Number(found.latitude),
        longitude: found.longitude === null ? null : Number(found.longitude),
      };
    };
    const current = certificates.find((c) => c.supersededById === null) ?? null;
    const status: TraceCertificateStatus = current ? traceStatus(current.status) : 'none';
    const image = images.find((d) => d.kind === 'product_image' && d.hasThumbnail) ?? null;
    const reportHref = (id: string) => `/trace/reports/${id}`;
    const journey = events.map((e) => stepView(e, placeOf, reportHref));
    return {
      uri: new URL(digitalLinkPath(row.gtin, row.lot, key.serial), deps.publicUrl).toString(),
      product: {
        id: product.id,
        name: product.name,
        gtin: row.gtin,
        netContent: product.netContent,
        description: product.description,
        imageUrl: image ? `/documents/${image.id}/thumbnail` : null,
        href: `/products/${product.id}`,
      },
      producer: {
        id: row.producer_id,
        name: product.producerName,
        area: communes.get(place.communeCode) ?? null,
      },
      certificate: {
        status,
        stars: current && status !== 'none' ? current.stars : null,
        number: current?.number ?? null,
        issuedOn: current?.issuedOn ?? null,
        validUntil: current?.validUntil ?? null,
        revokedOn: current?.revocation?.on ?? null,
        verifyHref: current ? `/verify/${current.id}` : null,
      },
      batch: {
        lot: batch.lot,
        serial: key.serial,
        productionDate: batch.productionDate,
        packingDate: batch.packingDate,
        expiryDate: batch.expiryDate,
        quantity:
          batch.quantity === null ? null : `${formatNumber(batch.quantity)} ${batch.unit ?? ''}`.trim(),
        recall: batch.recall
          ? { on: todayInVietnam(new Date(batch.recall.at)), reason: batch.recall.reason }
          : null,
      },
      rawMaterialArea: rawArea
        ? {
            name: rawArea.name,
            kind: rawArea.kind as TracePlace['kind'],
            area: rawArea.commune_code ? (communes.get(rawArea.commune_code) ?? null) : null,
            latitude: rawArea.latitude === null ? null : Number(rawArea.latitude),
            longitude: rawArea.longitude === null ? null : Number(rawArea.longitude),
            certifications: rawArea.certifications,
          }
        : null,
      ingredients: inputs.map((b) => ({
        label: `${b.lot} (GTIN ${b.gtin})`,
        href: tracePath(b.gtin, b.lot),
      })),
      testReports: reports.map((d) => ({
        name: d.name,
        href: reportHref(d.id),
        issuedOn: d.issued_on,
      })),
      journey,
      reportHref: `/trace/report?gtin=${row.gtin}&lot=${encodeURIComponent(row.lot)}${key.serial ? `&serial=${encodeURIComponent(key.serial)}` : ''}`,
      today: todayInVietnam(deps.now()),
      demo: row.is_demo || product.isDemo,
    };
  }

  /** Whether the serial is one the platform issued for this batch's labels. */
  async function serialOfBatch(row: tq.BatchRow, serial: string) {
    const ranges = await tq.serialRangesFor(db, row.gtin, serial);
    return ranges.some((r) => {
      if (r.batch_id !== row.id) return false;
      const number = serial.slice(r.prefix.length);
      if (number.length !== r.width || !/^\d+$/.test(number)) return false;
      const n = Number(number);
      return n >= r.first_number && n <= r.last_number;
    });
  }

  return {
    view,
    serialOfBatch,

    /**
     * The page for a key in a language, rendered by `render` when not cached: its HTML and ETag
     * (a hash of the HTML: it changes when anything shown changes, a new event included). Null
     * when nothing is registered under the key.
     */
    async page(
      key: TraceKey,
      lang: string,
      render: (view: TraceView) => string,
    ): Promise<RenderedPage | null> {
      // a certificate written (revoked, superseded…) in this process is a new generation: new pages
      const cacheKey = `${deps.certificates.generation()} ${lang} ${key.gtin} ${key.lot} ${key.serial ?? ''}`;
      const hit = pages.get(cacheKey);
      if (hit) return hit;
      // one rendering per page at a time: the others wait for it (no stampede when it expires)
      const pending = rendering.get(cacheKey);
      if (pending) return pending;
      const work = (async () => {
        const found = await view(key);
        if (!found) return null;
        const entry = renderedPage(render(found));
        pages.set(cacheKey, entry);
        const lot = lotKey(key.gtin, key.lot);
        if (!byLot.has(lot)) {
          // the index only serves forgetting: bounded like the cache itself
          if (byLot.size >= 10_000) byLot.clear();
          byLot.set(lot, new Set());
        }
        byLot.get(lot)!.add(cacheKey);
        return entry;
      })();
      rendering.set(cacheKey, work);
      try {
        return await work;
      } finally {
        rendering.delete(cacheKey);
      }
    },

    /** A step of the lot was recorded (or it was recalled): its pages are rendered afresh. */
    forgetLot(gtin: string, lot: string) {
      const keys = byLot.get(lotKey(gtin, lot));
      if (!keys) return;
      for (const key of keys) pages.delete(key);
      byLot.delete(lotKey(gtin, lot));
    },
  };
}

/**
 * A page as it is served from the cache: the bytes plain, Brotli and gzip (compressed once, not on
 * every request), each with its own strong ETag over the HTML.
 */
export interface RenderedPage {
  etag: string;
  bodies: Record<'identity' | 'br' | 'gzip', Buffer>;
}

export function renderedPage(html: string): RenderedPage {
  const identity = Buffer.from(html, 'utf8');
  return {
    etag: createHash('sha256').update(identity).digest('base64url').slice(0, 27),
    bodies: {
      identity,
      br: brotliCompressSync(identity, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length,
        },
      }),
      gzip: gzipSync(identity, { level: 9 }),
    },
  };
}

const formatNumber = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, ''));

function placeIdsOf(doc: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const key of ['readPoint', 'bizLocation'] as const) {
    const id = (doc[key] as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') ids.push(id);
  }
  for (const s of (doc.sourceList as { source?: unknown }[] | undefined) ?? [])
    if (typeof s.source === 'string') ids.push(s.source);
  for (const d of (doc.destinationList as { destination?: unknown }[] | undefined) ?? [])
    if (typeof d.destination === 'string') ids.push(d.destination);
  return ids;
}

const word = (v: unknown) => (typeof v === 'string' ? v.replace(/^.*[-:/]/, '') : null);

/** One event as a step of the timeline. */
function stepView(
  e: EventRow,
  placeOf: (identifier: string | null | undefined) => TracePlace | null,
  reportHref: (id: string) => string,
): TraceStep {
  const doc = e.document as Record<string, unknown>;
  const quantities = [
    ...((doc.quantityList as QuantityElement[] | undefined) ?? []),
    ...((doc.outputQuantityList as QuantityElement[] | undefined) ?? []),
    ...((doc.childQuantityList as QuantityElement[] | undefined) ?? []),
  ];
  const q = quantities.find((x) => typeof x.quantity === 'number');
  const inputs = ((doc.inputQuantityList as QuantityElement[] | undefined) ?? []).map((x) => {
    const m = /\/01\/(\d{14})\/10\/([^/?#]+)/.exec(String(x.epcClass ?? ''));
    const lot = m ? decodeURIComponent(m[2]!) : null;
    return {
      label: m ? `${lot} (GTIN ${printedGtin(m[1]!)})` : String(x.epcClass ?? ''),
      href: m ? tracePath(m[1]!, lot!) : null,
    };
  });
  const source = ((doc.sourceList as { type?: string; source?: string }[] | undefined) ?? []).find(
    (s) => word(s.type) === 'location',
  );
  const destination = ((doc.destinationList as { destination?: string }[] | undefined) ?? [])[0];
  const attachments = (
    (doc.bizTransactionList as { type?: string; bizTransaction?: string }[] | undefined) ?? []
  )
    .filter((t) => word(t.type) === 'testres' && typeof t.bizTransaction === 'string')
    .map((t) => {
      const id = /\/trace\/reports\/([0-9a-f-]{36})$/.exec(t.bizTransaction!)?.[1];
      return { name: 'testres', href: id ? reportHref(id) : t.bizTransaction! };
    });
  const note = doc['ocop:note'] ?? doc['https://ocop.gov.vn/epcis/note'];
  return {
    step: stepOf(doc),
    bizStep: word(doc.bizStep),
    disposition: word(doc.disposition),
    eventTime: localIso(e.event_time, e.event_time_zone_offset),
    place:
      placeOf((doc.bizLocation as { id?: string } | undefined)?.id) ??
      placeOf((doc.readPoint as { id?: string } | undefined)?.id),
    destination: placeOf(destination?.destination),
    source: placeOf(source?.source),
    quantity: q ? `${formatNumber(q.quantity!)} ${unitOfUom(q.uom) ?? ''}`.trim() : null,
    inputs,
    note: typeof note === 'string' ? note : null,
    attachments,
  };
}

interface QuantityElement {
  epcClass?: string;
  quantity?: number;
  uom?: string;
}

/** The instant written in its own offset: `2026-05-22T23:30:00+07:00`. */
export function localIso(at: Date, offset: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const shifted = new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  return `${shifted}${m ? offset : '+00:00'}`;
}
