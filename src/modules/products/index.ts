/**
 * Module products: products, their dossiers (the evaluation requests with Mẫu 01/02/03 and the
 * evidence files), documents, imports and exports of the registry, and the demo data set.
 */
import path from 'node:path';
import { type Database, vacuumAnalyze } from '../../platform/db/database.ts';
import { createFileStore } from '../../platform/files/index.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { ProducersService } from '../producers/index.ts';
import { createDocumentsService } from './documents.service.ts';
import { registerDossierRoutes } from './dossiers.routes.ts';
import { createDossiersService, type DossierStepHook } from './dossiers.service.ts';
import { registerImportRoutes } from './imports.routes.tsx';
import { createImportsService } from './imports.service.ts';
import { registerMyRoutes } from './my.routes.tsx';
import { registerProductRoutes } from './products.routes.ts';
import { createProductsService } from './products.service.ts';
import { holidaysFromFile, makeUpWorkingDaysFromFile } from './working-days.ts';

export { type DemoResult, loadDemo } from './demo.ts';
export type { DocumentInfo, DocumentsService } from './documents.service.ts';
export type { SelfScoring } from './dossier-checklist.ts';
export type { Dossier, DossierDetail, DossierStepHook, DossiersService } from './dossiers.service.ts';
export { productsMessages } from './products.messages.ts';
export type { Product, ProductsService } from './products.service.ts';

export function createProductsModule(
  database: Database,
  deps: {
    adminUnits: AdminUnitsService;
    identity: Pick<IdentityService, 'contacts'>;
    producers: ProducersService;
    dataDir: string;
    publicUrl: URL;
    uploadLimitBytes: number;
    /** The producers module's upkeep after bulk writes. */
    maintainProducers: () => Promise<void>;
    /** Whether a user sits on a council evaluating a dossier (the evaluation module answers). */
    councilReads?: (userId: string, dossierId: string) => Promise<boolean>;
    /** Told of every dossier step, in its transaction (the certification module answers). */
    onDossierStep?: DossierStepHook;
  },
) {
  const maintain = async () => {
    await deps.maintainProducers();
    await vacuumAnalyze(database, ['products.product', 'products.product_gtin', 'products.commune_sequence']);
  };
  const products = createProductsService(database.db, { producers: deps.producers });
  const dossiers = createDossiersService(database.db, {
    producers: deps.producers,
    identity: deps.identity,
    calendar: { holidays: holidaysFromFile(), makeUpWorkingDays: makeUpWorkingDaysFromFile() },
    publicUrl: deps.publicUrl,
    ...(deps.councilReads ? { councilReads: deps.councilReads } : {}),
    ...(deps.onDossierStep ? { onStep: deps.onDossierStep } : {}),
  });
  const store = createFileStore(path.join(deps.dataDir, 'documents'));
  const documents = createDocumentsService(database.db, { store, dossiers });
  const imports = createImportsService(database.db, {
    producers: deps.producers,
    adminUnits: deps.adminUnits,
  });
  const routeDeps = {
    products,
    dossiers,
    documents,
    imports,
    producers: deps.producers,
    adminUnits: deps.adminUnits,
    uploadLimitBytes: deps.uploadLimitBytes,
  };
  return {
    maintain,
    products,
    dossiers,
    documents,
    imports,
    nav: [
      { href: '/products', label: 'products.nav' },
      { href: '/dossiers', label: 'dossiers.nav' },
    ],
    registerRoutes(app: HttpServer) {
      registerProductRoutes(app, routeDeps);
      registerDossierRoutes(app, routeDeps);
      registerImportRoutes(app, routeDeps);
      registerMyRoutes(app, routeDeps);
    },
  };
}
