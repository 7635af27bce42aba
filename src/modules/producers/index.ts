/** Module producers: the OCOP producers (chủ thể) — legal form, identifiers, place, workforce, areas, channels. */
import { type Database, vacuumAnalyze } from '../../platform/db/database.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { type ProducerProductsView, registerProducerRoutes } from './producers.routes.ts';
import { createProducersService } from './producers.service.ts';

export {
  type ListScope,
  listScope,
  mayExport,
  mayImport,
  type RecordPlace,
  registryPolicy,
} from './policy.ts';
export {
  checkProducer,
  LEGAL_TYPES,
  type LegalType,
  type ProducerInput,
  SALES_CHANNEL_KINDS,
} from './producer-rules.ts';
export { producersMessages } from './producers.messages.ts';
export type { ProducerValues } from './producers.queries.ts';
export { communeNames } from './producers.routes.ts';
export { COMMUNE_CODE, IdParams } from './producers.schemas.ts';
export { inputOf, type Producer, type ProducerQuery, type ProducersService } from './producers.service.ts';
export { DemoBadge, listUrl } from './producers.views.tsx';
export { taxCodeCheckDigit, validateRegistrationNumber, validateTaxCode } from './tax-code.ts';

export function createProducersModule(database: Database, deps: { adminUnits: AdminUnitsService }) {
  const service = createProducersService(database.db, deps);
  return {
    service,
    nav: [{ href: '/producers', label: 'producers.nav' }],
    /** After bulk writes: statistics and indexes up to date (PGlite has no autovacuum). */
    maintain: () => vacuumAnalyze(database, ['producers.producer']),
    registerRoutes: (app: HttpServer, products: ProducerProductsView) =>
      registerProducerRoutes(app, { producers: service, adminUnits: deps.adminUnits, products }),
  };
}
