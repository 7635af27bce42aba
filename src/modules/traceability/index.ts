/**
 * Module traceability: a GS1 EPCIS 2.0 repository (capture, queries, conformance, tamper-evident
 * hash chains) and the locations producers name in their events. The trace pages, batches and the
 * Digital Link resolver build on it.
 */
import type { Database } from '../../platform/db/database.ts';
import { vacuumAnalyze } from '../../platform/db/database.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { ProducersService } from '../producers/index.ts';
import type { ProductsService } from '../products/index.ts';
import { createCaptureService } from './capture.service.ts';
import { registerEpcisRoutes } from './epcis.routes.ts';
import { registerLocationRoutes } from './locations.routes.ts';
import { createLocationsService } from './locations.service.ts';
import { createQueryService } from './query.service.ts';
import { createSubscriptionsService } from './subscriptions.service.ts';
import { traceabilityMessages } from './traceability.messages.ts';

export { traceabilityMessages };

export function createTraceabilityModule(
  database: Database,
  deps: {
    products: Pick<ProductsService, 'gtinProducers'>;
    producers: ProducersService;
    publicUrl: URL;
    now?: () => Date;
  },
) {
  const capture = createCaptureService(database.db, {
    products: deps.products,
    producers: deps.producers,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const query = createQueryService(database.db);
  const subscriptions = createSubscriptionsService(database.db, { query });
  const locations = createLocationsService(database.db, {
    producers: deps.producers,
    publicUrl: deps.publicUrl,
  });
  return {
    capture,
    query,
    subscriptions,
    locations,
    /** At start: close capture jobs a crashed process left running; fresh statistics on PGlite. */
    async maintain() {
      await capture.closeInterrupted();
      await vacuumAnalyze(database, [
        'traceability.event',
        'traceability.event_identifier',
        'traceability.event_key',
      ]);
    },
    registerRoutes(app: HttpServer) {
      registerEpcisRoutes(app, { capture, query, subscriptions });
      registerLocationRoutes(app, { locations });
    },
  };
}
