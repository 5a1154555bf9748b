import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { StoredRow } from '../ops.mjs';
import type { Database } from '../schema.js';
import { backfillBatch, prepareSearchIndex } from '../search.sqlite.mjs';
import { isSingleUnspaced, splitUnspacedQuery } from '../search.text.mjs';
import { allOf, messageFilters } from './filters.js';
import type { SearchIndex, SearchPage, SearchRequest, SearchTerm } from './types.js';

type Row = StoredRow & { search_key: number };

/**
 * A term as an FTS5 string: always quoted (a `"` inside doubled), so nothing a user types (AND, NEAR(,
 * *, column:, ^) is ever read as FTS5 syntax; FTS5's tokenizer splits the string into a phrase.
 */
export function ftsString(term: SearchTerm): string {
  const quoted = `"${splitUnspacedQuery(term.text).replaceAll('"', '""')}"`;
  return term.prefix || isSingleUnspaced(term.text) ? `${quoted} *` : quoted;
}

export function ftsExpression(terms: SearchTerm[]): string {
  const positive = terms.filter((term) => !term.negated).map(ftsString);
  const negative = terms.filter((term) => term.negated).map(ftsString);
  return [`(${positive.join(' AND ')})`, ...negative].join(' NOT ');
}

export function sqliteSearch(
  db: Kysely<Database>,
  raw: SQLite.Database,
  options: { enabled: boolean; language: string },
): SearchIndex {
  prepareSearchIndex(raw, options);
  const schema = {
    filesColumn:
      raw.prepare("SELECT 1 FROM pragma_table_info('messages') WHERE name = 'files'").get() !== undefined,
  };
  let done = false;
  return {
    enabled: options.enabled,
    language: options.language,
    async find(request: SearchRequest): Promise<SearchPage> {
      const filters = messageFilters(request, new Date().toISOString(), schema);
      const { cursor, limit } = request;
      const offset = cursor && 'offset' in cursor ? cursor.offset : 0;
      if (cursor && 'after' in cursor) filters.push(sql`m.rowid < ${Number(cursor.after)}`);
      const positive = request.terms.some((term) => !term.negated);
      // Newest first walks the index by rowid downwards (the order messages were stored in) and stops
      // at the page's end; the CROSS JOIN keeps that order, instead of SQLite starting from messages.
      const query = positive
        ? sql<Row>`
            SELECT s.rowid AS search_key, m.*, u.username, u.avatar_id, u.display_name
            FROM message_search s CROSS JOIN messages m ON m.rowid = s.rowid
            JOIN users u ON u.id = m.author_id
            WHERE message_search MATCH ${ftsExpression(request.terms)} AND ${allOf(filters)}
            ORDER BY ${request.sort === 'relevance' ? sql`s.rank, s.rowid DESC` : sql`s.rowid DESC`}
            LIMIT ${limit + 1} OFFSET ${offset}`
        : sql<Row>`
            SELECT m.rowid AS search_key, m.*, u.username, u.avatar_id, u.display_name
            FROM messages m JOIN users u ON u.id = m.author_id
            WHERE ${allOf(filters)}
            ORDER BY m.rowid DESC LIMIT ${limit + 1} OFFSET ${offset}`;
      const { rows } = await query.execute(db);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const more = rows.length > limit && last !== undefined;
      const byRank = request.sort === 'relevance' && positive;
      return {
        rows: page,
        next: more ? (byRank ? { offset: offset + limit } : { after: last.search_key }) : undefined,
      };
    },
    async backfill(size: number) {
      if (!options.enabled) return false;
      return backfillBatch(raw, size) > 0;
    },
    async indexing() {
      if (done || !options.enabled) return false;
      const state = raw.prepare('SELECT backfill_rowid AS high FROM search_index WHERE id = 1').get() as
        | { high: number }
        | undefined;
      done = !state || state.high <= 0;
      return !done;
    },
  };
}
