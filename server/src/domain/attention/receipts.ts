import type { ReadPosition, ReadsReply } from '@parley/protocol';
import { fail } from '../../errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { memberRoom } from '../rooms/access.js';
import { receiptsWithheld } from './prefs.js';

export async function memberCount(ctx: Ctx, roomId: string): Promise<number> {
  const row = await ctx.store.db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('room_id', '=', roomId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A report past the room's last message is a client bug or a probe: refused, nothing changes. */
export async function reportable(ctx: Ctx, auth: Auth, roomId: string, seq: number) {
  const access = await memberRoom(ctx, auth.user.id, roomId);
  if (seq > Number(access.room.last_seq)) fail('invalid_seq');
  return access;
}

/**
 * The caller's client has received the room's messages up to `seq` (sent → delivered). Kept only in
 * rooms small enough for receipts: in a big room nobody is shown it, and it would be a write per
 * member per message.
 */
export async function markDelivered(ctx: Ctx, auth: Auth, roomId: string, seq: number): Promise<void> {
  await reportable(ctx, auth, roomId, seq);
  if ((await memberCount(ctx, roomId)) > ctx.config.attention.receiptsRoomLimit) return;
  const { numUpdatedRows } = await ctx.store.db
    .updateTable('memberships')
    .set({ delivered_seq: seq })
    .where('room_id', '=', roomId)
    .where('user_id', '=', auth.user.id)
    .where('delivered_seq', '<', seq)
    .executeTakeFirst();
  if (Number(numUpdatedRows) > 0) ctx.events.emit('delivered.moved', { userId: auth.user.id, roomId, seq });
}

/**
 * The members' positions, a page at a time by user id. Read positions are left out for members who do
 * not share them, and all but the caller's own when the caller does not share theirs.
 */
export async function readPositions(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  page: { limit?: number; after?: string },
): Promise<ReadsReply> {
  await memberRoom(ctx, auth.user.id, roomId);
  const limit = page.limit ?? 200;
  const rows = await ctx.store.db
    .selectFrom('memberships as m')
    .leftJoin('notification_prefs as p', 'p.user_id', 'm.user_id')
    .select(['m.user_id', 'm.read_seq', 'm.delivered_seq', 'p.read_receipts'])
    .where('m.room_id', '=', roomId)
    .$if(page.after !== undefined, (qb) => qb.where('m.user_id', '>', page.after as string))
    .orderBy('m.user_id')
    .limit(limit + 1)
    .execute();
  const withheld = new Set(await receiptsWithheld(ctx, roomId));
  const callerShares = !withheld.has(auth.user.id);
  const reads = rows.slice(0, limit).map((row): ReadPosition => {
    const position: ReadPosition = { userId: row.user_id, deliveredSeq: Number(row.delivered_seq) };
    const own = row.user_id === auth.user.id;
    if (own || (callerShares && row.read_receipts !== 0)) position.seq = Number(row.read_seq);
    return position;
  });
  const reply: ReadsReply = {
    reads,
    live: (await memberCount(ctx, roomId)) <= ctx.config.attention.receiptsRoomLimit,
  };
  if (rows.length > limit) reply.nextAfter = reads.at(-1)?.userId;
  return reply;
}
