import type { Kysely } from 'kysely';
import { displayNameKey } from '../search.text.mjs';

/**
 * The people finder matches any part of a display name whatever its case and accents ("maria" finds
 * "María"), on both dialects: SQLite's LIKE and lower() fold ASCII letters only, so the folded name is
 * kept beside the name, as `username_key` is beside the username.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('display_name_key', 'text').execute();
  const users = db as Kysely<{
    users: { id: string; display_name: string | null; display_name_key: string | null };
  }>;
  const named = await users
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('display_name', 'is not', null)
    .execute();
  for (const user of named) {
    await users
      .updateTable('users')
      .set({ display_name_key: displayNameKey(user.display_name) })
      .where('id', '=', user.id)
      .execute();
  }
}
