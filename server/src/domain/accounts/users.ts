import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { avatarUrl } from '../files/paths.js';
import { summaryOf } from '../mapping.js';
import { displayNameKey } from '../../store/search.text.mjs';

/**
 * People whose username or display name contains `q` anywhere (case and accents folded), those where it
 * starts first, for starting a DM or adding to a room.
 */
export async function searchUsers(ctx: Ctx, q: string | undefined) {
  // LIKE's wildcards are escaped, so "a_b" finds "a_b" and not "axb" (usernames may contain "_").
  const needle = (displayNameKey((q ?? '').trim().normalize('NFC')) ?? '').replace(
    /[%_\\]/g,
    (char) => `\\${char}`,
  );
  const anywhere = `%${needle}%`;
  const start = `${needle}%`;
  const rows = await ctx.store.db
    .selectFrom('users')
    .select(['id', 'username', 'avatar_id', 'display_name'])
    .where('deleted_at', 'is', null)
    .$if(needle.length > 0, (qb) =>
      qb
        .where(
          sql<boolean>`(username_key LIKE ${anywhere} ESCAPE '\\' OR display_name_key LIKE ${anywhere} ESCAPE '\\')`,
        )
        .orderBy(
          sql`CASE WHEN username_key LIKE ${start} ESCAPE '\\' OR display_name_key LIKE ${start} ESCAPE '\\' THEN 0 ELSE 1 END`,
        ),
    )
    .orderBy('username_key')
    .limit(20)
    .execute();
  const online = await ctx.bus.presence.online(rows.map((row) => row.id));
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    ...(row.avatar_id ? { avatar: avatarUrl(row.avatar_id) } : {}),
    ...(row.display_name ? { displayName: row.display_name } : {}),
    online: online.has(row.id),
  }));
}

/** Users by id (those that exist), as the rest of the server shows them. */
export async function findUsers(ctx: Ctx, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  const rows = await ctx.store.db
    .selectFrom('users')
    .select(['id', 'username', 'guest', 'admin', 'avatar_id', 'display_name'])
    .where('id', 'in', userIds)
    .execute();
  return rows.map((row) => ({
    ...summaryOf(row),
    guest: row.guest === 1,
    admin: row.admin === 1,
  }));
}
