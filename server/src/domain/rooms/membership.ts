import type { Room } from '@parley/protocol';
import type { UserRow } from '../../store/schema.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { now } from '../ids.js';
import { toSummary } from '../mapping.js';
import { refuseIfBanned } from '../moderation/bans.js';
import { moderatedRoom, mustOutrank, targetIn } from '../moderation/authority.js';
import { limit } from '../moderation/limits.js';
import { audit } from '../admin/audit.js';
import { memberRoom, roomFor } from './access.js';
import { memberOf } from './rooms.js';
import { roomView } from './view.js';

/** Adds a membership; true when it is new (joining twice is not an error and announces nothing). */
async function addMembership(ctx: Ctx, roomId: string, userId: string): Promise<boolean> {
  const result = await ctx.store.db
    .insertInto('memberships')
    .values({ room_id: roomId, user_id: userId, role: 'member', joined_at: now() })
    .onConflict((oc) => oc.columns(['room_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

async function announceJoin(ctx: Ctx, roomId: string, user: { id: string; username: string }, by?: Auth) {
  ctx.events.emit('member.joined', {
    roomId,
    user: toSummary(user),
    by: by ? toSummary(by.user) : undefined,
    member: await memberOf(ctx, roomId, user.id),
  });
}

export async function joinRoom(ctx: Ctx, auth: Auth, roomId: string): Promise<Room> {
  // roomFor hides private rooms from non-members, so only public rooms can be joined by oneself.
  const access = await roomFor(ctx, auth.user.id, roomId);
  if (!access.membership) await refuseIfBanned(ctx, roomId, auth.user.id, 'you');
  if (await addMembership(ctx, roomId, auth.user.id)) await announceJoin(ctx, roomId, auth.user);
  return roomView(ctx, auth.user.id, roomId);
}

/** New accounts land in the first default room, so there is someone to talk to straight away. */
export async function joinDefaultRoom(ctx: Ctx, user: UserRow): Promise<void> {
  const name = ctx.config.defaultRooms[0];
  if (!name) return;
  const room = await ctx.store.db
    .selectFrom('rooms')
    .select('id')
    .where('name_key', '=', name.toLowerCase())
    .where('visibility', '=', 'public')
    .executeTakeFirst();
  if (room && (await addMembership(ctx, room.id, user.id))) await announceJoin(ctx, room.id, user);
}

export async function leaveRoom(ctx: Ctx, auth: Auth, roomId: string): Promise<void> {
  const access = await roomFor(ctx, auth.user.id, roomId);
  if (!access.membership) return;
  if (access.room.kind === 'dm') fail('dm_not_leavable');
  await removeMembership(ctx, roomId, auth.user.id);
  ctx.events.emit('member.left', { roomId, user: toSummary(auth.user) });
}

/** Any member may bring someone in; that is how private rooms grow. */
export async function addMember(ctx: Ctx, auth: Auth, roomId: string, userId: string): Promise<void> {
  const access = await memberRoom(ctx, auth.user.id, roomId);
  if (access.room.kind === 'dm') fail('forbidden', 'A direct message is between two people.');
  await limit(ctx, 'memberAdd', auth.user.id);
  const user = await ctx.store.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!user) fail('user_not_found');
  await refuseIfBanned(ctx, roomId, user.id, user.username);
  if (await addMembership(ctx, roomId, user.id)) await announceJoin(ctx, roomId, user, auth);
}

/**
 * Moderators remove members, owners also moderators, admins anyone but other admins; nobody removes
 * someone of their own rank or above (an admin may remove an owner: the next member takes over).
 */
export async function removeMember(ctx: Ctx, auth: Auth, roomId: string, userId: string): Promise<void> {
  if (userId === auth.user.id) return leaveRoom(ctx, auth, roomId);
  const { access, rank } = await moderatedRoom(ctx, auth, roomId, 'moderator');
  const target = await targetIn(ctx, roomId, userId);
  if (!target.role) fail('user_not_found', 'That person is not in this room.');
  await limit(ctx, 'moderate', auth.user.id);
  await mustOutrank(ctx, auth, 'room.remove', { access, rank, target });
  await removeMembership(ctx, roomId, userId);
  ctx.events.emit('member.left', { roomId, user: toSummary(target), by: toSummary(auth.user) });
  ctx.events.emit('restriction.changed', {
    userId,
    roomId,
    restriction: null,
    message: `${auth.user.username} removed you from ${access.room.name}.`,
    by: toSummary(auth.user),
  });
  await audit(ctx, auth, 'room.remove', {
    target: { type: 'user', id: target.id, name: target.username },
    room: { id: roomId, name: access.room.name },
  });
}

/** When the owner goes, the longest-standing member takes over; an empty room is left to the admins. */
export async function removeMembership(ctx: Ctx, roomId: string, userId: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('memberships')
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .returning('role')
      .executeTakeFirst();
    if (removed?.role !== 'owner') return;
    const heir = await trx
      .selectFrom('memberships')
      .select('user_id')
      .where('room_id', '=', roomId)
      .orderBy('joined_at')
      .orderBy('user_id')
      .limit(1)
      .executeTakeFirst();
    if (heir) {
      await trx
        .updateTable('memberships')
        .set({ role: 'owner' })
        .where('room_id', '=', roomId)
        .where('user_id', '=', heir.user_id)
        .execute();
    }
    await trx
      .updateTable('rooms')
      .set({ owner_id: heir?.user_id ?? null })
      .where('id', '=', roomId)
      .execute();
  });
}

/** The rooms a user is a member of, from the database: what their sockets subscribe to. */
export async function roomIdsOf(ctx: Ctx, userId: string): Promise<string[]> {
  return (await subscriptionsOf(ctx, userId)).map((room) => room.roomId);
}

export interface Subscription {
  roomId: string;
  lastRev: number;
  lastSeq: number;
}

/** The user's rooms with each room's counters as of now: where a new socket's live delivery starts. */
export async function subscriptionsOf(ctx: Ctx, userId: string): Promise<Subscription[]> {
  const rows = await ctx.store.db
    .selectFrom('memberships')
    .innerJoin('rooms', 'rooms.id', 'memberships.room_id')
    .select(['memberships.room_id', 'rooms.last_rev', 'rooms.last_seq'])
    .where('memberships.user_id', '=', userId)
    .execute();
  return rows.map((row) => ({
    roomId: row.room_id,
    lastRev: Number(row.last_rev),
    lastSeq: Number(row.last_seq),
  }));
}

/** The rooms of several users at once, by user id. */
export async function roomIdsOfUsers(ctx: Ctx, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>();
  if (userIds.length === 0) return byUser;
  const rows = await ctx.store.db
    .selectFrom('memberships')
    .select(['user_id', 'room_id'])
    .where('user_id', 'in', userIds)
    .execute();
  for (const row of rows) {
    const rooms = byUser.get(row.user_id) ?? [];
    rooms.push(row.room_id);
    byUser.set(row.user_id, rooms);
  }
  return byUser;
}
