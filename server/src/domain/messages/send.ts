import type { Message } from '@parley/protocol';
import { fail } from '../../errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { filesToAttach } from '../files/attach.js';
import { newId, now } from '../ids.js';
import { resolveMentions } from '../attention/mentions.js';
import { toSummary } from '../mapping.js';
import { limit } from '../moderation/limits.js';
import { messageOf } from './refusals.js';
import { cleanText } from './text.js';

export interface SendInput {
  roomId: string;
  text: string;
  clientId?: string;
  threadSeq?: number;
  alsoToRoom?: boolean;
  files?: string[];
}

/**
 * The one path for a message, whether it came over REST or a socket: validate, then authorize and
 * commit in one transaction (group commit, see MessageWriter), and only then answer. The writer
 * announces it.
 */
export async function sendMessage(ctx: Ctx, auth: Auth, input: SendInput): Promise<Message> {
  const text = cleanText(ctx, input.text, { allowEmpty: (input.files?.length ?? 0) > 0 });
  await limit(ctx, 'send', auth.user.id);
  const files = input.files?.length ? await filesToAttach(ctx, auth, input.roomId, input.files) : [];
  // Most texts name nobody: no "@", no need to ask (and no promise to wait for).
  const mentions = text.includes('@') ? await resolveMentions(ctx, auth, input.roomId, text) : [];
  const result = await ctx.writer.write(
    {
      kind: 'send',
      id: newId(),
      roomId: input.roomId,
      authorId: auth.user.id,
      text,
      clientId: input.clientId ?? null,
      createdAt: now(),
      threadSeq: input.threadSeq ?? null,
      alsoToRoom: input.threadSeq !== undefined && input.alsoToRoom === true,
      mentions,
      files,
    },
    toSummary(auth.user),
  );
  const message = await messageOf(ctx, auth, input.roomId, result);
  // A retry gets its stored message back; the same clientId sent to another room is a client bug.
  if (result.kind === 'duplicate' && message.roomId !== input.roomId) fail('client_id_reused');
  return message;
}
