import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Each room keeps its member count, so listing a room of 10,000 members costs a column read instead
 * of counting 10,000 memberships for every room view. Triggers keep it, so every path that adds or
 * removes a membership counts — joins, moderation, a deleted account's cascade — whichever code wrote it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('rooms')
    .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE rooms SET member_count = (SELECT COUNT(*) FROM memberships WHERE memberships.room_id = rooms.id)`.execute(
    db,
  );
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE FUNCTION rooms_count_members() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE rooms SET member_count = member_count + 1 WHERE id = NEW.room_id;
        ELSE
          UPDATE rooms SET member_count = member_count - 1 WHERE id = OLD.room_id;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE TRIGGER memberships_counted AFTER INSERT OR DELETE ON memberships
      FOR EACH ROW EXECUTE FUNCTION rooms_count_members()`.execute(db);
  } else {
    await sql`CREATE TRIGGER memberships_counted_in AFTER INSERT ON memberships
      BEGIN UPDATE rooms SET member_count = member_count + 1 WHERE id = NEW.room_id; END`.execute(db);
    await sql`CREATE TRIGGER memberships_counted_out AFTER DELETE ON memberships
      BEGIN UPDATE rooms SET member_count = member_count - 1 WHERE id = OLD.room_id; END`.execute(db);
  }
}
