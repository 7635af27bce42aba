import type { Kysely } from 'kysely';
import { LruCache } from '../../platform/cache.ts';
import type { DB } from '../../platform/db/schema.ts';
import { districtMerge, type Era, type Level, levelExistsInEra, levelOfCode } from './admin-code.ts';
import {
  findDistrictCommuneSuccessions,
  findLinksOf,
  findPredecessors,
  findSuccessors,
  findUnit,
  findUnits,
  findUnitsByCodes,
  type LinkedUnit,
  type UnitRow,
} from './admin-units.queries.ts';
import { adminUnitNotFound, levelNotInEra } from './errors.ts';

export interface AdminUnit {
  era: Era;
  code: string;
  level: Level;
  type: string;
  name: string;
  fullName: string;
  nameEn: string | null;
  fullNameEn: string | null;
  parentCode: string | null;
  provinceCode: string;
}

export interface LinkedAdminUnit extends AdminUnit {
  /** full: the whole old unit went into the new one; partial: only a part did. */
  merge: 'full' | 'partial';
  /** Agreement with the official NSO conversion table: yes, no:<codes>, or null (not comparable). */
  nsoAgrees: string | null;
}

export interface AdminUnitDetail extends AdminUnit {
  parent: AdminUnit | null;
  /** Pre-2025 units: the 2025 units that took them over. */
  successors?: LinkedAdminUnit[];
  /** 2025 units: the pre-2025 units they were formed from. */
  predecessors?: LinkedAdminUnit[];
}

export interface LookupResult {
  code: string;
  /** null when no unit of the era has this code. */
  unit: AdminUnitDetail | null;
}

export interface AdminUnitQuery {
  era: Era;
  level?: Level | undefined;
  parent?: string | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

export interface AdminUnitPage {
  items: AdminUnit[];
  total: number;
  limit: number;
  offset: number;
  /** True when nothing matched every word and the results are the closest spellings instead. */
  fuzzy: boolean;
}

function present(row: UnitRow): AdminUnit {
  return {
    era: row.era,
    code: row.code,
    level: row.level,
    type: row.type,
    name: row.name,
    fullName: row.full_name,
    nameEn: row.name_en,
    fullNameEn: row.full_name_en,
    parentCode: row.parent_code,
    provinceCode: row.province_code,
  };
}

function presentLinked(row: LinkedUnit): LinkedAdminUnit {
  return { ...present(row), merge: row.merge, nsoAgrees: row.nso_agrees };
}

/**
 * Reference data changes only when the seed loads new files (at start or by `ocop seed`), so
 * answers are cached in memory for a few minutes.
 */
const CACHE_ENTRIES = 2000;
const CACHE_TTL_MS = 5 * 60 * 1000;

export function createAdminUnitsService(db: Kysely<DB>) {
  const cache = new LruCache<unknown>(CACHE_ENTRIES, CACHE_TTL_MS);
  const cached = <T>(key: string, load: () => Promise<T>) => cache.getOrLoad(key, load) as Promise<T>;
  return {
    /** Forget cached answers (after loading new reference data). */
    clearCache: () => cache.clear(),
    list: (query: AdminUnitQuery): Promise<AdminUnitPage> =>
      cached(`list:${JSON.stringify(query)}`, () => listUnits(db, query)),
    get: (era: Era, code: string): Promise<AdminUnitDetail> =>
      cached(`get:${era}:${code}`, () => getUnit(db, era, code)),
    lookup: (era: Era, codes: string[]) => lookupUnits(db, era, codes),
  };
}

async function listUnits(db: Kysely<DB>, query: AdminUnitQuery): Promise<AdminUnitPage> {
  if (query.level && !levelExistsInEra(query.level, query.era)) throw levelNotInEra(query.level, query.era);
  const q = query.q?.trim().replace(/\s+/g, ' ') || undefined;
  const filter = {
    era: query.era,
    level: query.level,
    parent: query.parent,
    q,
    limit: query.limit,
    offset: query.offset,
  };
  let result = await findUnits(db, filter);
  let fuzzy = false;
  if (q && result.total === 0 && q.length >= 3) {
    result = await findUnits(db, { ...filter, fuzzy: true });
    fuzzy = true;
  }
  return {
    items: result.rows.map(present),
    total: result.total,
    limit: query.limit,
    offset: query.offset,
    fuzzy,
  };
}

async function getUnit(db: Kysely<DB>, era: Era, code: string): Promise<AdminUnitDetail> {
  const level = levelOfCode(code);
  const row = level && levelExistsInEra(level, era) ? await findUnit(db, era, code) : undefined;
  if (!row) throw adminUnitNotFound(era, code);
  const parentRow = row.parent_code ? await findUnit(db, era, row.parent_code) : undefined;
  const detail: AdminUnitDetail = { ...present(row), parent: parentRow ? present(parentRow) : null };
  if (era === '2025') {
    detail.predecessors = (await findPredecessors(db, code)).map(presentLinked);
  } else if (row.level === 'district') {
    detail.successors = await districtSuccessors(db, code);
  } else {
    detail.successors = (await findSuccessors(db, code)).map(presentLinked);
  }
  return detail;
}

/**
 * Many codes at once, in the order given (duplicates kept), for converting records keyed to
 * old units: each found unit comes with its successors (pre-2025) or predecessors (2025).
 */
async function lookupUnits(db: Kysely<DB>, era: Era, codes: string[]): Promise<LookupResult[]> {
  const rows = await findUnitsByCodes(db, era, [...new Set(codes)]);
  const parentCodes = [...new Set(rows.map((row) => row.parent_code).filter((c): c is string => c !== null))];
  const parents = new Map((await findUnitsByCodes(db, era, parentCodes)).map((row) => [row.code, row]));
  const links = await findLinksOf(
    db,
    era === '2025' ? 'new' : 'old',
    rows.map((row) => row.code),
  );
  const districts =
    era === 'pre2025'
      ? await districtsSuccessors(
          db,
          rows.filter((row) => row.level === 'district').map((row) => row.code),
        )
      : new Map<string, LinkedAdminUnit[]>();
  const linksByCode = new Map<string, typeof links>();
  for (const link of links)
    linksByCode.set(link.from_code, [...(linksByCode.get(link.from_code) ?? []), link]);
  const details = new Map<string, AdminUnitDetail>();
  for (const row of rows) {
    const parent = row.parent_code ? parents.get(row.parent_code) : undefined;
    const detail: AdminUnitDetail = { ...present(row), parent: parent ? present(parent) : null };
    const linked = (linksByCode.get(row.code) ?? []).map(presentLinked);
    if (era === '2025') detail.predecessors = linked;
    else if (row.level === 'district') detail.successors = districts.get(row.code) ?? [];
    else detail.successors = linked;
    details.set(row.code, detail);
  }
  return codes.map((code) => ({ code, unit: details.get(code) ?? null }));
}

/**
 * A district has no successor of its own (island districts aside): the 2025 communes that took
 * over its communes. Many districts in one query (bulk lookups).
 */
async function districtsSuccessors(db: Kysely<DB>, codes: string[]): Promise<Map<string, LinkedAdminUnit[]>> {
  const result = new Map<string, LinkedAdminUnit[]>();
  const direct = await findLinksOf(db, 'old', codes);
  for (const link of direct)
    result.set(link.from_code, [...(result.get(link.from_code) ?? []), presentLinked(link)]);
  const rows = await findDistrictCommuneSuccessions(
    db,
    codes.filter((code) => !result.has(code)),
  );
  const byDistrict = new Map<string, typeof rows>();
  for (const row of rows)
    byDistrict.set(row.district_code, [...(byDistrict.get(row.district_code) ?? []), row]);
  for (const [district, districtRows] of byDistrict) {
    const links = districtRows.map((row) => ({
      oldCode: row.old_code,
      newCode: row.new_code,
      merge: row.merge,
    }));
    const units = new Map<string, UnitRow>();
    for (const row of districtRows) units.set(row.new_code, row.unit);
    result.set(
      district,
      [...units.values()].map((unit) => ({
        ...present(unit),
        merge: districtMerge(links, unit.code),
        nsoAgrees: null,
      })),
    );
  }
  return result;
}

async function districtSuccessors(db: Kysely<DB>, code: string): Promise<LinkedAdminUnit[]> {
  return (await districtsSuccessors(db, [code])).get(code) ?? [];
}

export type AdminUnitsService = ReturnType<typeof createAdminUnitsService>;
