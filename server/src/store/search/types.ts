import type { StoredRow } from '../ops.mjs';

/** One word or phrase of a query, as the user meant it; each dialect quotes it for its own syntax. */
export interface SearchTerm {
  /** The words, accents and case as typed (each dialect folds them as its index did). */
  text: string;
  /** A word typed with a trailing `*`: anything that starts with it. */
  prefix: boolean;
  /** Typed with a leading `-`: messages containing it are left out. */
  negated: boolean;
}

/** Where the next page starts: after a key (newest first) or after a count of results (best first). */
export type SearchCursor = { after: number | string } | { offset: number };

/** What to look for, already authorized and resolved to ids by the domain. */
export interface SearchRequest {
  /** At least one not negated, unless `authorIds` or `roomIds` narrow the search. */
  terms: SearchTerm[];
  /** Whose readable rooms: the rooms they are a member of now. */
  userId: string;
  /** Also the public rooms they have not joined (and are not banned from). */
  includePublic: boolean;
  /** Only these rooms (still only if readable). */
  roomIds?: string[];
  authorIds?: string[];
  /** ISO-8601: `createdAt < before`, `createdAt >= after`. */
  before?: string;
  after?: string;
  hasLink?: boolean;
  hasFile?: boolean;
  sort: 'newest' | 'relevance';
  cursor?: SearchCursor;
  limit: number;
}

export interface SearchPage {
  rows: StoredRow[];
  /** Present when another page may follow. */
  next?: SearchCursor;
}

/**
 * The search seam: SQLite's FTS5 table (sqlite.ts) or PostgreSQL's tsvector with a GIN index
 * (postgres.ts), each kept in the transaction of the message it indexes.
 */
export interface SearchIndex {
  /** False when SEARCH_INDEX=off: nothing is indexed and nothing can be found. */
  readonly enabled: boolean;
  /** SEARCH_LANGUAGE: the language whose word stems are matched. */
  readonly language: string;
  find(request: SearchRequest): Promise<SearchPage>;
  /** Indexes one batch of the messages stored before the index was built; false when none remain. */
  backfill(size: number): Promise<boolean>;
  /** True while messages stored before the index was built are still being indexed. */
  indexing(): Promise<boolean>;
}

/** `sql` LIKE patterns for messages with a link (the Markdown renderer's autolinks start so too). */
export const linkPatterns = ['%http://%', '%https://%'];
