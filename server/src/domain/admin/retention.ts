import type { Ctx } from '../context.js';

/** Messages cleared per writer transaction: small, so sends keep flowing while a big room is trimmed. */
const batch = 500;

/**
 * Deletes messages older than the retention period, room by room, oldest first, in small batches through
 * the message writer's `clear` (which moves the room's floor, so every client's `sync` learns of it and
 * `room:cleared` tells those connected). Seqs grow in commit order, so a room's old messages are a
 * prefix of its history: each step reads the next batch by (room, seq), the index messages already have.
 */
export async function applyRetention(ctx: Ctx): Promise<{ rooms: number; messages: number }> {
  const days = ctx.settings.current.retentionDays;
  const done = { rooms: 0, messages: 0 };
  if (days === null) return done;
  const cutoff = new Date(Date.now() - days * 86_400_000).toISOString();
  const rooms = await ctx.store.db.selectFrom('rooms').select('id').execute();
  for (const { id: roomId } of rooms) {
    let trimmed = false;
    for (;;) {
      const rows = await ctx.store.db
        .selectFrom('messages')
        .select(['seq', 'created_at'])
        .where('room_id', '=', roomId)
        .orderBy('seq')
        .limit(batch)
        .execute();
      const old = rows.filter((row) => row.created_at < cutoff);
      const upto = old.at(-1);
      if (!upto) break;
      await ctx.writer.write({ kind: 'clear', roomId, uptoSeq: Number(upto.seq) });
      trimmed = true;
      done.messages += old.length;
      if (old.length < rows.length) break;
      // Let other work in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (trimmed) done.rooms += 1;
  }
  return done;
}

/**
 * Runs the retention job every `retentionIntervalMs`. With several nodes, one of them does it per interval:
 * the first to take the shared one-per-interval slot.
 */
export function scheduleRetention(ctx: Ctx): () => void {
  const interval = ctx.config.retentionIntervalMs;
  let running = false;
  const timer = setInterval(() => {
    if (running || ctx.settings.current.retentionDays === null) return;
    running = true;
    (async () => {
      const { allowed } = await ctx.bus.limiter.hit('retention:run', 1, interval);
      if (!allowed) return;
      const done = await applyRetention(ctx);
      if (done.messages > 0) ctx.log.info(done, 'retention: deleted old messages');
    })()
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'retention failed'))
      .finally(() => {
        running = false;
      });
  }, interval);
  timer.unref();
  return () => clearInterval(timer);
}
