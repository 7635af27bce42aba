/**
 * Checks data/demo/ca-mau.json (DEMO data built by data/demo/build.py from press-report research notes)
 * against the project's administrative-unit files. Run:
 *   node --import tsx --test scripts/demo-data.test.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.join(import.meta.dirname, '..');
const readJson = <T>(rel: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as T;

interface Producer {
  key: string;
  legalName: string;
  legalType: string;
  address: string | null;
  oldCommuneCode: string | null;
  communeCode: string;
  communeConfidence: string;
  representative: string | null;
  phone: string | null;
}
interface Product {
  name: string;
  producerKey: string;
  productSet: number;
  stars: number;
  year: number | null;
  source: string;
  note: string | null;
}
interface DemoData {
  demo: boolean;
  source: string;
  compiledOn: string;
  provinceCode: string;
  producers: Producer[];
  products: Product[];
  totals: Record<string, unknown>[];
}
interface Ward {
  code: string;
  provinceCode: string;
}

const data = readJson<DemoData>('data/demo/ca-mau.json');
const current = readJson<Ward[]>('data/admin-units/current-2025/wards.json');
const pre2025 = readJson<Ward[]>('data/admin-units/pre-2025/wards.json');

// The notes number 73 product rows. Counting products, not rows:
//  - rows 1-62 and 64-66 that carry a star rating: rows 51, 63 and 64 hold 2, 12 and 3 products;
//  - rows 25, 42, 43, 44, 45 are the 2021 ratings of rows 13, 6, 5, 7, 9, and the "Tôm khô" of row 51 is
//    taken as the earlier rating of row 14, so they are merged (history in `note`);
//  - row 67 names 6 of its 7 salt products; muối tinh and muối hạt are merged into rows 1 and 2, leaving
//    4 new ones; the 7th is unnamed and rows 68-73 state no rating, so they are left out.
// 2 (A) + 18 (B) + 21 (C) + 5 (D) + 11 (E 2020) + 17 (E later round) + 4 (salt) = 78.
const EXPECTED_PRODUCTS = 78;

test('the file is marked as demo data for province 96', () => {
  assert.equal(data.demo, true);
  assert.equal(data.provinceCode, '96');
  assert.match(data.compiledOn, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(data.source.length > 0);
  assert.ok(data.totals.length > 0);
});

test('every communeCode is a 2025 commune of province 96', () => {
  const codes = new Set(current.filter((w) => w.provinceCode === '96').map((w) => w.code));
  for (const p of data.producers) {
    assert.match(p.communeCode, /^\d{5}$/, p.key);
    assert.ok(codes.has(p.communeCode), `${p.key}: ${p.communeCode} is not a commune of province 96`);
  }
});

test('every oldCommuneCode is a pre-2025 commune of old Cà Mau (96) or Bạc Liêu (95)', () => {
  const codes = new Map(pre2025.map((w) => [w.code, w.provinceCode]));
  for (const p of data.producers) {
    if (p.oldCommuneCode === null) continue;
    const province = codes.get(p.oldCommuneCode);
    assert.ok(province !== undefined, `${p.key}: ${p.oldCommuneCode} is not a pre-2025 commune`);
    assert.ok(
      province === '95' || province === '96',
      `${p.key}: ${p.oldCommuneCode} is in province ${province}`,
    );
  }
});

test('producers have unique keys and names and valid enums', () => {
  const keys = data.producers.map((p) => p.key);
  assert.equal(new Set(keys).size, keys.length, 'duplicate producer key');
  const names = data.producers.map((p) => p.legalName);
  assert.equal(new Set(names).size, names.length, 'duplicate legal name');
  const types = [
    'cooperative',
    'cooperative_group',
    'enterprise',
    'farm',
    'household',
    'association',
    'operating_centre',
  ];
  for (const p of data.producers) {
    assert.match(p.key, /^[a-z0-9]+(-[a-z0-9]+)*$/, p.key);
    assert.ok(types.includes(p.legalType), `${p.key}: ${p.legalType}`);
    assert.ok(
      ['exact', 'partial', 'guess'].includes(p.communeConfidence),
      `${p.key}: ${p.communeConfidence}`,
    );
    // A guess means only a district/town (or province) was known, so there is no old commune to cite.
    assert.equal(p.communeConfidence === 'guess', p.oldCommuneCode === null, p.key);
  }
});

test('every product points at a producer, has a set 1..26 and 3..5 stars', () => {
  const keys = new Set(data.producers.map((p) => p.key));
  const seen = new Set<string>();
  for (const r of data.products) {
    assert.ok(keys.has(r.producerKey), `${r.name}: unknown producer ${r.producerKey}`);
    assert.ok(Number.isInteger(r.productSet) && r.productSet >= 1 && r.productSet <= 26, `${r.name}: set`);
    assert.ok(Number.isInteger(r.stars) && r.stars >= 3 && r.stars <= 5, `${r.name}: stars`);
    assert.ok(r.year === null || (Number.isInteger(r.year) && r.year >= 2019 && r.year <= 2026), r.name);
    assert.ok(r.source.length > 0, `${r.name}: source`);
    const id = `${r.producerKey}/${r.name}`;
    assert.ok(!seen.has(id), `duplicate product ${id}`);
    seen.add(id);
  }
  const used = new Set(data.products.map((r) => r.producerKey));
  assert.deepEqual(
    [...keys].filter((k) => !used.has(k)),
    [],
    'producers without products',
  );
});

test('the product count matches the rated product rows of the notes', () => {
  assert.equal(data.products.length, EXPECTED_PRODUCTS);
});
