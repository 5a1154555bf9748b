import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * PostgreSQL's `message_search` rows leave with their message by a statement trigger instead of a
 * foreign key: the key's check ran per inserted row (a lookup and a row lock on the message just
 * inserted) in the message batch's transaction, the serial path of every send. A message is deleted in
 * bulk (a history clear, a room's deletion) and rarely, so one statement per delete costs less.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`ALTER TABLE message_search DROP CONSTRAINT IF EXISTS message_search_id_fkey`.execute(db);
  await sql`CREATE FUNCTION message_search_forget() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
      DELETE FROM message_search s USING gone WHERE s.id = gone.id;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER messages_forget_search AFTER DELETE ON messages
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION message_search_forget()`.execute(db);
  // Any row whose message went while the key was being dropped.
  await sql`DELETE FROM message_search s WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = s.id)`.execute(
    db,
  );
}
