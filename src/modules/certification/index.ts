/**
 * Module certification: the certificate register (from evaluation decisions, imports and the
 * office's records), statuses that follow from dates, revocation, re-evaluation reminders, the
 * public verification page with its signed QR, the printable certificate, the OCOP mark artwork
 * and the open-data lists.
 */
import type { AuditContext } from '../../platform/audit.ts';
import type { Database } from '../../platform/db/database.ts';
import { vacuumAnalyze } from '../../platform/db/database.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { RecognitionHook } from '../evaluation/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { ProducersService } from '../producers/index.ts';
import type { DocumentsService, DossierStepHook, ProductsService } from '../products/index.ts';
import { certificateImportMessages } from './certificate-import.messages.ts';
import { registerCertificateImportRoutes } from './certificate-import.routes.tsx';
import { createCertificateImport } from './certificate-import.ts';
import { registerCertificateRoutes } from './certificates.routes.tsx';
import { createCertificatesService } from './certificates.service.ts';
import { certificationMessages } from './certification.messages.ts';
import { type DemoItem, loadDemoCertificates } from './demo.ts';
import { createReminderJob } from './reminders.service.ts';
import { createSigningKeys } from './signing-keys.service.ts';
import { registerVerifyRoutes } from './verify.routes.tsx';

export { CERTIFICATE_STATUSES, IN_FORCE, REVOCATION_GROUNDS } from './certificate.model.ts';
export type { Certificate, CertificatesService } from './certificates.service.ts';
export { verifyOffline } from './offline-verify.ts';

export const certificationBundles = [certificationMessages, certificateImportMessages];

/** How often the daily job looks whether a new day has begun (it runs once a day). */
const DAILY_CHECK_MS = 15 * 60 * 1000;

export function createCertificationModule(
  database: Database,
  deps: {
    products: ProductsService;
    producers: ProducersService;
    documents: DocumentsService;
    identity: Pick<IdentityService, 'contacts'>;
    adminUnits: AdminUnitsService;
    publicUrl: URL;
    /** The largest upload (the import page says it). */
    uploadLimitBytes: number;
    /** The clock (tests move it). */
    now?: () => Date;
  },
) {
  const now = deps.now ?? (() => new Date());
  const certificates = createCertificatesService(database.db, {
    products: deps.products,
    producers: deps.producers,
    now,
  });
  const keys = createSigningKeys(database.db, { publicUrl: deps.publicUrl });
  const reminders = createReminderJob(database.db, {
    certificates,
    identity: deps.identity,
    producers: deps.producers,
    publicUrl: deps.publicUrl,
  });
  const imports = createCertificateImport(database.db, {
    certificates,
    products: deps.products,
    producers: deps.producers,
    afterCommit: () => vacuumAnalyze(database, ['certification.certificate']),
  });
  const system = { actor: { type: 'system' as const, label: 'certification' } };

  /** For the evaluation module: the recognitions of a decision become certificates. */
  const onRecognised: RecognitionHook = async (trx, context, recognitions) => {
    await certificates.issueFromDecision(trx, context, recognitions);
  };
  /** For the products module: re-evaluations filed and ended. */
  const onDossierStep: DossierStepHook = (trx, context, step) =>
    certificates.noteDossierStep(trx, context, step);

  return {
    certificates,
    keys,
    reminders,
    hooks: { onRecognised, onDossierStep },
    nav: [
      { href: '/certificates', label: 'certificates.nav' },
      { href: '/verify', label: 'verify.nav' },
    ],
    /** The demo certificates of the demo products (`ocop demo`). */
    loadDemo: (context: AuditContext, items: DemoItem[]) =>
      loadDemoCertificates(database.db, certificates, context, items),
    async seed() {
      await keys.ensure();
      await vacuumAnalyze(database, ['certification.certificate']);
    },
    /** Runs the daily job now and then whenever the day in Vietnam changes; returns a stop function. */
    startDailyJob(logger: Logger): () => void {
      let lastDay = '';
      let running = false;
      const tick = async () => {
        const day = certificates.today();
        if (day === lastDay || running) return;
        running = true;
        try {
          const result = await reminders.run(system);
          lastDay = day;
          logger.info(result, 'certificates: daily job done');
        } catch (error) {
          logger.error({ err: error }, 'certificates: daily job failed (tried again later)');
        } finally {
          running = false;
        }
      };
      void tick();
      const timer = setInterval(() => void tick(), DAILY_CHECK_MS);
      timer.unref();
      return () => clearInterval(timer);
    },
    registerRoutes(app: HttpServer) {
      const routeDeps = {
        certificates,
        keys,
        reminders,
        products: deps.products,
        producers: deps.producers,
        documents: deps.documents,
        adminUnits: deps.adminUnits,
        publicUrl: deps.publicUrl,
      };
      registerCertificateRoutes(app, routeDeps);
      registerVerifyRoutes(app, routeDeps);
      registerCertificateImportRoutes(app, { imports, uploadLimitBytes: deps.uploadLimitBytes });
    },
  };
}

export type CertificationModule = ReturnType<typeof createCertificationModule>;
