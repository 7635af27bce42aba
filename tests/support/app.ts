/** The whole platform on a fresh test database, reached through Fastify's inject (no socket). */
import pino from 'pino';
import { type App, buildApp } from '../../src/app.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { freshDatabase, type TestDatabase } from './db.ts';

/** Hashing at OWASP cost takes ~0.4 s; tests use a cheap cost (production never does). */
export const TEST_PASSWORD_COST = { N: 2 ** 10, r: 8, p: 1 };

export interface TestApp extends App {
  database: TestDatabase;
  close(): Promise<void>;
}

export async function startTestApp(engine: Engine, options: { publicUrl?: string } = {}): Promise<TestApp> {
  const database = await freshDatabase(engine);
  const app = await buildApp({
    config: { publicUrl: new URL(options.publicUrl ?? 'http://localhost:3000') },
    database,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    passwordParams: TEST_PASSWORD_COST,
  });
  return {
    ...app,
    database,
    async close() {
      await app.server.close();
      await database.destroy();
    },
  };
}
