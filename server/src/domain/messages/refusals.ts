import type { Message } from '@parley/protocol';
import { fail } from '../../errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { explainNotAllowed } from '../moderation/restrictions.js';
import { signMessages } from '../files/links.js';
import { memberRoom } from '../rooms/access.js';
import type { WriteResult } from './writer.js';

/**
 * The writer checks membership inside the transaction, so the happy path pays for no separate query;
 * only a refusal looks the room up, to answer 404 for a room the caller cannot see (exactly as for one
 * that does not exist) and 403 for a public room they have not joined, before the refusal's own code.
 */
export async function messageOf(ctx: Ctx, auth: Auth, roomId: string, result: WriteResult): Promise<Message> {
  if (result.kind === 'refused') {
    const access = await memberRoom(ctx, auth.user.id, roomId);
    // A member refused as a non-member may not write here: archived room, muted, blocked.
    if (result.code === 'not_a_member') await explainNotAllowed(ctx, auth.user.id, access);
    fail(result.code);
  }
  if (result.kind === 'changed' && !result.message) fail('message_not_found');
  // The reply goes to the caller alone: its file URLs are signed for them.
  const [message] = signMessages(ctx, auth, [result.message as Message]);
  return message as Message;
}
