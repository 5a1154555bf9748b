import type { Ctx } from './context.js';

/** People whose username starts with `q` (case-insensitive), for starting a DM or adding to a room. */
export async function searchUsers(ctx: Ctx, q: string | undefined) {
  const prefix = (q ?? '')
    .trim()
    .toLowerCase()
    .replace(/[%_\\]/g, '');
  const rows = await ctx.store.db
    .selectFrom('users')
    .select(['id', 'username'])
    .$if(prefix.length > 0, (qb) => qb.where('username_key', 'like', `${prefix}%`))
    .orderBy('username_key')
    .limit(20)
    .execute();
  const online = await ctx.bus.presence.online(rows.map((row) => row.id));
  return rows.map((row) => ({ id: row.id, username: row.username, online: online.has(row.id) }));
}
