import { attentionLimits, type GroupMention, groupMentionWords } from '@parley/protocol';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';

// "@name" after a start, a space or punctuation, never inside a word or an address (ana@example.org).
const mentionPattern = /(?<![\w@.+-])@([A-Za-z0-9_.-]{1,32})/g;
// What Markdown shows as code is not a mention: fenced blocks first, then inline spans.
const codePattern = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

/** The names a text mentions (lower-cased), a name ending a sentence ("@ana.") also without its dots. */
export function mentionedNames(text: string): Set<string> {
  const names = new Set<string>();
  if (!text.includes('@')) return names;
  for (const match of text.replace(codePattern, ' ').matchAll(mentionPattern)) {
    const name = (match[1] as string).toLowerCase();
    names.add(name);
    const trimmed = name.replace(/[.-]+$/, '');
    if (trimmed && trimmed !== name) names.add(trimmed);
    if (names.size >= 2 * attentionLimits.mentionsPerMessageMax) break;
  }
  return names;
}

/** Stored mentions: the ids of members named, then "@room" or "@here" (one of them, `@room` wins). */
export const groupMarker = (group: GroupMention) => `@${group}`;

/**
 * What a message by `auth` in `roomId` mentions, as stored with it: the ids of the room's members it
 * names (a name that is nobody, or nobody in the room, mentions no one) and a marker for `@room` or
 * `@here`, which in rooms over GROUP_MENTION_ROOM_LIMIT only owners, moderators and admins may use
 * (from anyone else it stays text). Text without "@" costs nothing: most messages take that path.
 */
export async function resolveMentions(ctx: Ctx, auth: Auth, roomId: string, text: string): Promise<string[]> {
  const names = mentionedNames(text);
  if (names.size === 0) return [];
  const group = groupMentionWords.find((word) => names.has(word));
  for (const word of groupMentionWords) names.delete(word);
  const mentions: string[] = [];
  if (names.size > 0) {
    const rows = await ctx.store.db
      .selectFrom('users as u')
      .innerJoin('memberships as m', (join) =>
        join.onRef('m.user_id', '=', 'u.id').on('m.room_id', '=', roomId),
      )
      .select('u.id')
      .where('u.username_key', 'in', [...names])
      .where('u.deleted_at', 'is', null)
      .limit(attentionLimits.mentionsPerMessageMax)
      .execute();
    for (const row of rows) mentions.push(row.id);
  }
  if (group && (await mayMentionRoom(ctx, auth, roomId))) mentions.push(groupMarker(group));
  return mentions;
}

async function mayMentionRoom(ctx: Ctx, auth: Auth, roomId: string): Promise<boolean> {
  // The room's kept member count: an @room in a room of 10,000 counts no rows on the send path.
  const row = await ctx.store.db
    .selectFrom('memberships as m')
    .innerJoin('rooms as r', 'r.id', 'm.room_id')
    .select(['m.role', 'r.member_count'])
    .where('m.room_id', '=', roomId)
    .where('m.user_id', '=', auth.user.id)
    .executeTakeFirst();
  if (!row) return false;
  if (Number(row.member_count) <= ctx.config.attention.groupMentionRoomLimit) return true;
  return row.role === 'owner' || row.role === 'moderator' || auth.user.admin;
}

/** A stored mentions list split into what `Message` shows: ids, and `@room`/`@here`. */
export function splitMentions(stored: string[]): { ids: string[]; group?: GroupMention } {
  if (!stored.some((entry) => entry.startsWith('@'))) return { ids: stored };
  const ids = stored.filter((entry) => !entry.startsWith('@'));
  const group = stored.includes('@room') ? 'room' : stored.includes('@here') ? 'here' : undefined;
  return group ? { ids, group } : { ids };
}
