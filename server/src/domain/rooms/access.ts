import type { Role } from '@parley/protocol';
import type { RoomRow } from '../../store/schema.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';

export interface RoomAccess {
  room: RoomRow;
  membership: { role: Role; read_seq: number } | undefined;
}

/**
 * The room as the caller may see it, read from the database on every call. A private room or DM the
 * caller is not in answers `room_not_found`, exactly like a room that does not exist, so its existence
 * does not leak.
 */
export async function roomFor(ctx: Ctx, userId: string, roomId: string): Promise<RoomAccess> {
  const row = await ctx.store.db
    .selectFrom('rooms')
    .leftJoin('memberships', (join) =>
      join.onRef('memberships.room_id', '=', 'rooms.id').on('memberships.user_id', '=', userId),
    )
    .selectAll('rooms')
    .select(['memberships.role', 'memberships.read_seq'])
    .where('rooms.id', '=', roomId)
    .executeTakeFirst();
  if (!row) fail('room_not_found');
  const { role, read_seq, ...room } = row;
  const membership = role ? { role, read_seq: read_seq ?? 0 } : undefined;
  if (!membership && room.visibility !== 'public') fail('room_not_found');
  return { room: { ...room, last_seq: Number(room.last_seq) }, membership };
}

export async function memberRoom(
  ctx: Ctx,
  userId: string,
  roomId: string,
): Promise<RoomAccess & { membership: { role: Role; read_seq: number } }> {
  const access = await roomFor(ctx, userId, roomId);
  if (!access.membership) fail('not_a_member');
  return access as RoomAccess & { membership: { role: Role; read_seq: number } };
}

/** Owners manage their room, admins manage every room they can see, and both people in a DM manage it. */
export function canManage(auth: Auth, access: RoomAccess): boolean {
  if (auth.user.admin) return true;
  if (access.room.kind === 'dm') return access.membership !== undefined;
  return access.membership?.role === 'owner';
}

/**
 * Who may delete other people's messages: the room's owner, its moderators and admins. A DM has no
 * moderators: each person deletes only their own messages there.
 */
export function canModerate(auth: Auth, access: RoomAccess): boolean {
  if (access.room.kind === 'dm') return false;
  if (auth.user.admin) return true;
  return access.membership?.role === 'owner' || access.membership?.role === 'moderator';
}
