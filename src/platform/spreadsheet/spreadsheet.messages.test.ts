import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCatalogue } from '../i18n/index.ts';
import { platformMessages } from '../i18n/platform.messages.ts';
import { spreadsheetMessages } from './spreadsheet.messages.ts';

const dir = path.dirname(fileURLToPath(import.meta.url));
const sources = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
  .join('\n');

test('joins the platform catalogue without clashing keys, in both languages', () => {
  const catalogue = createCatalogue([platformMessages, spreadsheetMessages]);
  assert.deepEqual(Object.keys(spreadsheetMessages.en).sort(), Object.keys(spreadsheetMessages.vi).sort());
  const vi = catalogue.translator('vi');
  assert.equal(vi('errors.csv_malformed', { row: 7 }).startsWith('Tệp CSV bị lỗi từ dòng 7'), true);
});

test('every error code thrown here has a message', () => {
  const codes = [...sources.matchAll(/new DomainError\(\s*'([a-z_]+)'/g)].map((m) => m[1]!);
  assert.ok(codes.length >= 10);
  for (const code of new Set(codes)) assert.ok(`errors.${code}` in spreadsheetMessages.vi, code);
});

test('every validation rule of values.ts has a message, here or in the platform catalogue', () => {
  const catalogue = createCatalogue([platformMessages, spreadsheetMessages]);
  const rules = [...sources.matchAll(/fail\('([A-Za-z]+)'/g)].map((m) => m[1]!);
  assert.ok(rules.includes('date') && rules.includes('boolean'));
  for (const rule of new Set(rules)) assert.ok(catalogue.has(`validation.${rule}`), rule);
});

test('messages interpolate the params the errors carry', () => {
  const catalogue = createCatalogue([platformMessages, spreadsheetMessages]);
  for (const locale of ['vi', 'en'] as const) {
    const t = catalogue.translator(locale);
    const text = t('errors.spreadsheet_bad_header', { row: 3, column: 'C', header: 'Tên' });
    assert.match(text, /3/);
    assert.match(text, /\bC\b/);
    assert.doesNotMatch(t('errors.spreadsheet_merged_header', { cells: 'A1:C1' }), /\{/);
    assert.doesNotMatch(t('validation.dateRange', { min: '01/01/1900', max: '31/12/2100' }), /\{/);
  }
});
