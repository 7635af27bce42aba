/**
 * Real databases for integration tests, on both engines:
 * - PGlite always: each test database is loaded from a migrated, seeded template dump
 *   (building one from scratch costs ~5 s; loading the dump ~1 s);
 * - PostgreSQL when TEST_DATABASE_URL or DATABASE_URL is set: each test database is
 *   CREATE DATABASE … TEMPLATE of a migrated, seeded template.
 * `npm test` (scripts/test.ts) builds the templates once per run and passes them in the
 * environment; a test file run on its own builds them itself.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { createAdminUnitsModule } from '../../src/modules/admin-units/index.ts';
import { type Database, type Engine, openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

export const PGLITE_TEMPLATE_ENV = 'OCOP_TEST_PGLITE_TEMPLATE';
export const PGLITE_BLANK_ENV = 'OCOP_TEST_PGLITE_BLANK';
export const PG_TEMPLATE_ENV = 'OCOP_TEST_PG_TEMPLATE';

export function postgresUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** The engines this run tests on: PGlite always, PostgreSQL when a URL is given. */
export function testEngines(): Engine[] {
  return postgresUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

/** The URL of another database on the same server. */
export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const uniqueName = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

/** Migrates and seeds a database: the state every template holds. */
export async function prepare(database: Database): Promise<void> {
  await migrate(database);
  await createAdminUnitsModule(database).seed();
}

export async function buildPgliteTemplate(): Promise<{ migrated: Blob; blank: Blob }> {
  const database = await openDatabase({ engine: 'pglite' });
  try {
    const blank = await database.dump!();
    await prepare(database);
    return { migrated: await database.dump!(), blank };
  } finally {
    await database.close();
  }
}

export async function buildPostgresTemplate(): Promise<string> {
  const name = uniqueName('ocop_tpl');
  await adminQuery(`create database ${name}`);
  const database = await openDatabase({
    engine: 'postgres',
    url: databaseUrl(postgresUrl()!, name),
    poolSize: 2,
  });
  try {
    await prepare(database);
  } finally {
    await database.close();
  }
  return name;
}

export async function dropPostgresDatabase(name: string): Promise<void> {
  await adminQuery(`drop database if exists ${name} with (force)`);
}

let pgliteTemplates: Promise<{ migrated: Blob; blank: Blob }> | undefined;
let postgresTemplate: Promise<string> | undefined;

function pgliteTemplate(kind: 'migrated' | 'blank'): Promise<Blob> {
  const file = process.env[kind === 'migrated' ? PGLITE_TEMPLATE_ENV : PGLITE_BLANK_ENV];
  if (file) return Promise.resolve(new Blob([fs.readFileSync(file)]));
  pgliteTemplates ??= buildPgliteTemplate();
  return pgliteTemplates.then((templates) => templates[kind]);
}

export interface TestDatabase extends Database {
  /** PostgreSQL: the connection URL of this database. */
  url?: string;
  /** Closes and removes the database. */
  destroy(): Promise<void>;
}

/**
 * A database of its own for one test (or one read-only suite): migrated and seeded, or
 * `blank` (nothing applied, for migration tests).
 */
export async function freshDatabase(
  engine: Engine,
  options: { blank?: boolean } = {},
): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const database = await openDatabase({
      engine: 'pglite',
      loadDataDir: await pgliteTemplate(options.blank ? 'blank' : 'migrated'),
    });
    return { ...database, destroy: () => database.close() };
  }
  const base = postgresUrl();
  if (!base) throw new Error('PostgreSQL tests need TEST_DATABASE_URL or DATABASE_URL');
  const name = uniqueName('ocop_test');
  if (options.blank) {
    await adminQuery(`create database ${name}`);
  } else {
    postgresTemplate ??= process.env[PG_TEMPLATE_ENV] ? undefined : buildPostgresTemplate();
    const template = process.env[PG_TEMPLATE_ENV] ?? (await postgresTemplate!);
    await adminQuery(`create database ${name} template ${template}`);
  }
  const url = databaseUrl(base, name);
  const database = await openDatabase({ engine: 'postgres', url, poolSize: 4 });
  return {
    ...database,
    url,
    async destroy() {
      await database.close();
      await dropPostgresDatabase(name);
    },
  };
}

/** A template built by this process (test file run on its own) is dropped when it ends. */
export async function dropOwnTemplates(): Promise<void> {
  if (postgresTemplate && !process.env[PG_TEMPLATE_ENV]) await dropPostgresDatabase(await postgresTemplate);
}
