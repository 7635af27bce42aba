/** The whole platform on a fresh test database, reached through Fastify's inject (no socket). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type App, buildApp } from '../../src/app.ts';
import type { Producer, ProducerInput } from '../../src/modules/producers/index.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { freshDatabase, type TestDatabase } from './db.ts';

/** Hashing at OWASP cost takes ~0.4 s; tests use a cheap cost (production never does). */
export const TEST_PASSWORD_COST = { N: 2 ** 10, r: 8, p: 1 };

export interface TestApp extends App {
  database: TestDatabase;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestApp(
  engine: Engine,
  options: {
    publicUrl?: string;
    uploadLimitBytes?: number;
    /** The platform's clock (a test may move it, e.g. past a certificate's expiry). */
    now?: () => Date;
  } = {},
): Promise<TestApp> {
  const database = await freshDatabase(engine);
  // uploaded documents go to a directory of the test's own, removed at close
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-test-data-'));
  const app = await buildApp({
    config: {
      publicUrl: new URL(options.publicUrl ?? 'http://localhost:3000'),
      dataDir,
      ...(options.uploadLimitBytes ? { uploadLimitBytes: options.uploadLimitBytes } : {}),
    },
    database,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    passwordParams: TEST_PASSWORD_COST,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    ...app,
    database,
    dataDir,
    async close() {
      await app.server.close();
      await database.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let producerCount = 0;

/** A producer record (as the platform itself, no principal), for tests that need one. */
export async function createProducer(
  app: TestApp,
  overrides: Partial<ProducerInput> = {},
): Promise<Producer> {
  producerCount += 1;
  const values = await app.producers.valuesOf({
    legalType: 'cooperative',
    legalName: `Hợp tác xã Thử Nghiệm ${producerCount}`,
    registrationNumber: `61A80${String(producerCount).padStart(5, '0')}`,
    communeCode: '32002',
    ...overrides,
  });
  const [producer] = await app.database.db
    .transaction()
    .execute((trx) =>
      app.producers.saveMany(trx, { actor: { type: 'system', label: 'test' } }, [{ id: null, values }]),
    );
  return producer!;
}

export interface SignedInAgent {
  cookie: string;
  csrf: string;
  userId: string;
}

/** Creates a user (through the service, as the platform itself) and signs them in. */
export async function signIn(
  app: TestApp,
  user: {
    email: string;
    role: string;
    scopeCode?: string | null;
    password?: string;
    name?: string;
    producerId?: string;
  },
): Promise<SignedInAgent> {
  const password = user.password ?? 'mat-khau-thu-nghiem';
  const producerId = user.role === 'producer' ? (user.producerId ?? (await createProducer(app)).id) : null;
  await app.identity
    .createUser({ actor: { type: 'system', label: 'test' } }, null, {
      email: user.email,
      name: user.name ?? user.email,
      role: user.role as never,
      scopeCode: user.scopeCode ?? null,
      producerId,
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
