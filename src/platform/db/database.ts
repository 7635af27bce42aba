import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

export type DatabaseTarget =
  /** Embedded PGlite; `dataDir` unset means in memory. `loadDataDir` starts from a dump. */
  | { engine: 'pglite'; dataDir?: string; loadDataDir?: Blob }
  | { engine: 'postgres'; url: string; poolSize?: number };

export interface Database {
  engine: Engine;
  db: Kysely<DB>;
  /** Where the data lives, safe to log (no password). */
  location: string;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (tests use it as a template). */
  dump?(): Promise<Blob>;
  /**
   * Runs a multi-statement SQL script, then `record` (one parameterised statement), in one
   * transaction: both happen or neither. Used by the migrator.
   */
  execScript(script: string, record: { sql: string; params: unknown[] }): Promise<void>;
  /** Runs `fn` while holding the cluster-wide migration lock, so two processes never migrate at once. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
}

/** Advisory lock key for migrations: the bytes of 'ocopmigr' as a bigint. */
const MIGRATION_LOCK_KEY = '8026381489567000434';

/** The database could not be opened or reached; the message says why in plain words. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

// Same value shapes on both engines: int8 (counts) as number, date as 'YYYY-MM-DD'.
const INT8 = 20;
const DATE = 1082;
const parseInt8 = (value: string) => Number(value);
const keepText = (value: string) => value;

export const PGLITE_EXTENSIONS = { citext, pg_trgm, pgcrypto, unaccent };

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.engine === 'pglite' ? openPglite(target) : openPostgres(target.url, target.poolSize);
}

async function openPglite(target: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  let releaseLock = () => {};
  let dataPath: string | undefined;
  if (target.dataDir) {
    dataPath = path.join(target.dataDir, 'pglite');
    try {
      fs.mkdirSync(dataPath, { recursive: true });
    } catch (error) {
      throw new DatabaseUnavailableError(
        `Cannot create the embedded database folder ${dataPath} (${(error as NodeJS.ErrnoException).code}); check OCOP_DATA_DIR`,
      );
    }
    releaseLock = lockDataDir(target.dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(dataPath ? { dataDir: dataPath } : {}),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
      extensions: PGLITE_EXTENSIONS,
      parsers: { [INT8]: parseInt8, [DATE]: keepText },
    });
  } catch (error) {
    releaseLock();
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database in ${dataPath ?? 'memory'}: ${(error as Error).message}`,
    );
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  return {
    engine: 'pglite',
    db,
    location: dataPath ?? 'memory',
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      try {
        await db.destroy();
      } finally {
        releaseLock();
      }
    },
    dump: () => client.dumpDataDir('gzip'),
    async execScript(script, record) {
      await client.transaction(async (tx) => {
        await tx.exec(script);
        await tx.query(record.sql, record.params);
      });
    },
    // The lock file already keeps other processes out of this data directory.
    withMigrationLock: (fn) => fn(),
  };
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return parseInt8;
        if (oid === DATE) return keepText;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its server must not crash the process: idle clients report through the pool,
  // checked-out clients also emit 'error' (their queries reject with it). The pool replaces them.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const location = redactUrl(url);
  const ping = async () => {
    await sql`select 1`.execute(db);
  };
  try {
    await ping();
  } catch (error) {
    await db.destroy().catch(() => {});
    const { code, message } = error as { code?: string; message?: string };
    const reason = [message, code && !message?.includes(code) ? `(${code})` : ''].filter(Boolean).join(' ');
    throw new DatabaseUnavailableError(`Cannot reach PostgreSQL at ${location}: ${reason || 'no answer'}`);
  }
  return {
    engine: 'postgres',
    db,
    location,
    ping,
    close: () => db.destroy(),
    async execScript(script, record) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(script);
        await client.query(record.sql, record.params);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async withMigrationLock(fn) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same files would corrupt them.
 * A lock file with our pid keeps a second platform (or `ocop migrate`) out while one runs.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseUnavailableError(
          `The embedded database in ${dataDir} is in use by process ${holder}; stop it first (or set OCOP_DATA_DIR to another folder)`,
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale lock from a process that died
    }
  }
  throw new DatabaseUnavailableError(`Cannot lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Fresh statistics and a tidy index after bulk writes (imports, demo data). PostgreSQL's
 * autovacuum does this by itself; PGlite has none, and without it the planner stopped using the
 * registry's indexes (measured: typo searches 277 ms instead of a few). Table names come from
 * the calling module, never from input.
 */
export async function vacuumAnalyze(database: Database, tables: string[]): Promise<void> {
  if (database.engine !== 'pglite') return;
  for (const table of tables) {
    if (!/^[a-z_]+\.[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    await sql.raw(`vacuum analyze ${table}`).execute(database.db);
  }
}
