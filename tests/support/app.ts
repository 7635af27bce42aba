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

export interface SignedInAgent {
  cookie: string;
  csrf: string;
  userId: string;
}

/** Creates a user (through the service, as the platform itself) and signs them in. */
export async function signIn(
  app: TestApp,
  user: { email: string; role: string; scopeCode?: string | null; password?: string; name?: string },
): Promise<SignedInAgent> {
  const password = user.password ?? 'mat-khau-thu-nghiem';
  await app.identity
    .createUser({ actor: { type: 'system', label: 'test' } }, null, {
      email: user.email,
      name: user.name ?? user.email,
      role: user.role as never,
      scopeCode: user.scopeCode ?? null,
      producerId: user.role === 'producer' ? '00000000-0000-4000-8000-000000000001' : null,
      password,
    })
    .catch((error: { code?: string }) => {
      if (error.code !== 'email_taken') throw error;
    });
  // signing in from its own address keeps helper sign-ins out of the tests' per-address counts
  const response = await app.server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password },
    remoteAddress: '127.0.0.2',
  });
  const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const session = setCookie.find((c) => c.startsWith('ocop_session='));
  if (response.statusCode !== 200 || !session)
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = session.split(';')[0]!;
  const me = await app.server.inject({ url: '/account', headers: { cookie, accept: 'text/html' } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(me.body)?.[1];
  if (!csrf) throw new Error('no CSRF token on /account');
  return { cookie, csrf, userId: response.json().user.id };
}
