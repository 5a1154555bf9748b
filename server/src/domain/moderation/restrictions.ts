import type { Restriction } from '@parley/protocol';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import type { RoomAccess } from '../rooms/access.js';
import { reasonWords, untilWords } from './authority.js';
import { now } from '../ids.js';
import { forever } from './forever.js';

export interface RoomState {
  id: string;
  kind: 'room' | 'dm';
  /** For a DM, the other person. */
  peerId: string | null;
  muted_until: string | null;
  muted_reason: string | null;
}

/**
 * Why a user cannot send in each of these rooms, if they cannot: banned, blocked by the other person
 * of a DM, or muted (an expired mute no longer counts). A person's bans and blockers are few: each is
 * read whole, in one query, whatever the number of rooms.
 */
export async function restrictionsOf(
  ctx: Ctx,
  userId: string,
  rooms: RoomState[],
): Promise<Map<string, Restriction>> {
  const found = new Map<string, Restriction>();
  if (rooms.length === 0) return found;
  const at = now();
  const bans = await ctx.store.db
    .selectFrom('room_bans')
    .select(['room_id', 'until', 'reason'])
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', at)]))
    .execute();
  const wanted = new Set(rooms.map((room) => room.id));
  for (const ban of bans) {
    if (wanted.has(ban.room_id))
      found.set(ban.room_id, { kind: 'banned', until: ban.until, reason: ban.reason });
  }
  const blockers = rooms.some((room) => room.kind === 'dm')
    ? new Set(
        (
          await ctx.store.db.selectFrom('blocks').select('user_id').where('blocked_id', '=', userId).execute()
        ).map((row) => row.user_id),
      )
    : new Set<string>();
  for (const room of rooms) {
    if (found.has(room.id)) continue;
    if (room.kind === 'dm' && room.peerId && blockers.has(room.peerId)) {
      found.set(room.id, { kind: 'blocked', until: null, reason: null });
    } else if (room.muted_until !== null && room.muted_until > at) {
      const until = room.muted_until === forever ? null : room.muted_until;
      found.set(room.id, { kind: 'muted', until, reason: room.muted_reason });
    }
  }
  return found;
}

/**
 * Why a member may not write in a room, as the refusal the writer's "not a member (who may write)"
 * means: the room is archived, the other person of a DM blocked them, or they are muted. Returns when
 * none applies (they really are not a member any more).
 */
export async function explainNotAllowed(ctx: Ctx, userId: string, access: RoomAccess): Promise<void> {
  const { room } = access;
  if (room.archived_at !== null) fail('room_archived');
  const membership = await ctx.store.db
    .selectFrom('memberships')
    .select(['muted_until', 'muted_reason'])
    .where('room_id', '=', room.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!membership) return;
  const peer =
    room.kind === 'dm'
      ? await ctx.store.db
          .selectFrom('memberships')
          .select('user_id')
          .where('room_id', '=', room.id)
          .where('user_id', '!=', userId)
          .executeTakeFirst()
      : undefined;
  const [restriction] = (
    await restrictionsOf(ctx, userId, [
      { id: room.id, kind: room.kind, peerId: peer?.user_id ?? null, ...membership },
    ])
  ).values();
  if (restriction?.kind === 'blocked') fail('blocked');
  if (restriction?.kind === 'muted') {
    fail(
      'muted',
      `You are muted in this room${untilWords(restriction.until)}${reasonWords(restriction.reason)}`,
    );
  }
}
