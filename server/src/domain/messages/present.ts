import type { Message, MessageFile, Reaction, UserSummary } from '@parley/protocol';
import { numericRow } from '../../store/ops.mjs';
import type { MessageRow } from '../../store/schema.js';
import { splitMentions } from '../attention/mentions.js';
import { avatarUrl } from '../files/paths.js';

const none: never[] = [];
/** Most messages have no reactions or mentions: '[]' is not parsed each time. */
const list = <T>(json: string): T[] => (json === '[]' ? none : (JSON.parse(json) as T[]));

function reactions(json: string): Reaction[] {
  return list<{ e: string; u: string[] }>(json).map((r) => ({ emoji: r.e, count: r.u.length, users: r.u }));
}

/** A stored row as the API shows it: every field of `Message`, the optional ones only when set. */
export function toMessage(row: MessageRow, author: UserSummary): Message {
  const message: Message = {
    id: row.id,
    roomId: row.room_id,
    seq: row.seq,
    rev: row.rev,
    author,
    text: row.text,
    createdAt: row.created_at,
    reactions: reactions(row.reactions),
    mentions: none,
    files: list<MessageFile>(row.files),
  };
  if (row.mentions !== '[]') {
    const { ids, group } = splitMentions(list(row.mentions));
    message.mentions = ids;
    if (group) message.groupMention = group;
  }
  if (row.client_id !== null) message.clientId = row.client_id;
  if (row.edited_at !== null) message.editedAt = row.edited_at;
  if (row.deleted) message.deleted = true;
  if (row.pinned_at !== null && row.pinned_by !== null)
    message.pinned = { by: row.pinned_by, at: row.pinned_at };
  if (row.thread_seq !== null) message.threadSeq = row.thread_seq;
  if (row.also_in_room) message.alsoToRoom = true;
  if (row.thread_last_at !== null) {
    message.thread = {
      replies: row.thread_replies,
      lastReplyAt: row.thread_last_at,
      participants: list(row.thread_users),
    };
  }
  return message;
}

/** Rows read with the author's username and avatar; PostgreSQL answers bigint columns as strings. */
export function present(
  rows: (MessageRow & { username: string; avatar_id?: string | null; display_name?: string | null })[],
): Message[] {
  return rows.map(({ username, avatar_id, display_name, ...row }) => {
    const author: UserSummary = { id: row.author_id, username };
    if (avatar_id) author.avatar = avatarUrl(avatar_id);
    if (display_name) author.displayName = display_name;
    return toMessage(numericRow(row), author);
  });
}
