/**
 * Every message the code asks for exists in both languages: the literal keys in the source, every
 * error code thrown, every validation rule, and the keys built from the domain's lists (statuses,
 * document kinds, legal forms…). A missing key would show as "dossiers.item.x" on a page.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { catalogue } from '../src/app.ts';
import { LEGAL_TYPES, SALES_CHANNEL_KINDS } from '../src/modules/producers/index.ts';
import {
  AREA_CERTIFICATION_KINDS,
  QUALITY_CERTIFICATE_KINDS,
} from '../src/modules/producers/producer-rules.ts';
import {
  COMMUNE_ITEMS,
  DOCUMENT_KINDS,
  DOSSIER_KINDS,
  PRODUCT_DOCUMENT_KINDS,
} from '../src/modules/products/dossier-checklist.ts';
import { DOSSIER_ACTIONS, DOSSIER_STATUSES } from '../src/modules/products/dossier-states.ts';
import { IMPORT_FIELDS, IMPORT_TARGETS } from '../src/modules/products/import-columns.ts';
import { PRODUCT_STATUSES } from '../src/modules/products/products.service.ts';
import { projectRoot } from '../src/platform/paths.ts';

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) sources(rel, out);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(rel);
  }
  return out;
}
const code = sources('src').map((file) => fs.readFileSync(path.join(projectRoot, file), 'utf8'));
const all = (pattern: RegExp) => [
  ...new Set(code.flatMap((text) => [...text.matchAll(pattern)].map((m) => m[1]!))),
];
const missing = (keys: string[]) => keys.filter((key) => !catalogue.has(key)).sort();

test('every literal message key in the source exists', () => {
  assert.deepEqual(missing(all(/\bt\(\s*'([a-zA-Z][\w]*\.[\w.]+)'/g)), []);
});

test('every error code thrown has a message', () => {
  const codes = [
    ...all(/new DomainError\(\s*'([a-z_]+)'/g),
    ...all(/uploadRefused\(\s*'([a-z_]+)'/g),
    ...all(/code: '(dossier_[a-z_]+)'/g),
    ...all(/: '(dossier_[a-z_]+)',/g),
  ];
  assert.ok(codes.length > 30, `found ${codes.length} codes`);
  assert.deepEqual(missing(codes.map((c) => `errors.${c}`)), []);
});

test('every validation rule has a message', () => {
  const rules = [...all(/rule: '([a-zA-Z_]+)'/g), ...all(/\bfail\(\s*'[^']+',\s*'([a-zA-Z_]+)'/g)];
  assert.ok(rules.length > 30, `found ${rules.length} rules`);
  assert.deepEqual(missing(rules.map((r) => `validation.${r}`)), []);
});

test('every key built from a domain list exists', () => {
  const keys = [
    ...DOSSIER_STATUSES.map((s) => `dossiers.status.${s}`),
    ...DOSSIER_KINDS.map((k) => `dossiers.kind.${k}`),
    ...DOSSIER_ACTIONS.map((a) => `dossiers.action.${a}`),
    ...[...DOSSIER_ACTIONS, 'create'].map((a) => `dossiers.event.${a}`),
    ...[...DOCUMENT_KINDS, ...PRODUCT_DOCUMENT_KINDS, 'registration_form', 'self_assessment', 'samples'].map(
      (k) => `dossiers.item.${k}`,
    ),
    ...COMMUNE_ITEMS.map((i) => `dossiers.communeItem.${i}`),
    ...LEGAL_TYPES.map((t) => `producers.legalType.${t}`),
    ...SALES_CHANNEL_KINDS.map((k) => `producers.channel.${k}`),
    ...[...AREA_CERTIFICATION_KINDS, ...QUALITY_CERTIFICATE_KINDS].map((k) => `producers.certification.${k}`),
    ...PRODUCT_STATUSES.map((s) => `products.status.${s}`),
    ...IMPORT_TARGETS.map((t) => `imports.target.${t}`),
    ...IMPORT_TARGETS.flatMap((t) => IMPORT_FIELDS[t].map((f) => `imports.field.${f.key}`)),
  ];
  assert.deepEqual(missing(keys), []);
});
