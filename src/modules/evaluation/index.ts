/**
 * Module evaluation: the official criteria (versioned data), the scoring rules, the printable
 * score sheets, the producer's self-assessment, and the evaluation rounds with their councils,
 * scoring sessions, results, minutes and consistency analytics.
 */
import type { Database } from '../../platform/db/database.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { DocumentsService, DossiersService } from '../products/index.ts';
import { consistencyMessages } from './consistency.messages.ts';
import { createCriteriaService } from './criteria.service.ts';
import { evaluationMessages } from './evaluation.messages.ts';
import { registerEvaluationRoutes } from './evaluation.routes.ts';
import { roundsMessages } from './rounds.messages.ts';
import { registerRoundRoutes } from './rounds.routes.tsx';
import { createRoundsService, type RecognitionHook } from './rounds.service.ts';

export { type CriteriaService, createCriteriaService } from './criteria.service.ts';
export type { Recognition, RecognitionHook, RoundsService } from './rounds.service.ts';

/** The module's messages: criteria and self-assessment, rounds, consistency charts. */
export const evaluationBundles = [evaluationMessages, roundsMessages, consistencyMessages];

export function createEvaluationModule(
  database: Database,
  deps: {
    dossiers: DossiersService;
    documents: DocumentsService;
    identity: Pick<IdentityService, 'getUser' | 'listUsers'>;
    adminUnits: AdminUnitsService;
    /** Told of the recognitions each decision makes, in its transaction. */
    onRecognised?: RecognitionHook;
  },
) {
  const criteria = createCriteriaService(database.db);
  const rounds = createRoundsService(database.db, {
    criteria,
    dossiers: deps.dossiers,
    ...(deps.onRecognised ? { onRecognised: deps.onRecognised } : {}),
  });
  return {
    criteria,
    rounds,
    nav: [
      { href: '/criteria', label: 'criteria.nav' },
      { href: '/rounds', label: 'round.nav' },
    ],
    registerRoutes: (app: HttpServer) => {
      registerEvaluationRoutes(app, { criteria, dossiers: deps.dossiers });
      registerRoundRoutes(app, { rounds, ...deps });
    },
  };
}
