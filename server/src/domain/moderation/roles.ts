import type { Member, MemberRoleBody } from '@parley/protocol';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { audit } from '../admin/audit.js';
import { fail } from '../../errors.js';
import { toSummary } from '../mapping.js';
import { memberOf } from '../rooms/rooms.js';
import { moderatedRoom, targetIn } from './authority.js';
import { limit } from './limits.js';

/** The owner (or an admin) makes a member a moderator, or a moderator a member again. */
export async function setMemberRole(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  userId: string,
  body: MemberRoleBody,
): Promise<Member> {
  await limit(ctx, 'moderate', auth.user.id);
  const { access } = await moderatedRoom(ctx, auth, roomId, 'owner');
  const target = await targetIn(ctx, roomId, userId);
  if (!target.role) fail('user_not_found', `${target.username} is not in this room.`);
  if (target.role === 'owner') fail('forbidden', 'The owner’s role cannot be changed.');
  if (target.role !== body.role) {
    await ctx.store.db
      .updateTable('memberships')
      .set({ role: body.role })
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .where('role', '!=', 'owner')
      .execute();
    await audit(ctx, auth, body.role === 'moderator' ? 'room.moderator.grant' : 'room.moderator.revoke', {
      target: { type: 'user', id: target.id, name: target.username },
      room: { id: roomId, name: access.room.name },
    });
  }
  const member = await memberOf(ctx, roomId, userId);
  if (target.role !== body.role)
    ctx.events.emit('member.updated', { roomId, member, by: toSummary(auth.user) });
  return member;
}
