/**
 * Module traceability: a GS1 EPCIS 2.0 repository (capture, queries, conformance, tamper-evident
 * hash chains); producers' places and partners; batches and their journey recorded by form as
 * EPCIS events; the GS1 Digital Link resolver at the root of the public URL; the public trace
 * pages; QR labels; scans; the national traceability portal's export.
 */
import path from 'node:path';
import type { Database } from '../../platform/db/database.ts';
import { vacuumAnalyze } from '../../platform/db/database.ts';
import { createFileStore } from '../../platform/files/index.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { CertificatesService } from '../certification/index.ts';
import type { ProducersService } from '../producers/index.ts';
import type { DocumentsService, ProductsService } from '../products/index.ts';
import { registerBatchRoutes } from './batches.routes.ts';
import { createBatchesService } from './batches.service.ts';
import { createCaptureService } from './capture.service.ts';
import { registerEpcisRoutes } from './epcis.routes.ts';
import { MAX_LABELS_PER_REQUEST } from './labels.ts';
import { createLocationsService } from './locations.service.ts';
import { portalRecordOf } from './national-portal.service.ts';
import { createQueryService } from './query.service.ts';
import { createResolverService } from './resolver.service.ts';
import { createScansService } from './scans.service.ts';
import { createSubscriptionsService } from './subscriptions.service.ts';
import { registerTraceRoutes } from './trace.routes.tsx';
import { tracePageMessages } from './trace-page.messages.ts';
import { createTracePageService } from './trace-page.service.ts';
import { tracePagesMessages } from './trace-pages.messages.ts';
import { registerTracePageRoutes } from './trace-pages.routes.tsx';
import { traceabilityMessages } from './traceability.messages.ts';

export const traceabilityBundles = [traceabilityMessages, tracePageMessages, tracePagesMessages];

export function createTraceabilityModule(
  database: Database,
  deps: {
    products: ProductsService;
    producers: ProducersService;
    adminUnits: AdminUnitsService;
    documents: DocumentsService;
    certificates: CertificatesService;
    publicUrl: URL;
    dataDir: string;
    uploadLimitBytes: number;
    logger: Logger;
    now?: () => Date;
  },
) {
  const now = deps.now ?? (() => new Date());
  const capture = createCaptureService(database.db, {
    products: deps.products,
    producers: deps.producers,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const query = createQueryService(database.db);
  const subscriptions = createSubscriptionsService(database.db, { query });
  const locations = createLocationsService(database.db, {
    producers: deps.producers,
    adminUnits: deps.adminUnits,
    publicUrl: deps.publicUrl,
  });
  const scans = createScansService(database.db, {
    now,
    onError: (error) => deps.logger.error({ err: error }, 'traceability: scans not written'),
  });
  let tracePages: ReturnType<typeof createTracePageService> | null = null;
  let resolver: ReturnType<typeof createResolverService> | null = null;
  const batches = createBatchesService(database.db, {
    products: deps.products,
    producers: deps.producers,
    capture,
    // the same content-addressed store as the registry's documents
    store: createFileStore(path.join(deps.dataDir, 'documents')),
    publicUrl: deps.publicUrl,
    uploadLimitBytes: deps.uploadLimitBytes,
    now,
    onLotChanged: (gtin, lot) => {
      tracePages?.forgetLot(gtin, lot);
      resolver?.forgetKey(gtin);
    },
  });
  tracePages = createTracePageService(database.db, {
    batches,
    products: deps.products,
    producers: deps.producers,
    documents: deps.documents,
    certificates: deps.certificates,
    adminUnits: deps.adminUnits,
    publicUrl: deps.publicUrl,
    now,
  });
  resolver = createResolverService(database.db, {
    products: deps.products,
    certificates: deps.certificates,
    tracePages,
    scans,
    publicUrl: deps.publicUrl,
    now,
  });
  const portalRecord = (batchId: string) =>
    portalRecordOf(database.db, batchId, {
      products: deps.products,
      producers: deps.producers,
      certificates: deps.certificates,
      documents: deps.documents,
      adminUnits: deps.adminUnits,
      publicUrl: deps.publicUrl,
    });
  return {
    capture,
    query,
    subscriptions,
    locations,
    batches,
    scans,
    tracePages,
    resolver,
    portalRecord,
    nav: [{ href: '/trace', label: 'tracePages.title' }],
    /** At start: close capture jobs a crashed process left running; fresh statistics on PGlite. */
    async maintain() {
      await capture.closeInterrupted();
      await scans.maintain();
      await vacuumAnalyze(database, [
        'traceability.event',
        'traceability.event_identifier',
        'traceability.event_key',
      ]);
    },
    registerRoutes(app: HttpServer) {
      registerEpcisRoutes(app, { capture, query, subscriptions });
      registerTracePageRoutes(app, {
        batches,
        locations,
        products: deps.products,
        producers: deps.producers,
        serialLimit: MAX_LABELS_PER_REQUEST,
        uploadLimitBytes: deps.uploadLimitBytes,
        now,
      });
      registerBatchRoutes(app, { batches, locations, portalRecord, serialLimit: MAX_LABELS_PER_REQUEST });
      registerTraceRoutes(app, {
        batches,
        resolver: resolver!,
        tracePages: tracePages!,
        scans,
        products: deps.products,
        certificates: deps.certificates,
        publicUrl: deps.publicUrl,
      });
    },
  };
}
