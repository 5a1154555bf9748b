import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { memberRoom } from '../rooms/access.js';

/** Moves the caller's read position forward (never back, never past the last message). */
export async function markRead(ctx: Ctx, auth: Auth, roomId: string, seq: number): Promise<void> {
  const { room, membership } = await memberRoom(ctx, auth.user.id, roomId);
  const target = Math.min(seq, room.last_seq);
  if (target <= membership.read_seq) return;
  await ctx.store.db
    .updateTable('memberships')
    .set({ read_seq: target })
    .where('room_id', '=', roomId)
    .where('user_id', '=', auth.user.id)
    .where('read_seq', '<', target)
    .execute();
  ctx.events.emit('read.moved', { userId: auth.user.id, roomId, seq: target });
}
