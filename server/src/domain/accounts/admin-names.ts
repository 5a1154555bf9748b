import type { Ctx } from '../context.js';

/**
 * ADMIN_USERNAMES names accounts, case-insensitively: at start-up the accounts that hold those names now
 * (registered, not deleted) are made admins, also those that registered before the name was listed.
 * A name is held by one account at a time (usernames are unique ignoring case, and a deleted account
 * gives its name up), so a look-alike cannot take the rights of the one that holds it.
 */
export async function grantConfiguredAdmins(ctx: Ctx): Promise<void> {
  const names = ctx.config.adminUsernames;
  if (names.length === 0) return;
  const granted = await ctx.store.db
    .updateTable('users')
    .set({ admin: 1 })
    .where('username_key', 'in', names)
    .where('guest', '=', 0)
    .where('deleted_at', 'is', null)
    .where('admin', '=', 0)
    .returning('id')
    .execute();
  for (const { id } of granted) ctx.events.emit('user.updated', { userId: id });
}
