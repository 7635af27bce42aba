/**
 * Conformance against the EPCIS 2.0 examples of GS1 and OpenEPCIS kept in ../shared/standards/epcis
 * (read at test time, never copied; skipped when the folder is absent): every JSON capture example
 * is read, valid ones must be accepted and those under Invalid/ refused (MANIFEST.json `expected`).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../../../platform/paths.ts';
import { type CaptureRead, readCaptureDocument, readSingleEvent, type SingleEventRead } from './document.ts';
import { isEventType } from './validate.ts';

const ROOT = path.join(projectRoot, '..', 'shared', 'standards', 'epcis');
const EXAMPLES = path.join(ROOT, 'examples');
const present = fs.existsSync(EXAMPLES);
const skip = present ? false : `${EXAMPLES} is not here`;

const FOLDERS = ['gs1-epcis/JSON', 'gs1-epcis/JSON-simple-context', 'openepcis-test-resources/JSON/Capture'];

/**
 * Examples the platform refuses on purpose, with the reason it must give. GS1's own JSON schema
 * refuses this one too: its ObjectEvent has ilmd with action OBSERVE (the JSON-LD version of the
 * same example uses ADD), and EPCIS 2.0 allows ilmd on an ObjectEvent only when action is ADD.
 */
const REFUSED_ON_PURPOSE: Record<string, RegExp> = {
  'gs1-epcis/JSON-simple-context/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld':
    /ilmd is only allowed when action is ADD/,
};

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(json|jsonld)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

function expectations(): Map<string, 'valid' | 'invalid'> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'MANIFEST.json'), 'utf8')) as Record<
    string,
    { dst: string; expected?: 'valid' | 'invalid' }[]
  >;
  const map = new Map<string, 'valid' | 'invalid'>();
  for (const entries of Object.values(manifest)) {
    for (const e of entries) if (e.expected) map.set(e.dst.replace(/^examples\//, ''), e.expected);
  }
  return map;
}

function read(body: { type?: unknown }): CaptureRead | SingleEventRead {
  return isEventType(body.type) ? readSingleEvent(body) : readCaptureDocument(body);
}

test('EPCIS 2.0 JSON examples: valid ones accepted, invalid ones refused', { skip }, (t) => {
  const expected = expectations();
  const files = FOLDERS.flatMap((folder) => walk(path.join(EXAMPLES, folder)));
  assert.ok(files.length > 40, `only ${files.length} example files found`);
  const counts = { accepted: 0, refused: 0, refusedOnPurpose: 0, queryDocuments: 0 };
  const wrong: string[] = [];
  for (const file of files) {
    const rel = path.relative(EXAMPLES, file).split(path.sep).join('/');
    const body = JSON.parse(fs.readFileSync(file, 'utf8'));
    const result = read(body);
    if (body.type === 'EPCISQueryDocument') {
      // query results are not a capture: refused as one
      if (result.ok || result.exception !== 'ValidationException')
        wrong.push(`${rel}: a query document was accepted`);
      counts.queryDocuments++;
      continue;
    }
    const invalid = expected.get(rel) === 'invalid' || rel.includes('/Invalid/');
    const onPurpose = REFUSED_ON_PURPOSE[rel];
    if (invalid) {
      if (result.ok) wrong.push(`${rel}: accepted, expected refused`);
      else if (result.exception !== 'ValidationException') wrong.push(`${rel}: ${result.exception}`);
      else counts.refused++;
    } else if (onPurpose) {
      if (result.ok || !result.problems.some((p) => onPurpose.test(p.message))) {
        wrong.push(`${rel}: expected refused for ${onPurpose}`);
      } else counts.refusedOnPurpose++;
    } else if (!result.ok) {
      wrong.push(`${rel}: refused: ${JSON.stringify(result.problems.slice(0, 3))}`);
    } else counts.accepted++;
  }
  t.diagnostic(
    `${files.length} files: ${counts.accepted} valid accepted, ${counts.refused} invalid refused, ` +
      `${counts.refusedOnPurpose} refused on purpose (GS1 schema agrees), ${counts.queryDocuments} query documents refused as capture`,
  );
  assert.deepEqual(wrong, []);
  assert.ok(counts.refused >= 5, 'the Invalid/ examples were found');
});

test('the same example as full-context and as simple-context JSON-LD: same event hash IDs', { skip }, (t) => {
  const full = walk(path.join(EXAMPLES, 'gs1-epcis/JSON'));
  let compared = 0;
  for (const file of full) {
    const rel = path.relative(path.join(EXAMPLES, 'gs1-epcis/JSON'), file);
    const twin = path.join(EXAMPLES, 'gs1-epcis/JSON-simple-context', rel);
    // the "all possible fields" pair differs in content (fields added or removed), not only in form
    if (!fs.existsSync(twin) || rel.includes('WithFullCombinationOfFields')) continue;
    const a = readCaptureDocument(JSON.parse(fs.readFileSync(file, 'utf8')));
    const b = readCaptureDocument(JSON.parse(fs.readFileSync(twin, 'utf8')));
    assert.ok(a.ok && b.ok, rel);
    assert.deepEqual(
      b.events.map((e) => e.hashID),
      a.events.map((e) => e.hashID),
      rel,
    );
    compared += a.events.length;
  }
  t.diagnostic(`${compared} events compared`);
  assert.ok(compared > 10);
});

test('examples whose eventIDs look like hash IDs keep them as given', { skip }, (t) => {
  let withHashIds = 0;
  let matching = 0;
  for (const file of FOLDERS.flatMap((folder) => walk(path.join(EXAMPLES, folder)))) {
    const body = JSON.parse(fs.readFileSync(file, 'utf8'));
    const result = read(body);
    if (!result.ok) continue;
    for (const e of result.events) {
      if (!e.eventIDGiven || !e.eventID.startsWith('ni:///')) continue;
      withHashIds++;
      assert.equal(e.event.eventID, e.eventID);
      assert.equal(e.projection.eventID, e.eventID);
      assert.match(e.hashID, /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      if (e.hashID === e.eventID) matching++;
    }
  }
  // the examples' ni:/// eventIDs are illustrations (one value appears on different events), so
  // they are neither checked against nor replaced by the computed hash IDs
  t.diagnostic(`${withHashIds} events with a ni:/// eventID; ${matching} equal to the computed hash ID`);
  assert.ok(withHashIds > 0);
});
