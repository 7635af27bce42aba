import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { audit } from '../../platform/audit.ts';
import type { Database } from '../../platform/db/database.ts';
import { referenceDataPath } from '../../platform/paths.ts';
import type { Era } from './admin-code.ts';
import {
  analyzeTables,
  countUnits,
  loadedChecksum,
  recordSeed,
  replaceSuccessions,
  type SuccessionRow,
  type UnitRow,
  upsertUnits,
} from './admin-units.queries.ts';

/** Bump when the way files become rows changes, so existing databases reload. */
const SEED_FORMAT = 1;
const DATASET = 'admin-units';

const FILES = {
  provinces2025: 'current-2025/provinces.json',
  communes2025: 'current-2025/wards.json',
  provincesPre: 'pre-2025/provinces.json',
  districtsPre: 'pre-2025/districts.json',
  communesPre: 'pre-2025/wards.json',
  communeMapping: 'mapping-2025/ward-old-to-new.csv',
  provinceMapping: 'mapping-2025/province-old-to-new.csv',
} as const;

interface SourceUnit {
  code: string;
  name: string;
  fullName: string;
  nameEn?: string;
  fullNameEn?: string;
  type: string;
  provinceCode?: string;
  districtCode?: string;
}

export class SeedDataError extends Error {
  override name = 'SeedDataError';
}

function readFile(name: string): Buffer {
  return fs.readFileSync(referenceDataPath('admin-units', name));
}

function parseJson(name: string, bytes: Buffer): SourceUnit[] {
  const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
  if (!Array.isArray(parsed)) throw new SeedDataError(`${name} must hold a JSON array`);
  return parsed as SourceUnit[];
}

/** A small CSV reader for the mapping files (comma-separated, optional double quotes). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...data] = rows.filter((r) => r.length > 1 || r[0] !== '');
  if (!header) return [];
  return data.map((values) => Object.fromEntries(header.map((name, i) => [name, values[i] ?? ''])));
}

function unit(
  era: Era,
  level: UnitRow['level'],
  source: SourceUnit,
  parent: string | null,
  province: string,
): UnitRow {
  return {
    era,
    code: source.code,
    level,
    type: source.type,
    name: source.name,
    full_name: source.fullName,
    name_en: source.nameEn ?? null,
    full_name_en: source.fullNameEn ?? null,
    parent_code: parent,
    province_code: province,
  };
}

/** Turns the reference files into rows; throws SeedDataError on anything inconsistent. */
export function buildRows(files: Record<keyof typeof FILES, Buffer>): {
  units: UnitRow[];
  successions: SuccessionRow[];
} {
  const units: UnitRow[] = [];
  for (const p of parseJson(FILES.provinces2025, files.provinces2025))
    units.push(unit('2025', 'province', p, null, p.code));
  for (const c of parseJson(FILES.communes2025, files.communes2025)) {
    if (!c.provinceCode) throw new SeedDataError(`2025 commune ${c.code} has no provinceCode`);
    units.push(unit('2025', 'commune', c, c.provinceCode, c.provinceCode));
  }
  for (const p of parseJson(FILES.provincesPre, files.provincesPre))
    units.push(unit('pre2025', 'province', p, null, p.code));
  for (const d of parseJson(FILES.districtsPre, files.districtsPre)) {
    if (!d.provinceCode) throw new SeedDataError(`pre-2025 district ${d.code} has no provinceCode`);
    units.push(unit('pre2025', 'district', d, d.provinceCode, d.provinceCode));
  }
  for (const c of parseJson(FILES.communesPre, files.communesPre)) {
    if (!c.provinceCode || !c.districtCode)
      throw new SeedDataError(`pre-2025 commune ${c.code} has no district`);
    units.push(unit('pre2025', 'commune', c, c.districtCode, c.provinceCode));
  }

  const successions: SuccessionRow[] = [];
  for (const row of parseCsv(files.communeMapping.toString('utf8'))) {
    // Island districts without communes carry their district code instead of a commune code.
    const oldCode = row.oldWardCode || row.oldDistrictCode;
    const merge = row.merge;
    if (!oldCode || !row.newWardCode || (merge !== 'full' && merge !== 'partial')) {
      throw new SeedDataError(`Bad row in ${FILES.communeMapping}: ${JSON.stringify(row)}`);
    }
    successions.push({
      old_code: oldCode,
      new_code: row.newWardCode,
      merge,
      nso_agrees: row.nsoAgrees || null,
    });
  }
  for (const row of parseCsv(files.provinceMapping.toString('utf8'))) {
    if (!row.oldProvinceCode || !row.newProvinceCode) {
      throw new SeedDataError(`Bad row in ${FILES.provinceMapping}: ${JSON.stringify(row)}`);
    }
    // Provinces merged whole: each old province lies entirely within one new province.
    successions.push({
      old_code: row.oldProvinceCode,
      new_code: row.newProvinceCode,
      merge: 'full',
      nso_agrees: null,
    });
  }
  return { units, successions };
}

export interface SeedResult {
  loaded: boolean;
  counts: Record<string, number>;
}

/**
 * Loads the administrative units into the database. Idempotent: when the files are the ones
 * already loaded it does nothing; otherwise it upserts every unit and replaces the succession,
 * all in one transaction.
 */
export async function seedAdminUnits(
  database: Database,
  options: { force?: boolean } = {},
): Promise<SeedResult> {
  const files = Object.fromEntries(
    Object.entries(FILES).map(([key, name]) => [key, readFile(name)]),
  ) as Record<keyof typeof FILES, Buffer>;
  const hash = createHash('sha256').update(`format ${SEED_FORMAT}\n`);
  for (const key of Object.keys(FILES) as (keyof typeof FILES)[]) hash.update(files[key]);
  const checksum = hash.digest('hex');

  const previous = await loadedChecksum(database.db, DATASET);
  if (!options.force && previous === checksum) {
    return { loaded: false, counts: await countUnits(database.db) };
  }
  const { units, successions } = buildRows(files);
  await database.db.transaction().execute(async (trx) => {
    await upsertUnits(trx, units);
    await replaceSuccessions(trx, successions);
    await recordSeed(trx, DATASET, checksum);
    await audit(
      trx,
      { actor: { type: 'system', label: 'seed' } },
      {
        action: 'reference_data.load',
        entityType: 'dataset',
        entityId: DATASET,
        before: { checksum: previous ?? null },
        after: { checksum, units: units.length, successions: successions.length },
      },
    );
  });
  await analyzeTables(database.db);
  return { loaded: true, counts: await countUnits(database.db) };
}
