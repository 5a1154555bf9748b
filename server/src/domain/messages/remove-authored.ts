import type { Ctx } from '../context.js';
import { now } from '../ids.js';

/** Deletes written through the writer at once: it folds them into shared transactions. */
const batch = 100;

/**
 * Deletes (tombstones) every message a person wrote, through the message writer, so each room's members
 * hear of every one and their clients converge. Returns how many were deleted.
 */
export async function removeAuthoredMessages(ctx: Ctx, userId: string): Promise<number> {
  let removed = 0;
  for (;;) {
    const rows = await ctx.store.db
      .selectFrom('messages')
      .select(['room_id', 'seq'])
      .where('author_id', '=', userId)
      .where('deleted', '=', 0)
      .limit(batch)
      .execute();
    if (rows.length === 0) return removed;
    const results = await Promise.all(
      rows.map((row) =>
        ctx.writer.write({
          kind: 'delete',
          roomId: row.room_id,
          seq: Number(row.seq),
          actorId: userId,
          asAuthor: true,
          at: now(),
        }),
      ),
    );
    const done = results.filter((result) => result.kind === 'changed').length;
    // A batch that deleted nothing would loop for ever (a message the writer refuses to delete).
    if (done === 0) return removed;
    removed += done;
  }
}
