import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Only changed messages in the rev index. Every stored message took a place in `(room_id, rev)`, one
 * more B-tree leaf written per room in every commit of the send path, though a message that never
 * changed keeps the rev it was stored with, and those grow with seq. `born_rev` is that rev; the index
 * `messages_changed` holds only the messages whose rev has moved past it, and sync finds the unchanged
 * ones through `(room_id, seq)` (domain/messages/revs.ts).
 *
 * Messages stored before this take their seq as `born_rev`: it grows with seq and lies within
 * `[seq, seq + last_rev − last_seq]` as a true one does, which is all sync relies on; those whose rev
 * is past their seq (changed, or stored after a change in their room) go in the index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Dropped first: the backfill below rewrites every row, and would otherwise rewrite this index too.
  await db.schema.dropIndex('messages_room_rev').execute();
  await db.schema
    .alterTable('messages')
    .addColumn('born_rev', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE messages SET born_rev = seq`.execute(db);
  // A message stored without its born_rev would break the rules sync relies on: PostgreSQL refuses it
  // from now on (SQLite cannot drop a column's default; its one writer thread always sets it).
  if (dialectOf(db) === 'postgres') {
    await sql`ALTER TABLE messages ALTER COLUMN born_rev DROP DEFAULT`.execute(db);
  }
  await sql`CREATE INDEX messages_changed ON messages (room_id, rev) WHERE rev > born_rev`.execute(db);
}
