import { fileURLToPath } from 'node:url';

/** The checkout or installed package root: where `data/`, `db/` and `public/` live. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Reference data the product ships, such as `data/admin-units/`. */
export function referenceDataPath(...parts: string[]): string {
  return fileURLToPath(new URL(`../../data/${parts.join('/')}`, import.meta.url));
}
