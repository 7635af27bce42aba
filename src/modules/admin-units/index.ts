/** Module admin-units: Vietnam's administrative units (2025 and pre-2025) and their succession. */
import type { Database } from '../../platform/db/database.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { registerAdminUnitsRoutes } from './admin-units.routes.ts';
import { seedAdminUnits } from './admin-units.seed.ts';
import { createAdminUnitsService } from './admin-units.service.ts';

export type { Era, Level } from './admin-code.ts';
export { CODE_PATTERN, levelOfCode } from './admin-code.ts';
export { adminUnitsMessages } from './admin-units.messages.ts';
export type { SeedResult } from './admin-units.seed.ts';
export type { AdminUnit, AdminUnitDetail, AdminUnitsService } from './admin-units.service.ts';

export function createAdminUnitsModule(database: Database) {
  const service = createAdminUnitsService(database.db);
  return {
    service,
    nav: [{ href: '/admin-units', label: 'adminUnits.nav' }],
    registerRoutes: (app: HttpServer) => registerAdminUnitsRoutes(app, service),
    /** Loads the reference data; idempotent, cheap when nothing changed. */
    async seed(options?: { force?: boolean }) {
      const result = await seedAdminUnits(database, options);
      if (result.loaded) service.clearCache();
      return result;
    },
  };
}
