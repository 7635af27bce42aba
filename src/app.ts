/**
 * Composition root: builds every module and the HTTP server. No DI container: modules are
 * plain functions given what they need.
 */
import { adminUnitsMessages, createAdminUnitsModule } from './modules/admin-units/index.ts';
import { createPortalModule, portalMessages } from './modules/portal/index.ts';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import { readMigrationFiles } from './platform/db/migrate.ts';
import { registerHealthRoutes } from './platform/http/health.ts';
import { createHttpServer, type HttpServer } from './platform/http/server.ts';
import { createCatalogue } from './platform/i18n/index.ts';
import { platformMessages } from './platform/i18n/platform.messages.ts';
import type { Logger } from './platform/logger.ts';

export const catalogue = createCatalogue([platformMessages, portalMessages, adminUnitsMessages]);

export interface App {
  server: HttpServer;
  /** Loads reference data (idempotent): run after migrating, before serving. */
  seed(): Promise<void>;
}

export async function buildApp(deps: {
  config: Pick<Config, 'publicUrl'>;
  database: Database;
  logger: Logger;
}): Promise<App> {
  const portal = createPortalModule();
  const adminUnits = createAdminUnitsModule(deps.database);

  const server = await createHttpServer({
    logger: deps.logger,
    publicUrl: deps.config.publicUrl,
    catalogue,
    nav: [...portal.nav, ...adminUnits.nav, { href: '/api/docs', label: 'layout.apiDocs' }],
  });
  registerHealthRoutes(server, { database: deps.database, migrations: readMigrationFiles() });
  portal.registerRoutes(server);
  adminUnits.registerRoutes(server);

  return {
    server,
    async seed() {
      const result = await adminUnits.seed();
      if (result.loaded) deps.logger.info({ counts: result.counts }, 'administrative units loaded');
    },
  };
}
