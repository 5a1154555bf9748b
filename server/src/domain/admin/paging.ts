import { fail } from '../../errors.js';

/**
 * Keyset paging: a cursor is the sort key of the last row of the previous page, opaque to clients
 * (base64url JSON), so a page is one index range scan however deep it is.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((part) => typeof part === 'string' || typeof part === 'number')
    )
      return key as (string | number)[];
  } catch {
    // Falls through to the refusal.
  }
  fail('validation_failed', 'That page cursor is not valid.');
}

/** Takes `limit` rows of `rows` (fetched with one extra) and the cursor of the next page, if any. */
export function page<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => (string | number)[],
): { items: T[]; nextCursor?: string } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return rows.length > limit && last !== undefined
    ? { items, nextCursor: encodeCursor(keyOf(last)) }
    : { items };
}

/** LIKE pattern for a prefix, with the wildcards escaped (names may contain "_"). */
export function prefixPattern(q: string | undefined): string | undefined {
  const prefix = (q ?? '').trim().toLowerCase();
  if (!prefix) return undefined;
  return `${prefix.replace(/[%_\\]/g, (char) => `\\${char}`)}%`;
}
