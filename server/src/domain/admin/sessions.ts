import type { Ctx } from '../context.js';
import { now } from '../ids.js';

/**
 * Ends every session of a user at once: the tokens stop working on the next request, and each
 * session's sockets are closed on every node (the socket layer disconnects them through the adapter).
 */
export async function endAllSessions(ctx: Ctx, userId: string): Promise<void> {
  const ended = await ctx.store.db
    .updateTable('sessions')
    .set({ revoked_at: now() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  for (const { id } of ended) ctx.events.emit('session.revoked', { sessionId: id });
}
