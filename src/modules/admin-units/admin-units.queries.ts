import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Era, Level } from './admin-code.ts';

/** The only code that reads or writes the tables of schema admin_units. */

export interface UnitRow {
  era: Era;
  code: string;
  level: Level;
  type: string;
  name: string;
  full_name: string;
  name_en: string | null;
  full_name_en: string | null;
  parent_code: string | null;
  province_code: string;
}

export interface SuccessionRow {
  old_code: string;
  new_code: string;
  merge: 'full' | 'partial';
  nso_agrees: string | null;
}

const UNIT_COLUMNS = [
  'era',
  'code',
  'level',
  'type',
  'name',
  'full_name',
  'name_en',
  'full_name_en',
  'parent_code',
  'province_code',
] as const;

const LEVEL_ORDER = sql<number>`case level when 'province' then 0 when 'district' then 1 else 2 end`;

export interface UnitFilter {
  era: Era;
  level?: Level | undefined;
  /** A province code (2 digits) or, before 2025, a district code (3 digits). */
  parent?: string | undefined;
  q?: string | undefined;
  /** Match by trigram similarity instead of every word (for misspelt names). */
  fuzzy?: boolean;
  limit: number;
  offset: number;
}

export async function findUnits(
  db: Kysely<DB>,
  filter: UnitFilter,
): Promise<{ rows: UnitRow[]; total: number }> {
  let query = db.selectFrom('admin_units.unit').where('era', '=', filter.era);
  if (filter.level) query = query.where('level', '=', filter.level);
  if (filter.parent) {
    query =
      filter.parent.length === 2
        ? query.where('province_code', '=', filter.parent).where('level', '!=', 'province')
        : query.where('parent_code', '=', filter.parent);
  }
  const needle = filter.q ? sql<string>`platform.search_text(${filter.q})` : undefined;
  if (needle && filter.fuzzy) {
    query = query.where(sql<boolean>`word_similarity(${needle}, search_text) >= 0.5`);
  } else if (needle) {
    // Every word must appear (diacritics and case ignored), so "ca mau" finds "Cà Mau" and
    // "xa khanh an" finds "Xã Khánh An"; results closest to the whole query come first.
    for (const word of filter.q!.split(/\s+/).filter(Boolean)) {
      query = query.where(
        sql<boolean>`search_text like '%' || replace(replace(replace(platform.search_text(${word}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`,
      );
    }
  }
  const counted = await query.select(sql<number>`count(*)`.as('total')).executeTakeFirst();
  let rows = query.select(UNIT_COLUMNS);
  if (needle) {
    rows = rows
      .orderBy(sql`platform.search_text(name) = ${needle}`, 'desc')
      .orderBy(sql`word_similarity(${needle}, search_text)`, 'desc')
      .orderBy(sql`similarity(search_text, ${needle})`, 'desc');
  }
  const result = await rows
    .orderBy(LEVEL_ORDER)
    .orderBy('code')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { rows: result as UnitRow[], total: counted?.total ?? 0 };
}

export async function findUnit(db: Kysely<DB>, era: Era, code: string): Promise<UnitRow | undefined> {
  const row = await db
    .selectFrom('admin_units.unit')
    .select(UNIT_COLUMNS)
    .where('era', '=', era)
    .where('code', '=', code)
    .executeTakeFirst();
  return row as UnitRow | undefined;
}

export interface LinkedUnit extends UnitRow {
  merge: 'full' | 'partial';
  nso_agrees: string | null;
}

export async function findUnitsByCodes(db: Kysely<DB>, era: Era, codes: string[]): Promise<UnitRow[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('admin_units.unit')
    .select(UNIT_COLUMNS)
    .where('era', '=', era)
    .where('code', 'in', codes)
    .execute();
  return rows as UnitRow[];
}

/** Successors (from the old side) or predecessors (from the new side) of many units at once. */
export async function findLinksOf(
  db: Kysely<DB>,
  side: 'old' | 'new',
  codes: string[],
): Promise<(LinkedUnit & { from_code: string })[]> {
  if (codes.length === 0) return [];
  const [from, to] = side === 'old' ? (['old', 'new'] as const) : (['new', 'old'] as const);
  const rows = await db
    .selectFrom('admin_units.succession as s')
    .innerJoin('admin_units.unit as u', (join) =>
      join.onRef('u.era', '=', `s.${to}_era`).onRef('u.code', '=', `s.${to}_code`),
    )
    .select(UNIT_COLUMNS.map((column) => `u.${column}` as const))
    .select(['s.merge', 's.nso_agrees', `s.${from}_code as from_code`])
    .where(`s.${from}_code`, 'in', codes)
    .orderBy('u.code')
    .execute();
  return rows as (LinkedUnit & { from_code: string })[];
}

/** The 2025 units that took over a pre-2025 province, commune or island district. */
export async function findSuccessors(db: Kysely<DB>, oldCode: string): Promise<LinkedUnit[]> {
  const rows = await db
    .selectFrom('admin_units.succession as s')
    .innerJoin('admin_units.unit as u', (join) =>
      join.onRef('u.era', '=', 's.new_era').onRef('u.code', '=', 's.new_code'),
    )
    .select(UNIT_COLUMNS.map((column) => `u.${column}` as const))
    .select(['s.merge', 's.nso_agrees'])
    .where('s.old_code', '=', oldCode)
    .orderBy('u.code')
    .execute();
  return rows as LinkedUnit[];
}

/** The pre-2025 units a 2025 province or commune was formed from. */
export async function findPredecessors(db: Kysely<DB>, newCode: string): Promise<LinkedUnit[]> {
  const rows = await db
    .selectFrom('admin_units.succession as s')
    .innerJoin('admin_units.unit as u', (join) =>
      join.onRef('u.era', '=', 's.old_era').onRef('u.code', '=', 's.old_code'),
    )
    .select(UNIT_COLUMNS.map((column) => `u.${column}` as const))
    .select(['s.merge', 's.nso_agrees'])
    .where('s.new_code', '=', newCode)
    .orderBy('u.code')
    .execute();
  return rows as LinkedUnit[];
}

/** Succession rows of every commune of a pre-2025 district, with the new communes' data. */
export async function findDistrictCommuneSuccessions(
  db: Kysely<DB>,
  districtCodes: string[],
): Promise<(SuccessionRow & { district_code: string; unit: UnitRow })[]> {
  if (districtCodes.length === 0) return [];
  const rows = await db
    .selectFrom('admin_units.unit as old')
    .innerJoin('admin_units.succession as s', (join) =>
      join.onRef('s.old_era', '=', 'old.era').onRef('s.old_code', '=', 'old.code'),
    )
    .innerJoin('admin_units.unit as u', (join) =>
      join.onRef('u.era', '=', 's.new_era').onRef('u.code', '=', 's.new_code'),
    )
    .select(UNIT_COLUMNS.map((column) => `u.${column}` as const))
    .select(['s.old_code', 's.new_code', 's.merge', 's.nso_agrees', 'old.parent_code as district_code'])
    .where('old.era', '=', 'pre2025')
    .where('old.parent_code', 'in', districtCodes)
    .orderBy('u.code')
    .execute();
  return rows.map((row) => {
    const { old_code, new_code, merge, nso_agrees, district_code, ...unit } = row;
    return { old_code, new_code, merge, nso_agrees, district_code, unit } as SuccessionRow & {
      district_code: string;
      unit: UnitRow;
    };
  });
}

// --- seed ---------------------------------------------------------------------------------

export async function loadedChecksum(db: Kysely<DB>, dataset: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('admin_units.seed_state')
    .select('checksum')
    .where('dataset', '=', dataset)
    .executeTakeFirst();
  return row?.checksum;
}

/**
 * All rows in one statement: the rows travel as one JSON parameter and are unpacked with
 * jsonb_to_recordset, which is far faster than thousands of bound parameters (both engines).
 */
export async function upsertUnits(trx: Transaction<DB>, units: UnitRow[]): Promise<void> {
  await sql`
    insert into admin_units.unit
      (era, code, level, type, name, full_name, name_en, full_name_en, parent_code, province_code, search_text)
    select era, code, level, type, name, full_name, name_en, full_name_en, parent_code, province_code,
           platform.search_text(full_name || ' ' || name)
      from jsonb_to_recordset(${JSON.stringify(units)}::jsonb) as x(
        era text, code text, level text, type text, name text, full_name text, name_en text,
        full_name_en text, parent_code text, province_code text)
     order by length(code), code
    on conflict (era, code) do update set
      level = excluded.level, type = excluded.type, name = excluded.name, full_name = excluded.full_name,
      name_en = excluded.name_en, full_name_en = excluded.full_name_en, parent_code = excluded.parent_code,
      province_code = excluded.province_code, search_text = excluded.search_text`.execute(trx);
}

export async function replaceSuccessions(trx: Transaction<DB>, rows: SuccessionRow[]): Promise<void> {
  await trx.deleteFrom('admin_units.succession').execute();
  await sql`
    insert into admin_units.succession (old_code, new_code, merge, nso_agrees)
    select old_code, new_code, merge, nso_agrees
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(old_code text, new_code text, merge text, nso_agrees text)`.execute(trx);
}

/** Fresh statistics after a bulk load, so the planner picks the indexes at once. */
export async function analyzeTables(db: Kysely<DB>): Promise<void> {
  await sql`analyze admin_units.unit, admin_units.succession`.execute(db);
}

export async function recordSeed(trx: Transaction<DB>, dataset: string, checksum: string): Promise<void> {
  await trx
    .insertInto('admin_units.seed_state')
    .values({ dataset, checksum })
    .onConflict((conflict) => conflict.column('dataset').doUpdateSet({ checksum, loaded_at: sql`now()` }))
    .execute();
}

export async function countUnits(db: Kysely<DB>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('admin_units.unit')
    .select(['era', 'level', sql<number>`count(*)`.as('count')])
    .groupBy(['era', 'level'])
    .execute();
  return Object.fromEntries(rows.map((row) => [`${row.era}.${row.level}`, row.count]));
}
