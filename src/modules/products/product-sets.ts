/**
 * The 26 product sets of Quyết định 26/2026/QĐ-TTg and the sector (ngành), group (nhóm) and
 * subgroup (phân nhóm) each belongs to, read from the official criteria data
 * (data/criteria/26-2026, one form per set). A product names its set; the rest follows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../platform/paths.ts';

export interface ProductSet {
  set: number;
  name: string;
  sector: string;
  group: string;
  subgroup: string | null;
}

interface FormFile {
  officialNumber: number;
  name: string;
  classification: { nganh: string; nhom: string; phanNhom: string | null };
}

export const CRITERIA_DIR = path.join(projectRoot, 'data', 'criteria', '26-2026');

function load(): ProductSet[] {
  const index = JSON.parse(fs.readFileSync(path.join(CRITERIA_DIR, 'index.json'), 'utf8')) as {
    sets: { set: string; file: string }[];
  };
  return index.sets.map((entry) => {
    const form = JSON.parse(fs.readFileSync(path.join(CRITERIA_DIR, entry.file), 'utf8')) as FormFile;
    return {
      set: form.officialNumber,
      name: form.name,
      sector: form.classification.nganh,
      group: form.classification.nhom,
      subgroup: form.classification.phanNhom,
    };
  });
}

export const PRODUCT_SETS: readonly ProductSet[] = Object.freeze(load());
const BY_NUMBER = new Map(PRODUCT_SETS.map((s) => [s.set, s]));

export function productSet(set: number): ProductSet | undefined {
  return BY_NUMBER.get(set);
}

/** Set 26: community tourism services (no samples, no label, no food-safety papers). */
export const TOURISM_SET = 26;
