import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Full-text search. `search_index` records which index is built (its engine: tokenizer or text-search
 * configuration, or "off") and how far the backfill of the messages stored before it has come; the
 * index itself depends on configuration (SEARCH_LANGUAGE, SEARCH_INDEX) and is brought in line at
 * start-up (store/search/). PostgreSQL's table is created here; SQLite's FTS5 table at start-up,
 * since its tokenizer is part of its definition.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('search_index')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('engine', 'text', (c) => c.notNull())
    /** SQLite: messages with a rowid at or under this are waiting for the backfill (0: none). */
    .addColumn('backfill_rowid', 'bigint', (c) => c.notNull().defaultTo(0))
    /** PostgreSQL: messages with an id under this are waiting for the backfill (null: none). */
    .addColumn('backfill_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  if (dialectOf(db) !== 'postgres') return;
  // One row per message that has text; a message that goes takes its row along.
  await sql`CREATE TABLE message_search (
    id text PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    room_id text NOT NULL,
    tsv tsvector NOT NULL)`.execute(db);
  await sql`CREATE INDEX message_search_tsv ON message_search USING gin (tsv)`.execute(db);
}
