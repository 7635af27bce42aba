import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths.ts';

/** Static files in public/, served under /assets/ with a year-long immutable cache. */
export const PUBLIC_DIR = path.join(projectRoot, 'public');
export const ASSET_PREFIX = '/assets/';

const versions = new Map<string, string>();

/** The URL of a static file, versioned by its content so a change busts the cache. */
export function assetUrl(file: string): string {
  let version = versions.get(file);
  if (version === undefined) {
    const bytes = fs.readFileSync(path.join(PUBLIC_DIR, file));
    version = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    versions.set(file, version);
  }
  return `${ASSET_PREFIX}${file}?v=${version}`;
}
