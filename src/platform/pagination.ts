/**
 * Cursor (keyset) pagination: a list is ordered by a sort key and the id; the cursor is the
 * last row's (sortKey, id), opaque to clients (base64url JSON). Stable under inserts, and as fast
 * on the last page as on the first.
 */
import { DomainError } from './errors.ts';

export interface Cursor {
  sortKey: string;
  id: string;
  /** The list was a typo-tolerant (fuzzy) search: its next pages are too. */
  fuzzy?: boolean;
}

export const LIST_LIMIT = { default: 50, max: 200 };

export function encodeCursor(cursor: Cursor): string {
  const parts: unknown[] = [cursor.sortKey, cursor.id];
  if (cursor.fuzzy) parts.push(1);
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      (parsed.length === 2 || (parsed.length === 3 && parsed[2] === 1)) &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(parsed[1]) &&
      parsed[0].length <= 400
    ) {
      return parsed.length === 3
        ? { sortKey: parsed[0], id: parsed[1], fuzzy: true }
        : { sortKey: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw new DomainError('validation_failed', 'invalid', {}, [
    { in: 'query', name: 'cursor', rule: 'cursor' },
  ]);
}

/** One page: the rows and, when more follow, the cursor of the next page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Rows fetched with limit + 1: the extra row only says that another page exists. */
export function pageOf<R extends { id: string; sort_key: string }, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
  fuzzy = false,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(present),
    nextCursor: more && last ? encodeCursor({ sortKey: last.sort_key, id: last.id, fuzzy }) : null,
  };
}
