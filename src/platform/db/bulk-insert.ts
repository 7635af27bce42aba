/**
 * Bulk INSERT of many rows as multi-row statements compiled directly: Kysely's `values()` builds
 * and compiles a node per value (5–14 ms for 1,000 rows of 18 columns), which is most of what a
 * bulk capture spends beyond the database's own work. Values are always parameters.
 */
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/**
 * PostgreSQL takes at most 65,535 parameters in a statement, and PGlite's protocol parser reads
 * their count as a signed 16-bit integer (more than 32,767 break it): rows go in chunks below that.
 */
export const MAX_PARAMETERS = 30_000;

function chunks<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const quoted = (name: string) => {
  if (!IDENTIFIER.test(name)) throw new Error(`insertRows: not a plain SQL name: ${name}`);
  return `"${name}"`;
};

/**
 * Inserts `rows` (each with every one of `columns`) into `table` in as few statements as the
 * parameter limit allows; returns the `returning` column of each row, in order.
 */
export async function insertRows<T extends keyof DB & string, C extends keyof DB[T] & string>(
  db: Kysely<DB>,
  table: T,
  columns: readonly C[],
  rows: readonly Pick<Insertable<DB[T]>, C & keyof Insertable<DB[T]>>[],
  returning?: keyof DB[T] & string,
): Promise<unknown[]> {
  const [schema, name] = table.includes('.') ? table.split('.') : ['public', table];
  const target = `${quoted(schema!)}.${quoted(name!)}`;
  const columnList = columns.map(quoted).join(', ');
  const out: unknown[] = [];
  for (const part of chunks([...rows], columns.length)) {
    const params: unknown[] = [];
    let values = '';
    for (const row of part) {
      values += values ? ',(' : '(';
      for (let c = 0; c < columns.length; c++) {
        params.push((row as Record<string, unknown>)[columns[c]!] ?? null);
        values += c === 0 ? `$${params.length}` : `,$${params.length}`;
      }
      values += ')';
    }
    const query = CompiledQuery.raw(
      `insert into ${target} (${columnList}) values ${values}${returning ? ` returning ${quoted(returning)}` : ''}`,
      params,
    );
    const result = await db.executeQuery<Record<string, unknown>>(query);
    if (returning) for (const r of result.rows) out.push(r[returning]);
  }
  return out;
}
