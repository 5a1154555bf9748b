import type { Member, MuteBody } from '@parley/protocol';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { audit } from '../admin/audit.js';
import { fail } from '../../errors.js';
import { toSummary } from '../mapping.js';
import { memberOf } from '../rooms/rooms.js';
import { checkUntil, moderatedRoom, mustOutrank, reasonWords, targetIn, untilWords } from './authority.js';
import { forever } from './forever.js';
import { limit } from './limits.js';

/** Mutes a member: they still read the room, but cannot send, edit or react until `until`. */
export async function muteMember(ctx: Ctx, auth: Auth, roomId: string, body: MuteBody): Promise<Member> {
  await limit(ctx, 'moderate', auth.user.id);
  const { access, rank } = await moderatedRoom(ctx, auth, roomId, 'moderator');
  const target = await targetIn(ctx, roomId, body.userId);
  if (!target.role) fail('user_not_found', `${target.username} is not in this room.`);
  await mustOutrank(ctx, auth, 'room.mute', { access, rank, target, ownerImmune: true });
  const until = checkUntil(body.until);
  const reason = body.reason?.trim() || null;
  await setMute(ctx, roomId, target.id, until ?? forever, reason);
  const member = await memberOf(ctx, roomId, target.id);
  ctx.events.emit('member.updated', { roomId, member, by: toSummary(auth.user) });
  ctx.events.emit('restriction.changed', {
    userId: target.id,
    roomId,
    restriction: { kind: 'muted', until, reason },
    message: `You were muted in ${access.room.name}${untilWords(until)}${reasonWords(reason)} You can still read it.`,
    by: toSummary(auth.user),
  });
  await audit(ctx, auth, 'room.mute', {
    target: { type: 'user', id: target.id, name: target.username },
    room: { id: roomId, name: access.room.name },
    reason,
    detail: until ? { until } : undefined,
  });
  return member;
}

export async function unmuteMember(ctx: Ctx, auth: Auth, roomId: string, userId: string): Promise<Member> {
  await limit(ctx, 'moderate', auth.user.id);
  const { access, rank } = await moderatedRoom(ctx, auth, roomId, 'moderator');
  const target = await targetIn(ctx, roomId, userId);
  if (!target.role) fail('user_not_found', `${target.username} is not in this room.`);
  await mustOutrank(ctx, auth, 'room.unmute', { access, rank, target });
  await setMute(ctx, roomId, target.id, null, null);
  const member = await memberOf(ctx, roomId, target.id);
  ctx.events.emit('member.updated', { roomId, member, by: toSummary(auth.user) });
  ctx.events.emit('restriction.changed', {
    userId: target.id,
    roomId,
    restriction: null,
    message: `You can send messages in ${access.room.name} again.`,
    by: toSummary(auth.user),
  });
  await audit(ctx, auth, 'room.unmute', {
    target: { type: 'user', id: target.id, name: target.username },
    room: { id: roomId, name: access.room.name },
  });
  return member;
}

export async function setMute(
  ctx: Ctx,
  roomId: string,
  userId: string,
  until: string | null,
  reason: string | null,
): Promise<void> {
  await ctx.store.db
    .updateTable('memberships')
    .set({ muted_until: until, muted_reason: reason })
    .where('room_id', '=', roomId)
    .where('user_id', '=', userId)
    .execute();
}
