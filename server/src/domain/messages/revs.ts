import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { withAuthorsIn } from './history.js';

/** A room's counters as `rooms` holds them (PostgreSQL answers bigints as strings). */
export interface RoomCounters {
  id: string;
  floor_seq: number | string;
  last_seq: number | string;
  last_rev: number | string;
}

/**
 * A room's messages with a rev in `(afterRev, uptoRev]`, in rev order, at most `limit`. `db` should be a
 * transaction (repeatable read on PostgreSQL): the lists below are read by separate statements, and a
 * commit between them could otherwise show a later change without an earlier one.
 *
 * Only changed messages are in a rev index (`messages_changed`: rev past `born_rev`, migration 0014),
 * so that a send writes no rev index. The others still have the rev they were stored with, and those
 * grow with seq: they are the unchanged messages from the first one stored after `afterRev` on, read
 * through `(room_id, seq)`. The two lists are each in rev order and are merged.
 */
export async function messagesByRev(
  db: Kysely<Database>,
  room: RoomCounters,
  afterRev: number,
  uptoRev: number | undefined,
  limit: number | undefined,
) {
  const from = await firstStoredAfter(db, room, afterRev);
  const changed = await withAuthorsIn(db)
    .where('messages.room_id', '=', room.id)
    .whereRef('messages.rev', '>', 'messages.born_rev')
    .where('messages.rev', '>', afterRev)
    .$if(uptoRev !== undefined, (query) => query.where('messages.rev', '<=', uptoRev as number))
    .orderBy('messages.rev', 'asc')
    .$if(limit !== undefined, (query) => query.limit(limit as number))
    .execute();
  // A full page of changed messages ends the page at its last rev at the latest.
  const full = limit !== undefined && changed.length === limit;
  const upto = full
    ? Math.min(Number(changed[changed.length - 1]?.rev), uptoRev ?? Number.POSITIVE_INFINITY)
    : uptoRev;
  const unchanged = await withAuthorsIn(db)
    .where('messages.room_id', '=', room.id)
    .where('messages.seq', '>=', from)
    // Only a message stored after the room's counters were read could be at or under afterRev here.
    .where('messages.rev', '>', afterRev)
    // Each message stored takes a rev of its own: the revs up to `upto` end within this many seqs.
    .$if(upto !== undefined, (query) =>
      query
        .where('messages.seq', '<', from + (upto as number) - afterRev)
        .where('messages.rev', '<=', upto as number),
    )
    .whereRef('messages.rev', '=', 'messages.born_rev')
    .orderBy('messages.seq', 'asc')
    .$if(limit !== undefined, (query) => query.limit(limit as number))
    .execute();
  const rows = [...changed, ...unchanged].sort((a, b) => Number(a.rev) - Number(b.rev));
  return limit === undefined ? rows : rows.slice(0, limit);
}

/**
 * The seq of the first message stored after rev `rev` (one past the last message when none was), by a
 * binary search over `(room_id, seq)`. Every message stored takes the room's next seq and next rev, and
 * only changes move rev alone, so a message's `born_rev` lies within `[seq, seq + last_rev − last_seq]`:
 * the search spans as many seqs as the room has seen changes, none in a room whose messages never
 * changed. The room's messages are the seqs past its floor; a clear racing this read may leave a gap,
 * which each probe steps over (it reads the first message at or after a seq).
 */
async function firstStoredAfter(db: Kysely<Database>, room: RoomCounters, rev: number): Promise<number> {
  const lastSeq = Number(room.last_seq);
  const changes = Number(room.last_rev) - lastSeq;
  // Every message below `low` was stored at or before `rev`; `first` is the first message seen stored after.
  let low = Math.max(Number(room.floor_seq) + 1, rev - changes + 1);
  let high = Math.max(low, Math.min(rev + 1, lastSeq + 1));
  let first = high;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const next = await db
      .selectFrom('messages')
      .select(['seq', 'born_rev'])
      .where('room_id', '=', room.id)
      .where('seq', '>=', middle)
      .orderBy('seq', 'asc')
      .limit(1)
      .executeTakeFirst();
    if (next && Number(next.born_rev) <= rev) low = Number(next.seq) + 1;
    else {
      high = middle;
      if (next) first = Math.min(first, Number(next.seq));
    }
  }
  return first;
}
