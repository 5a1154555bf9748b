import { type MessageFile, limits } from '@parley/protocol';
import { fail } from '../../errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { toMessageFile } from './present.js';

/**
 * The files a new message names, as it will present them: each must be the sender's own upload to that
 * room. Whether each is still unattached is decided by the writer, in the transaction that stores the
 * message (two sends racing for one file: one gets it), and a retried send finds its stored message.
 */
export async function filesToAttach(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  ids: string[],
): Promise<MessageFile[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  if (wanted.length > limits.filesPerMessageMax)
    fail('validation_failed', `A message carries at most ${limits.filesPerMessageMax} files.`);
  const rows = await ctx.store.db
    .selectFrom('files')
    .select(['id', 'name', 'size', 'type', 'width', 'height', 'thumb_size', 'room_id', 'uploader_id'])
    .where('id', 'in', wanted)
    .where('kind', '=', 'file')
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return wanted.map((id) => {
    const row = byId.get(id);
    // Someone else's file, or one uploaded to another room, is no more there than one that never was.
    if (!row || row.room_id !== roomId || row.uploader_id !== auth.user.id) fail('file_not_found');
    return toMessageFile(row);
  });
}
