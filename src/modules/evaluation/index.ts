/**
 * Module evaluation: the official criteria (versioned data), the scoring rules, the printable
 * score sheets and the producer's self-assessment. (Rounds and councils come with the next issue.)
 */
import type { Database } from '../../platform/db/database.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { DossiersService } from '../products/index.ts';
import { createCriteriaService } from './criteria.service.ts';
import { registerEvaluationRoutes } from './evaluation.routes.ts';

export type { CriteriaService } from './criteria.service.ts';
export { evaluationMessages } from './evaluation.messages.ts';

export function createEvaluationModule(database: Database) {
  const criteria = createCriteriaService(database.db);
  return {
    criteria,
    nav: [{ href: '/criteria', label: 'criteria.nav' }],
    registerRoutes: (app: HttpServer, deps: { dossiers: DossiersService }) =>
      registerEvaluationRoutes(app, { criteria, dossiers: deps.dossiers }),
  };
}
