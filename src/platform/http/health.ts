import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { MigrationError, type MigrationFile, migrationStatus } from '../db/migrate.ts';
import type { HttpServer } from './server.ts';

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({ database: Check, migrations: Check }),
});

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * GET /healthz: the process is up. GET /readyz: the database answers and every migration this
 * version knows is applied; 503 otherwise, recovering by itself when the database returns.
 */
export function registerHealthRoutes(
  app: HttpServer,
  deps: { database: Database; migrations: MigrationFile[] },
) {
  const startedAt = new Date();
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['platform'],
        summary: 'Liveness: the process is up',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            uptimeSeconds: Type.Number(),
            startedAt: Type.String(),
          }),
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return {
        status: 'ok' as const,
        uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
        startedAt: startedAt.toISOString(),
      };
    },
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['platform'],
        summary: 'Readiness: database reachable and migrations current',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const database = { ok: true } as { ok: boolean; detail?: string };
      const migrations = { ok: true } as { ok: boolean; detail?: string };
      // Details stay generic: this endpoint is public, the logs have the specifics.
      try {
        await withTimeout(deps.database.ping(), 2000);
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database unreachable');
        database.ok = false;
        database.detail = 'unreachable';
        migrations.ok = false;
        migrations.detail = 'unknown while the database is unreachable';
      }
      if (database.ok) {
        try {
          const status = await withTimeout(migrationStatus(deps.database, deps.migrations), 2000);
          if (status.pending.length > 0) {
            migrations.ok = false;
            migrations.detail = `pending: ${status.pending.join(', ')}`;
          }
        } catch (error) {
          request.log.warn({ err: error }, 'readiness: migrations not current');
          migrations.ok = false;
          migrations.detail =
            error instanceof MigrationError ? 'the applied migrations differ from this version' : 'unknown';
        }
      }
      const ready = database.ok && migrations.ok;
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { database, migrations } });
    },
  );
}
