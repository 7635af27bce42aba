import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { projectRoot } from '../paths.ts';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = path.join(projectRoot, 'db', 'migrations');

export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const FILE_NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

/** The migration files, in order. Forward-only: a file once applied must never change. */
export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      if (!FILE_NAME.test(name)) {
        throw new MigrationError(`Migration file name "${name}" must look like 0001_what_it_does.sql`);
      }
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

const BOOKKEEPING = [
  'create schema if not exists platform',
  `create table if not exists platform.schema_migration (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`,
];

async function appliedMigrations(database: Database): Promise<Map<string, string>> {
  const exists = await sql<{ present: boolean }>`
    select to_regclass('platform.schema_migration') is not null as present`.execute(database.db);
  if (!exists.rows[0]?.present) return new Map();
  const rows = await database.db
    .selectFrom('platform.schema_migration')
    .select(['name', 'checksum'])
    .orderBy('name')
    .execute();
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

function compare(files: MigrationFile[], applied: Map<string, string>): MigrationStatus {
  for (const file of files) {
    const checksum = applied.get(file.name);
    if (checksum !== undefined && checksum !== file.checksum) {
      throw new MigrationError(
        `Migration ${file.name} was changed after it was applied; migrations are forward-only, add a new file instead`,
      );
    }
  }
  const known = new Set(files.map((f) => f.name));
  const unknown = [...applied.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new MigrationError(
      `The database has migrations this version does not know (${unknown.join(', ')}); it was migrated by a newer version`,
    );
  }
  return {
    applied: files.filter((f) => applied.has(f.name)).map((f) => f.name),
    pending: files.filter((f) => !applied.has(f.name)).map((f) => f.name),
  };
}

export async function migrationStatus(
  database: Database,
  files = readMigrationFiles(),
): Promise<MigrationStatus> {
  return compare(files, await appliedMigrations(database));
}

/**
 * Applies every pending migration, each in its own transaction, under a lock so that two
 * processes starting together do not both migrate. Returns the names applied now.
 */
export async function migrate(database: Database, files = readMigrationFiles()): Promise<string[]> {
  return database.withMigrationLock(async () => {
    for (const statement of BOOKKEEPING) await sql.raw(statement).execute(database.db);
    // Read again under the lock: another process may have migrated while we waited.
    const { pending } = compare(files, await appliedMigrations(database));
    const done: string[] = [];
    for (const name of pending) {
      const file = files.find((f) => f.name === name)!;
      try {
        await database.execScript(file.sql, {
          sql: 'insert into platform.schema_migration (name, checksum) values ($1, $2)',
          params: [file.name, file.checksum],
        });
      } catch (error) {
        throw new MigrationError(
          `Migration ${file.name} failed and was rolled back: ${(error as Error).message}`,
        );
      }
      done.push(name);
    }
    return done;
  });
}
