import { type Kysely, sql } from 'kysely';

/**
 * Messages that change. Each room gets a second counter, `last_rev`, bumped in the transaction of any
 * change to one of its messages and stamped on the message (`rev`), so `sync` can return everything new
 * or changed since a client's rev in one indexed range. A cleared (or retention-trimmed) history leaves
 * a floor: messages up to `floor_seq` are gone as of rev `floor_rev`. Existing messages take their seq
 * as their rev, which keeps both counters consistent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [column, type, fallback] of [
    ['last_rev', 'bigint', 0],
    ['floor_seq', 'bigint', 0],
    ['floor_rev', 'bigint', 0],
  ] as const) {
    await db.schema
      .alterTable('rooms')
      .addColumn(column, type, (c) => c.notNull().defaultTo(fallback))
      .execute();
  }
  const columns: [string, 'bigint' | 'integer' | 'text', string | number | null][] = [
    ['rev', 'bigint', 0],
    ['edited_at', 'text', null],
    ['deleted', 'integer', 0],
    /** `[{"e": emoji, "u": [userId, …]}, …]` in the order the emoji were first used. */
    ['reactions', 'text', '[]'],
    ['pinned_by', 'text', null],
    ['pinned_at', 'text', null],
    ['thread_seq', 'bigint', null],
    ['also_in_room', 'integer', 0],
    ['thread_replies', 'integer', 0],
    ['thread_last_at', 'text', null],
    /** The latest repliers' ids, latest first, at most five. */
    ['thread_users', 'text', '[]'],
    /** Ids of the people mentioned. */
    ['mentions', 'text', '[]'],
  ];
  for (const [column, type, fallback] of columns) {
    await db.schema
      .alterTable('messages')
      .addColumn(column, type, (c) => (fallback === null ? c : c.notNull().defaultTo(fallback)))
      .execute();
  }
  await sql`UPDATE messages SET rev = seq`.execute(db);
  await sql`UPDATE rooms SET last_rev = last_seq`.execute(db);
  await db.schema.createIndex('messages_room_rev').on('messages').columns(['room_id', 'rev']).execute();
  await db.schema
    .createIndex('messages_thread')
    .on('messages')
    .columns(['room_id', 'thread_seq', 'seq'])
    .where(sql.ref('thread_seq'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('messages_pinned')
    .on('messages')
    .columns(['room_id', 'pinned_at'])
    .where(sql.ref('pinned_at'), 'is not', null)
    .execute();
}
