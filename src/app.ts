/**
 * Composition root: builds every module and the HTTP server. No DI container: modules are
 * plain functions given what they need.
 */
import { adminUnitsMessages, createAdminUnitsModule } from './modules/admin-units/index.ts';
import { certificationBundles, createCertificationModule } from './modules/certification/index.ts';
import { createEvaluationModule, evaluationBundles } from './modules/evaluation/index.ts';
import { createIdentityModule, identityMessages, type ScryptParams } from './modules/identity/index.ts';
import { createPortalModule, portalMessages } from './modules/portal/index.ts';
import { createProducersModule, producersMessages } from './modules/producers/index.ts';
import { createProductsModule, productsMessages } from './modules/products/index.ts';
import { createTraceabilityModule, traceabilityBundles } from './modules/traceability/index.ts';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import { readMigrationFiles } from './platform/db/migrate.ts';
import { registerHealthRoutes } from './platform/http/health.ts';
import { createHttpServer, type HttpServer } from './platform/http/server.ts';
import { createCatalogue } from './platform/i18n/index.ts';
import { platformMessages } from './platform/i18n/platform.messages.ts';
import type { Logger } from './platform/logger.ts';
import { spreadsheetMessages } from './platform/spreadsheet/index.ts';

export const catalogue = createCatalogue([
  platformMessages,
  portalMessages,
  adminUnitsMessages,
  identityMessages,
  producersMessages,
  productsMessages,
  ...evaluationBundles,
  ...certificationBundles,
  ...traceabilityBundles,
  spreadsheetMessages,
]);

export interface App {
  server: HttpServer;
  /**
   * Loads reference data (idempotent) and, on a database without an administrator, creates one
   * and logs its one-time password: run after migrating, before serving.
   */
  seed(): Promise<void>;
  identity: ReturnType<typeof createIdentityModule>['service'];
  producers: ReturnType<typeof createProducersModule>['service'];
  products: ReturnType<typeof createProductsModule>;
  evaluation: ReturnType<typeof createEvaluationModule>;
  certification: ReturnType<typeof createCertificationModule>;
  traceability: ReturnType<typeof createTraceabilityModule>;
}

export async function buildApp(deps: {
  config: Pick<Config, 'publicUrl' | 'dataDir'> & Partial<Pick<Config, 'uploadLimitBytes'>>;
  database: Database;
  logger: Logger;
  /** Tests lower the password-hashing cost; production keeps OWASP's. */
  passwordParams?: ScryptParams;
  /** The clock for dates that decide statuses (tests move it); the system clock by default. */
  now?: () => Date;
}): Promise<App> {
  const portal = createPortalModule();
  const adminUnits = createAdminUnitsModule(deps.database);
  const producers = createProducersModule(deps.database, { adminUnits: adminUnits.service });
  const identity = createIdentityModule(deps.database, {
    adminUnits: adminUnits.service,
    producerCommune: async (id) => (await producers.service.placeOf(id))?.communeCode ?? null,
    publicUrl: deps.config.publicUrl,
    ...(deps.passwordParams ? { passwordParams: deps.passwordParams } : {}),
  });

  const uploadLimitBytes = deps.config.uploadLimitBytes ?? 20 * 1024 * 1024;
  const products = createProductsModule(deps.database, {
    adminUnits: adminUnits.service,
    identity: identity.service,
    producers: producers.service,
    dataDir: deps.config.dataDir,
    publicUrl: deps.config.publicUrl,
    uploadLimitBytes,
    maintainProducers: producers.maintain,
    // a council member reads the dossiers of the rounds they sit on (asked at request time)
    councilReads: (userId, dossierId) => evaluation.rounds.sitsOnCouncilOf(userId, dossierId),
    // re-evaluations filed keep the current certificate in force (asked in the step's transaction)
    onDossierStep: (trx, context, step) => certification.hooks.onDossierStep(trx, context, step),
  });

  const evaluation = createEvaluationModule(deps.database, {
    dossiers: products.dossiers,
    documents: products.documents,
    identity: identity.service,
    adminUnits: adminUnits.service,
    // a decision's recognitions become certificates in the decision's transaction
    onRecognised: (trx, context, recognitions) =>
      certification.hooks.onRecognised(trx, context, recognitions),
  });

  const certification = createCertificationModule(deps.database, {
    products: products.products,
    producers: producers.service,
    documents: products.documents,
    identity: identity.service,
    adminUnits: adminUnits.service,
    publicUrl: deps.config.publicUrl,
    uploadLimitBytes,
    ...(deps.now ? { now: deps.now } : {}),
  });

  const traceability = createTraceabilityModule(deps.database, {
    products: products.products,
    producers: producers.service,
    adminUnits: adminUnits.service,
    documents: products.documents,
    certificates: certification.certificates,
    dataDir: deps.config.dataDir,
    uploadLimitBytes,
    logger: deps.logger,
    publicUrl: deps.config.publicUrl,
    ...(deps.now ? { now: deps.now } : {}),
  });

  const server = await createHttpServer({
    uploadLimitBytes,
    logger: deps.logger,
    publicUrl: deps.config.publicUrl,
    catalogue,
    nav: [
      ...portal.nav,
      ...products.nav.slice(0, 1),
      ...producers.nav,
      ...products.nav.slice(1),
      ...evaluation.nav,
      ...certification.nav,
      ...traceability.nav,
      ...adminUnits.nav,
      { href: '/api/docs', label: 'layout.apiDocs' },
    ],
    authenticate: identity.authenticate,
  });
  registerHealthRoutes(server, { database: deps.database, migrations: readMigrationFiles() });
  portal.registerRoutes(server);
  adminUnits.registerRoutes(server);
  identity.registerRoutes(server, {
    producersOf: async (principal, communeCode) =>
      (await producers.service.list(principal, { communeCode, limit: 200 })).items.map((p) => ({
        id: p.id,
        name: p.legalName,
      })),
  });
  producers.registerRoutes(server, { productsOf: products.products.productsOf });
  products.registerRoutes(server);
  evaluation.registerRoutes(server);
  certification.registerRoutes(server);
  traceability.registerRoutes(server);

  return {
    server,
    async seed() {
      const result = await adminUnits.seed();
      if (result.loaded) deps.logger.info({ counts: result.counts }, 'administrative units loaded');
      await products.maintain();
      await certification.seed();
      await traceability.maintain();
      const admin = await identity.service.bootstrapAdmin();
      if (admin) {
        deps.logger.warn(
          { email: admin.email, password: admin.password },
          'no administrator existed: created one. Sign in at /login with this one-time password and change it now; it is not shown again',
        );
      }
    },
    identity: identity.service,
    producers: producers.service,
    products,
    evaluation,
    certification,
    traceability,
  };
}
