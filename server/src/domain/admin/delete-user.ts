import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { now } from '../ids.js';
import { toSummary } from '../mapping.js';
import { removeAuthoredMessages } from '../messages/remove-authored.js';
import { removeMembership } from '../rooms/membership.js';
import { audit } from './audit.js';
import { requireAdmin } from './guard.js';
import { endAllSessions } from './sessions.js';
import { adminUser, keepAnAdmin } from './users.js';

/** How a deleted account appears wherever its messages are kept. */
export const deletedUserName = 'Deleted user';

/**
 * Deletes an account: its sessions end, it leaves every room (an owned room passes to its longest
 * member), and its name, password and admin rights are erased. The row itself stays, renamed
 * "Deleted user", because messages point at it: kept ones show that name; with `messages: 'remove'`
 * they are deleted first, through the message writer, so everyone's clients converge.
 */
export async function deleteUser(
  ctx: Ctx,
  auth: Auth,
  userId: string,
  options: { messages: 'keep' | 'remove' },
): Promise<void> {
  requireAdmin(auth);
  const target = await adminUser(ctx, userId);
  await keepAnAdmin(ctx, auth, target, 'user.delete');
  const removed = await eraseAccount(ctx, target, options.messages);
  await audit(ctx, auth, 'user.delete', {
    target: { type: 'user', id: target.id, name: target.username },
    detail: { messages: options.messages, removed },
  });
}

/**
 * The deletion itself, for an admin's delete and a person deleting their own account alike (the caller
 * checks who may). Returns how many messages were removed.
 */
export async function eraseAccount(
  ctx: Ctx,
  target: { id: string; username: string },
  messages: 'keep' | 'remove',
): Promise<number> {
  const userId = target.id;
  // Disabled first: no new session can start while the rest is done.
  await ctx.store.db.updateTable('users').set({ disabled_at: now() }).where('id', '=', userId).execute();
  await endAllSessions(ctx, userId);
  const removed = messages === 'remove' ? await removeAuthoredMessages(ctx, userId) : 0;
  const rooms = await ctx.store.db
    .selectFrom('memberships')
    .select('room_id')
    .where('user_id', '=', userId)
    .execute();
  for (const { room_id: roomId } of rooms) {
    await removeMembership(ctx, roomId, userId);
    ctx.events.emit('member.left', { roomId, user: toSummary(target) });
  }
  await ctx.store.db
    .deleteFrom('blocks')
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('blocked_id', '=', userId)]))
    .execute();
  await ctx.store.db.deleteFrom('account_tokens').where('user_id', '=', userId).execute();
  await ctx.store.db
    .updateTable('users')
    .set({
      username: deletedUserName,
      // Usernames cannot contain ":", so nobody can register this key, and the real name is free again.
      username_key: `deleted:${userId}`,
      password_hash: null,
      admin: 0,
      deleted_at: now(),
      display_name: null,
      display_name_key: null,
      status_text: null,
      status_expires_at: null,
      time_zone: null,
      email: null,
      email_verified_at: null,
      avatar_id: null,
    })
    .where('id', '=', userId)
    .execute();
  ctx.events.emit('user.renamed', { userId });
  return removed;
}
