import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Message numbers as 64-bit integers on PostgreSQL too. The first migrations made `seq` (and the read
 * position and a report's seq) `integer`, 32 bits there: a cursor above 2^31 answered 500 and a room
 * could never pass 2,147,483,647 messages. `rev` and the later counters were `bigint` already; SQLite's
 * INTEGER is 64 bits. Both dialects now take every seq up to Number.MAX_SAFE_INTEGER, the bound the
 * protocol validates cursors to. The ALTER rewrites `messages` once: a large table takes a while.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  for (const [table, column] of [
    ['rooms', 'last_seq'],
    ['memberships', 'read_seq'],
    ['messages', 'seq'],
    ['reports', 'seq'],
  ] as const) {
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN ${sql.ref(column)} TYPE bigint`.execute(db);
  }
}
