import type { Auth } from '../accounts/sessions.js';
import { memberCount, reportable } from '../attention/receipts.js';
import { receiptsWithheld } from '../attention/prefs.js';
import type { Ctx } from '../context.js';

/**
 * Moves the caller's read position forward (never back); received goes with it. The room's members
 * hear of it when the room is small enough for receipts and the reader shares theirs; of those, the
 * ones who do not share theirs are left out (they see none of others').
 */
export async function markRead(ctx: Ctx, auth: Auth, roomId: string, seq: number): Promise<void> {
  const { membership } = await reportable(ctx, auth, roomId, seq);
  if (seq <= membership.read_seq) return;
  const { numUpdatedRows } = await ctx.store.db
    .updateTable('memberships')
    .set((eb) => ({
      read_seq: seq,
      delivered_seq: eb.case().when('delivered_seq', '<', seq).then(seq).else(eb.ref('delivered_seq')).end(),
    }))
    .where('room_id', '=', roomId)
    .where('user_id', '=', auth.user.id)
    .where('read_seq', '<', seq)
    .executeTakeFirst();
  if (Number(numUpdatedRows) === 0) return;
  let share: { except: string[] } | undefined;
  if ((await memberCount(ctx, roomId)) <= ctx.config.attention.receiptsRoomLimit) {
    const withheld = await receiptsWithheld(ctx, roomId);
    if (!withheld.includes(auth.user.id)) share = { except: withheld };
  }
  ctx.events.emit('read.moved', { userId: auth.user.id, roomId, seq, share });
}
