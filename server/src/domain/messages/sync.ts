import { limits, type SyncReply } from '@parley/protocol';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { signMessages } from '../files/links.js';
import { withAuthorsIn } from './history.js';
import { present } from './present.js';
import { messagesByRev } from './revs.js';

/**
 * What a reconnecting client missed, per room it is a member of (rooms it is not in are left out).
 * With a rev cursor: every message new or changed since, at its current state, in rev order, and the
 * room's floor when its history was cleared since. With only a seq cursor (older clients): the
 * messages after it, in seq order.
 */
export async function sync(
  ctx: Ctx,
  auth: Auth,
  since: Record<string, number>,
  revs: Record<string, number> = {},
): Promise<SyncReply> {
  const reply: SyncReply = { messages: {}, hasMore: {} };
  const roomIds = [...new Set([...Object.keys(since), ...Object.keys(revs)])];
  if (roomIds.length === 0) return reply;
  await snapshot(ctx).execute(async (db) => {
    const rooms = await db
      .selectFrom('memberships')
      .innerJoin('rooms', 'rooms.id', 'memberships.room_id')
      .select(['rooms.id', 'rooms.floor_seq', 'rooms.floor_rev', 'rooms.last_seq', 'rooms.last_rev'])
      .where('memberships.user_id', '=', auth.user.id)
      .where('memberships.room_id', 'in', roomIds)
      .execute();
    const max = limits.syncPerRoomMax;
    for (const room of rooms) {
      const rev = revs[room.id];
      const rows =
        rev === undefined
          ? await withAuthorsIn(db)
              .where('messages.room_id', '=', room.id)
              .where('messages.seq', '>', since[room.id] ?? 0)
              .orderBy('messages.seq', 'asc')
              .limit(max + 1)
              .execute()
          : await messagesByRev(db, room, rev, undefined, max + 1);
      reply.messages[room.id] = signMessages(ctx, auth, present(rows.slice(0, max)));
      reply.hasMore[room.id] = rows.length > max;
      if (rev !== undefined && Number(room.floor_rev) > rev) {
        reply.cleared ??= {};
        reply.cleared[room.id] = { seq: Number(room.floor_seq), rev: Number(room.floor_rev) };
      }
    }
  });
  return reply;
}

/**
 * One read of the database as of one moment: sync by rev reads a room in several statements, and
 * each would otherwise see the commits made since the one before.
 */
const snapshot = (ctx: Ctx) =>
  ctx.store.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only');

/**
 * The room's changes with revs in `(afterRev, uptoRev]`, at their current state (a message changed again
 * later is left for that later change), and the clear, if one happened in the range: what a node fills
 * a gap in its delivery with when a change it was told of late never arrives.
 */
export async function changesInRange(ctx: Ctx, roomId: string, afterRev: number, uptoRev: number) {
  const { room, rows } = await snapshot(ctx).execute(async (db) => {
    const room = await db
      .selectFrom('rooms')
      .select(['id', 'floor_seq', 'floor_rev', 'last_seq', 'last_rev'])
      .where('id', '=', roomId)
      .executeTakeFirst();
    return { room, rows: room ? await messagesByRev(db, room, afterRev, uptoRev, undefined) : [] };
  });
  const floorRev = Number(room?.floor_rev ?? 0);
  const cleared =
    floorRev > afterRev && floorRev <= uptoRev ? { seq: Number(room?.floor_seq), rev: floorRev } : undefined;
  return { messages: present(rows), cleared };
}
