import { type Kysely, sql } from 'kysely';

/**
 * Attention: who a message mentions (kept per person, so counting a member's unread mentions reads
 * only their own few rows), each member's delivery position, notification level and mute, how far a
 * push has covered, people's receipt and push preferences, and their browsers' push subscriptions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const columns: [string, 'bigint' | 'text', number | null][] = [
    /** Received up to this seq (delivery ticks). */
    ['delivered_seq', 'bigint', 0],
    /** `all`, `mentions` or `none`; null: the room's default. */
    ['notify_level', 'text', null],
    /** Nothing notifies until then ("9999-…" until turned back on). */
    ['notify_muted_until', 'text', null],
    /** The highest seq a push to this member covered: one push per burst, across nodes. */
    ['pushed_seq', 'bigint', 0],
  ];
  for (const [column, type, fallback] of columns) {
    await db.schema
      .alterTable('memberships')
      .addColumn(column, type, (c) => (fallback === null ? c : c.notNull().defaultTo(fallback)))
      .execute();
  }
  // Who asked to hear every message of a big room: found without reading the whole membership.
  await db.schema
    .createIndex('memberships_notify')
    .on('memberships')
    .columns(['room_id', 'notify_level'])
    .where(sql.ref('notify_level'), 'is not', null)
    .execute();

  // One row per person a message mentions; `@room` is one row with user_id "*" (the author's own
  // message never counts for them). Rows follow edits, deletes and clears.
  await db.schema
    .createTable('user_mentions')
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_mentions_pk', ['room_id', 'user_id', 'seq'])
    .execute();

  await db.schema
    .createTable('notification_prefs')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('read_receipts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('push_text', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Pushes stop when the session that subscribed ends (a logout on a shared computer).
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_subscriptions_user').on('push_subscriptions').column('user_id').execute();
}
