/** Tests of the content-addressed file store, on a real temp directory. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, test } from 'node:test';
import { DomainError } from '../errors.ts';
import { createFileStore, type FileStore } from './store.ts';

let root: string;
let store: FileStore;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-store-'));
  store = createFileStore(root);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every regular file under the root, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => fs.statSync(path.join(dir, name)).isFile())
    .sort();
}

const tmpFiles = () => filesUnder(path.join(root, 'tmp'));

async function* chunks(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

const isDomainError = (code: string, kind: string) => (error: unknown) =>
  error instanceof DomainError && error.code === code && error.kind === kind;

test('stores bytes under <root>/<aa>/<bb>/<sha256> and reads them back', async () => {
  const bytes = Buffer.from('Giấy chứng nhận OCOP 4 sao');
  const stored = await store.put(bytes);
  assert.deepEqual(stored, { sha256: sha(bytes), size: bytes.length });
  const expected = path.join(root, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256);
  assert.equal(store.path(stored.sha256), expected);
  assert.deepEqual(fs.readFileSync(expected), bytes);
  assert.equal(await store.has(stored.sha256), true);
  assert.deepEqual(await store.read(stored.sha256), bytes);
  assert.equal(await text(store.createReadStream(stored.sha256)), bytes.toString());
  assert.deepEqual(tmpFiles(), []);
});

test('the same content is stored once; different contents separately', async () => {
  const a = await store.put(Buffer.from('a'));
  const file = store.path(a.sha256);
  const before = fs.statSync(file);
  const again = await store.put(new Uint8Array(Buffer.from('a')));
  assert.deepEqual(again, a);
  const after = fs.statSync(file);
  assert.equal(after.ino, before.ino); // not rewritten
  assert.equal(after.mtimeMs, before.mtimeMs);
  const b = await store.put(Buffer.from('b'));
  assert.notEqual(b.sha256, a.sha256);
  assert.deepEqual(
    filesUnder(root),
    [a.sha256, b.sha256].map((s) => path.join(s.slice(0, 2), s.slice(2, 4), s)).sort(),
  );
});

test('an empty file is a valid blob', async () => {
  const stored = await store.put(new Uint8Array());
  assert.equal(stored.size, 0);
  assert.equal(stored.sha256, sha(new Uint8Array()));
  assert.equal((await store.read(stored.sha256)).length, 0);
});

test('20 parallel puts of the same bytes leave one blob and no temp files', async () => {
  const bytes = Buffer.alloc(256 * 1024, 7);
  const results = await Promise.all(Array.from({ length: 20 }, () => store.put(bytes)));
  const expected = { sha256: sha(bytes), size: bytes.length };
  for (const result of results) assert.deepEqual(result, expected);
  assert.deepEqual(filesUnder(root), [
    path.join(expected.sha256.slice(0, 2), expected.sha256.slice(2, 4), expected.sha256),
  ]);
  assert.deepEqual(await store.read(expected.sha256), bytes);
});

test('parallel streams of the same bytes also converge on one blob', async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, () => store.putStream(chunks('Mật ', 'ong ', 'rừng'), 1000)),
  );
  const sha256 = sha(Buffer.from('Mật ong rừng'));
  for (const result of results) assert.equal(result.sha256, sha256);
  assert.equal(filesUnder(root).length, 1);
});

test('putStream stores a stream and returns its bytes', async () => {
  const parts = [Buffer.alloc(1000, 1), new Uint8Array(500).fill(2), Buffer.alloc(24, 3)];
  const whole = Buffer.concat(parts);
  const stored = await store.putStream(Readable.from(parts), whole.length);
  assert.equal(stored.sha256, sha(whole));
  assert.equal(stored.size, whole.length);
  assert.deepEqual(stored.bytes, whole);
  assert.deepEqual(await store.read(stored.sha256), whole);
  assert.deepEqual(tmpFiles(), []);
});

test('a stream past maxBytes is refused at once and leaves nothing behind', async () => {
  let pulled = 0;
  async function* endless(): AsyncIterable<Uint8Array> {
    for (;;) {
      pulled++;
      yield Buffer.alloc(100, 9);
    }
  }
  await assert.rejects(store.putStream(endless(), 250), (error: unknown) => {
    assert.ok(isDomainError('file_too_large', 'invalid')(error));
    assert.deepEqual((error as DomainError).params, { limit: 250 });
    return true;
  });
  assert.equal(pulled, 3); // stopped at the chunk that passed the limit
  assert.deepEqual(tmpFiles(), []);
  assert.deepEqual(filesUnder(root), []);

  // A Node stream is destroyed, not drained.
  const readable = Readable.from([Buffer.alloc(300), Buffer.alloc(300)]);
  await assert.rejects(store.putStream(readable, 299), isDomainError('file_too_large', 'invalid'));
  assert.equal(readable.destroyed, true);
  assert.deepEqual(filesUnder(root), []);
});

test('a stream exactly at maxBytes is accepted', async () => {
  const stored = await store.putStream(chunks('12345'), 5);
  assert.equal(stored.size, 5);
});

test('a stream that fails midway leaves nothing behind', async () => {
  async function* failing(): AsyncIterable<Uint8Array> {
    yield Buffer.from('partial');
    throw new Error('connection reset');
  }
  await assert.rejects(store.putStream(failing(), 1000), /connection reset/);
  assert.deepEqual(filesUnder(root), []);
});

test('a missing blob is not found', async () => {
  const missing = sha(Buffer.from('never stored'));
  assert.equal(await store.has(missing), false);
  await assert.rejects(store.read(missing), isDomainError('file_not_found', 'not_found'));
  assert.throws(() => store.createReadStream(missing), isDomainError('file_not_found', 'not_found'));
});

test('an invalid sha256 is rejected before any path is built', async () => {
  const bad = [
    '',
    '../../etc/passwd',
    `${'a'.repeat(62)}/..`,
    'A'.repeat(64), // upper case
    'g'.repeat(64),
    'a'.repeat(63),
    'a'.repeat(65),
    `${'a'.repeat(64)}\n`,
    `../${'a'.repeat(61)}`,
  ];
  for (const value of bad) {
    assert.throws(
      () => store.path(value),
      isDomainError('invalid_file_id', 'invalid'),
      JSON.stringify(value),
    );
    await assert.rejects(store.has(value), isDomainError('invalid_file_id', 'invalid'));
    await assert.rejects(store.read(value), isDomainError('invalid_file_id', 'invalid'));
    assert.throws(() => store.createReadStream(value), isDomainError('invalid_file_id', 'invalid'));
  }
});
