import type { Message } from '@parley/protocol';
import { fail } from '../../errors.js';
import { audit } from '../admin/audit.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { resolveMentions } from '../attention/mentions.js';
import { now } from '../ids.js';
import { limit } from '../moderation/limits.js';
import { canModerate, roomFor } from '../rooms/access.js';
import { messageOf } from './refusals.js';
import { cleanText } from './text.js';

interface MessageRef {
  roomId: string;
  seq: number;
}

/** The author changes the text; `editedAt` is set. Checked again in the transaction that stores it. */
export async function editMessage(ctx: Ctx, auth: Auth, ref: MessageRef, text: string): Promise<Message> {
  const cleaned = cleanText(ctx, text);
  await limit(ctx, 'edit', auth.user.id);
  const result = await ctx.writer.write({
    kind: 'edit',
    ...ref,
    actorId: auth.user.id,
    text: cleaned,
    at: now(),
    mentions: await resolveMentions(ctx, auth, ref.roomId, cleaned),
  });
  return messageOf(ctx, auth, ref.roomId, result);
}

/**
 * Leaves a tombstone: text, reactions, mentions and pin gone from the database. The author may delete
 * their own message; the room's owner (or moderators) and admins anyone's, which is read from the
 * database here. Deleting a deleted message is not an error.
 */
export async function deleteMessage(ctx: Ctx, auth: Auth, ref: MessageRef): Promise<Message> {
  const access = await roomFor(ctx, auth.user.id, ref.roomId);
  const moderating = canModerate(auth, access);
  const result = await ctx.writer.write({
    kind: 'delete',
    ...ref,
    actorId: auth.user.id,
    asAuthor: !moderating,
    at: now(),
  });
  const message = await messageOf(ctx, auth, ref.roomId, result);
  // Removing someone else's words is a moderator's act: it goes in the audit log, once (a second
  // delete of the tombstone changes nothing and logs nothing).
  const changed = result.kind === 'changed' && result.rev > 0;
  if (moderating && changed && message.author.id !== auth.user.id) {
    await audit(ctx, auth, 'message.delete', {
      target: { type: 'user', id: message.author.id, name: message.author.username },
      room: { id: access.room.id, name: access.room.name },
      detail: { seq: ref.seq },
    });
  }
  return message;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
// The `v` flag (Unicode sets) is in Node 20; TypeScript only accepts it as a literal from ES2024 on.
const unicodeSets = 'v';
const rgiEmoji = new RegExp(String.raw`^\p{RGI_Emoji}$`, unicodeSets);

/**
 * One emoji, as Unicode's recommended set lists it (flags, skin tones and families included); a
 * pictograph sent without its emoji variation selector ("❤") is taken in its emoji form ("❤️").
 */
export function checkEmoji(emoji: string): string {
  const [first, second] = graphemes.segment(emoji);
  if (!first || second) fail('invalid_emoji');
  if (rgiEmoji.test(emoji)) return emoji;
  if (rgiEmoji.test(`${emoji}\uFE0F`)) return `${emoji}\uFE0F`;
  fail('invalid_emoji');
}

/** The caller's reaction on or off; doing what is already done changes nothing. */
export async function react(ctx: Ctx, auth: Auth, ref: MessageRef, emoji: string, on: boolean) {
  const checked = checkEmoji(emoji);
  await limit(ctx, 'reaction', auth.user.id);
  const result = await ctx.writer.write({
    kind: 'react',
    ...ref,
    actorId: auth.user.id,
    emoji: checked,
    on,
  });
  return messageOf(ctx, auth, ref.roomId, result);
}

/** Any member pins or unpins. */
export async function pin(ctx: Ctx, auth: Auth, ref: MessageRef, on: boolean) {
  const result = await ctx.writer.write({ kind: 'pin', ...ref, actorId: auth.user.id, on, at: now() });
  return messageOf(ctx, auth, ref.roomId, result);
}
