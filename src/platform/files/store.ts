/**
 * A content-addressed blob store on the local disk: a file is named by the SHA-256 of its bytes
 * and lives at `<root>/<aa>/<bb>/<sha256>`, so the same document uploaded twice is stored once.
 * Every write goes to a fresh file under `<root>/tmp/`, is fsynced, then linked into place
 * (atomic, and never replacing a blob that is already there); readers never see a partial file.
 * A SHA-256 is checked to be 64 lower-case hex digits before any path is built from it.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../errors.ts';

export interface StoredFile {
  sha256: string;
  size: number;
}

export interface FileStore {
  /** Stores the bytes (once per content) and names them. */
  put(bytes: Uint8Array): Promise<StoredFile>;
  /**
   * Stores a stream, refusing it with `file_too_large` (kind `invalid`, params.limit) as soon as
   * it passes `maxBytes`, leaving nothing behind. Also returns the bytes, for sniffing.
   */
  putStream(stream: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredFile & { bytes: Buffer }>;
  has(sha256: string): Promise<boolean>;
  /** The bytes; `file_not_found` (kind `not_found`) if there is no such blob. */
  read(sha256: string): Promise<Buffer>;
  /** A stream of the bytes; throws `file_not_found` at once if there is no such blob. */
  createReadStream(sha256: string): NodeJS.ReadableStream;
  /** Where the blob is (or would be) on disk. */
  path(sha256: string): string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Throws `invalid_file_id` (kind `invalid`) unless `sha256` is 64 lower-case hex digits. */
export function assertSha256(sha256: string): void {
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) {
    throw new DomainError('invalid_file_id', 'invalid');
  }
}

const notFound = (sha256: string) => new DomainError('file_not_found', 'not_found', { sha256 });

const isErrno = (error: unknown, ...codes: string[]): boolean =>
  error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');

export function createFileStore(rootDir: string): FileStore {
  const root = path.resolve(rootDir);
  const tmpDir = path.join(root, 'tmp');

  function blobPath(sha256: string): string {
    assertSha256(sha256);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async function exists(file: string): Promise<boolean> {
    try {
      return (await fsp.stat(file)).isFile();
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) return false;
      throw error;
    }
  }

  /** A new, exclusively created temp file. */
  async function openTemp(): Promise<{ file: string; handle: fsp.FileHandle }> {
    await fsp.mkdir(tmpDir, { recursive: true });
    const file = path.join(tmpDir, `${randomUUID()}.part`);
    return { file, handle: await fsp.open(file, 'wx', 0o644) };
  }

  /** Moves a complete, fsynced temp file to its address, unless the blob is already there. */
  async function commit(temp: string, sha256: string): Promise<void> {
    const target = blobPath(sha256);
    if (await exists(target)) return;
    await fsp.mkdir(path.dirname(target), { recursive: true });
    try {
      // link() fails with EEXIST rather than replacing: a concurrent writer's blob stays put.
      await fsp.link(temp, target);
    } catch (error) {
      if (isErrno(error, 'EEXIST')) return;
      // File systems without hard links: rename is atomic too, and replaces only identical bytes.
      if (!isErrno(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK')) throw error;
      if (await exists(target)) return;
      await fsp.rename(temp, target);
    }
    await syncDirectory(path.dirname(target));
  }

  /** Runs `write` on a fresh temp file, then commits it; the temp file never outlives the call. */
  async function store(write: (handle: fsp.FileHandle) => Promise<string>): Promise<void> {
    const { file, handle } = await openTemp();
    try {
      let sha256: string;
      try {
        sha256 = await write(handle);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await commit(file, sha256);
    } finally {
      await fsp.rm(file, { force: true });
    }
  }

  return {
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const size = bytes.byteLength;
      if (!(await exists(blobPath(sha256)))) {
        await store(async (handle) => {
          await handle.writeFile(bytes);
          return sha256;
        });
      }
      return { sha256, size };
    },

    async putStream(stream, maxBytes) {
      if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be a non-negative number, not ${maxBytes}`);
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      let sha256 = '';
      await store(async (handle) => {
        for await (const chunk of stream) {
          size += chunk.byteLength;
          if (size > maxBytes) throw new DomainError('file_too_large', 'invalid', { limit: maxBytes });
          const copy = Buffer.from(chunk); // the producer may reuse its buffer
          hash.update(copy);
          chunks.push(copy);
          await handle.write(copy);
        }
        sha256 = hash.digest('hex');
        return sha256;
      });
      return { sha256, size, bytes: Buffer.concat(chunks, size) };
    },

    async has(sha256) {
      return exists(blobPath(sha256));
    },

    async read(sha256) {
      const file = blobPath(sha256);
      try {
        return await fsp.readFile(file);
      } catch (error) {
        if (isErrno(error, 'ENOENT', 'ENOTDIR', 'EISDIR')) throw notFound(sha256);
        throw error;
      }
    },

    createReadStream(sha256) {
      const file = blobPath(sha256);
      let fd: number;
      try {
        // Opened now, so a missing blob fails here rather than as a later 'error' event.
        fd = fs.openSync(file, 'r');
      } catch (error) {
        if (isErrno(error, 'ENOENT', 'ENOTDIR')) throw notFound(sha256);
        throw error;
      }
      return fs.createReadStream(file, { fd, autoClose: true });
    },

    path: blobPath,
  };
}

/** Makes a rename/link durable; best effort where directories cannot be opened (Windows). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // not supported on this platform
  } finally {
    await handle?.close();
  }
}
