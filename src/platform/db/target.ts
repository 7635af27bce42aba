import type { Config } from '../config.ts';
import type { DatabaseTarget } from './database.ts';

/** DATABASE_URL set → PostgreSQL; unset → PGlite in OCOP_DATA_DIR. */
export function databaseTarget(config: Pick<Config, 'databaseUrl' | 'dataDir'>): DatabaseTarget {
  return config.databaseUrl
    ? { engine: 'postgres', url: config.databaseUrl }
    : { engine: 'pglite', dataDir: config.dataDir };
}
