import type { UserSummary } from '@parley/protocol';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { now } from '../ids.js';
import { forever } from './forever.js';
import { setMute } from './mutes.js';

const dmKeyOf = (a: string, b: string) => [a, b].sort().join(':');

/**
 * The DM of a pair, if it exists. A block is enforced there by muting the blocked person's membership:
 * the message writer already refuses a muted member inside the transaction that would store the
 * message, so a block costs the send path nothing.
 */
async function dmOf(ctx: Ctx, a: string, b: string) {
  return ctx.store.db.selectFrom('rooms').select('id').where('dm_key', '=', dmKeyOf(a, b)).executeTakeFirst();
}

/** Blocks a person: no DMs from them; the blocker's clients collapse their messages elsewhere. */
export async function block(ctx: Ctx, auth: Auth, userId: string): Promise<void> {
  if (userId === auth.user.id) fail('validation_failed', 'You cannot block yourself.');
  const user = await ctx.store.db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!user) fail('user_not_found');
  await ctx.store.db
    .insertInto('blocks')
    .values({ user_id: auth.user.id, blocked_id: userId, created_at: now() })
    .onConflict((oc) => oc.columns(['user_id', 'blocked_id']).doNothing())
    .execute();
  const dm = await dmOf(ctx, auth.user.id, userId);
  if (dm) await setMute(ctx, dm.id, userId, forever, null);
}

export async function unblock(ctx: Ctx, auth: Auth, userId: string): Promise<void> {
  await ctx.store.db
    .deleteFrom('blocks')
    .where('user_id', '=', auth.user.id)
    .where('blocked_id', '=', userId)
    .execute();
  const dm = await dmOf(ctx, auth.user.id, userId);
  if (dm) await setMute(ctx, dm.id, userId, null, null);
}

export async function blockedBy(ctx: Ctx, auth: Auth): Promise<UserSummary[]> {
  return ctx.store.db
    .selectFrom('blocks')
    .innerJoin('users', 'users.id', 'blocks.blocked_id')
    .select(['users.id', 'users.username'])
    .where('blocks.user_id', '=', auth.user.id)
    .orderBy('users.username_key')
    .execute();
}

/** Whether `blocker` has blocked `userId`. */
export async function hasBlocked(ctx: Ctx, blocker: string, userId: string): Promise<boolean> {
  const row = await ctx.store.db
    .selectFrom('blocks')
    .select('user_id')
    .where('user_id', '=', blocker)
    .where('blocked_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}
