import type { Ban, BanBody } from '@parley/protocol';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { audit } from '../admin/audit.js';
import { fail } from '../../errors.js';
import { now } from '../ids.js';
import { toSummary } from '../mapping.js';
import { removeMembership } from '../rooms/membership.js';
import { checkUntil, moderatedRoom, mustOutrank, reasonWords, targetIn, untilWords } from './authority.js';
import { limit } from './limits.js';

/** The ban in force on a user in a room (an expired one no longer counts), if any. */
export async function activeBan(ctx: Ctx, roomId: string, userId: string) {
  return ctx.store.db
    .selectFrom('room_bans')
    .select(['until', 'reason'])
    .where('room_id', '=', roomId)
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now())]))
    .executeTakeFirst();
}

/** Refuses joining or being added to a room one is banned from, saying until when and why. */
export async function refuseIfBanned(ctx: Ctx, roomId: string, userId: string, who: 'you' | string) {
  const ban = await activeBan(ctx, roomId, userId);
  if (!ban) return;
  const subject = who === 'you' ? 'You are' : `${who} is`;
  fail('banned', `${subject} banned from this room${untilWords(ban.until)}${reasonWords(ban.reason)}`);
}

/** Bans someone: out of the room now, and kept out (no rejoining, no re-adding) until the ban ends. */
export async function banMember(ctx: Ctx, auth: Auth, roomId: string, body: BanBody): Promise<void> {
  await limit(ctx, 'moderate', auth.user.id);
  const { access, rank } = await moderatedRoom(ctx, auth, roomId, 'moderator');
  const target = await targetIn(ctx, roomId, body.userId);
  await mustOutrank(ctx, auth, 'room.ban', { access, rank, target, ownerImmune: true });
  const until = checkUntil(body.until);
  const reason = body.reason?.trim() || null;
  const values = { by_id: auth.user.id, reason, until, created_at: now() };
  await ctx.store.db
    .insertInto('room_bans')
    .values({ room_id: roomId, user_id: target.id, ...values })
    .onConflict((oc) => oc.columns(['room_id', 'user_id']).doUpdateSet(values))
    .execute();
  if (target.role) {
    await removeMembership(ctx, roomId, target.id);
    ctx.events.emit('member.left', { roomId, user: toSummary(target), by: toSummary(auth.user) });
  }
  ctx.events.emit('restriction.changed', {
    userId: target.id,
    roomId,
    restriction: { kind: 'banned', until, reason },
    message: `You were banned from ${access.room.name}${untilWords(until)}${reasonWords(reason)}`,
    by: toSummary(auth.user),
  });
  await audit(ctx, auth, 'room.ban', {
    target: { type: 'user', id: target.id, name: target.username },
    room: { id: roomId, name: access.room.name },
    reason,
    detail: until ? { until } : undefined,
  });
}

export async function unbanMember(ctx: Ctx, auth: Auth, roomId: string, userId: string): Promise<void> {
  await limit(ctx, 'moderate', auth.user.id);
  const { access } = await moderatedRoom(ctx, auth, roomId, 'moderator');
  const target = await targetIn(ctx, roomId, userId);
  const removed = await ctx.store.db
    .deleteFrom('room_bans')
    .where('room_id', '=', roomId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) fail('not_found', `${target.username} is not banned here.`);
  ctx.events.emit('restriction.changed', {
    userId,
    roomId,
    restriction: null,
    message: `Your ban from ${access.room.name} was lifted.`,
    by: toSummary(auth.user),
  });
  await audit(ctx, auth, 'room.unban', {
    target: { type: 'user', id: target.id, name: target.username },
    room: { id: roomId, name: access.room.name },
  });
}

/** The bans in force in a room, newest first (moderators only). */
export async function listBans(ctx: Ctx, auth: Auth, roomId: string): Promise<Ban[]> {
  await moderatedRoom(ctx, auth, roomId, 'moderator');
  const rows = await ctx.store.db
    .selectFrom('room_bans as b')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .leftJoin('users as m', 'm.id', 'b.by_id')
    .select(['u.id', 'u.username', 'b.by_id', 'm.username as by_name', 'b.reason', 'b.until', 'b.created_at'])
    .where('b.room_id', '=', roomId)
    .where((eb) => eb.or([eb('b.until', 'is', null), eb('b.until', '>', now())]))
    .orderBy('b.created_at', 'desc')
    .limit(1000)
    .execute();
  return rows.map((row) => ({
    user: { id: row.id, username: row.username },
    by: row.by_id ? { id: row.by_id, username: row.by_name ?? '' } : null,
    reason: row.reason,
    until: row.until,
    createdAt: row.created_at,
  }));
}
