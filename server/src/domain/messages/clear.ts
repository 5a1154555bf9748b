import { fail } from '../../errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { canManage, roomFor } from '../rooms/access.js';

/**
 * Deletes a room's messages, in the writer's transaction: the room's floor moves to its last seq, so a
 * client that syncs by rev learns of it. Seqs keep counting from where they were: cursors stay valid.
 */
export async function clearHistory(ctx: Ctx, auth: Auth, roomId: string): Promise<void> {
  const access = await roomFor(ctx, auth.user.id, roomId);
  if (!canManage(auth, access)) fail('forbidden', 'Only the room owner or an admin can clear the history.');
  await ctx.writer.write({ kind: 'clear', roomId, uptoSeq: null });
}
