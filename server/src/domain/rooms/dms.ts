import type { Room } from '@parley/protocol';
import { isUniqueViolation } from '../../store/errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { now } from '../ids.js';
import { toSummary } from '../mapping.js';
import { hasBlocked } from '../moderation/blocks.js';
import { limit } from '../moderation/limits.js';
import { forever } from '../moderation/forever.js';
import { memberOf } from './rooms.js';
import { newRoomRow } from './rows.js';
import { roomView } from './view.js';

/** The one DM room of a pair, created on first use; both people are members, nobody else can see it. */
export async function openDm(ctx: Ctx, auth: Auth, userId: string): Promise<Room> {
  if (userId === auth.user.id) fail('dm_with_self');
  const peer = await ctx.store.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!peer) fail('user_not_found');
  const dmKey = [auth.user.id, peer.id].sort().join(':');
  const existing = await ctx.store.db
    .selectFrom('rooms')
    .select('id')
    .where('dm_key', '=', dmKey)
    .executeTakeFirst();
  if (existing) return roomView(ctx, auth.user.id, existing.id);
  if (await hasBlocked(ctx, peer.id, auth.user.id)) fail('blocked');
  await limit(ctx, 'dmOpen', auth.user.id);
  // A person the caller blocked may read the new DM but not write in it (see moderation/blocks.ts).
  const mutedPeer = await hasBlocked(ctx, auth.user.id, peer.id);

  const row = newRoomRow({ name: dmKey, visibility: 'private', dmKey });
  const { id } = row;
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('rooms').values(row).execute();
      await trx
        .insertInto('memberships')
        .values(
          [auth.user.id, peer.id].map((member) => ({
            room_id: id,
            user_id: member,
            role: 'member' as const,
            joined_at: now(),
            muted_until: member === peer.id && mutedPeer ? forever : null,
          })),
        )
        .execute();
    });
  } catch (error) {
    // Both people opened it at the same moment: use the one that won.
    if (!isUniqueViolation(error)) throw error;
    const winner = await ctx.store.db
      .selectFrom('rooms')
      .select('id')
      .where('dm_key', '=', dmKey)
      .executeTakeFirstOrThrow();
    return roomView(ctx, auth.user.id, winner.id);
  }
  for (const user of [auth.user, peer]) {
    ctx.events.emit('member.joined', {
      roomId: id,
      user: toSummary(user),
      member: await memberOf(ctx, id, user.id),
    });
  }
  return roomView(ctx, auth.user.id, id);
}
