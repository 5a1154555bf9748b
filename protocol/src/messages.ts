import { z } from 'zod';
import { GroupMention } from './attention.js';
import { UserSummary } from './entities.js';

/**
 * One emoji and who reacted with it. `users` are user ids, oldest first; clients name them from the
 * room's member list.
 */
export const Reaction = z.object({
  emoji: z.string(),
  count: z.number().int(),
  users: z.array(z.string()),
});
export type Reaction = z.infer<typeof Reaction>;

/** On a thread's root: how many replies, when the last came, and who took part (ids, latest first, ≤ 5). */
export const ThreadSummary = z.object({
  replies: z.number().int(),
  lastReplyAt: z.string().nullable(),
  participants: z.array(z.string()),
});
export type ThreadSummary = z.infer<typeof ThreadSummary>;

/**
 * A file attached to a message (the files capability fills it). `url` and `thumbUrl` are signed for the
 * one who receives the payload and expire; `width`/`height` are set for images.
 */
export const MessageFile = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().int(),
  type: z.string(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  url: z.string().optional(),
  thumbUrl: z.string().optional(),
});
export type MessageFile = z.infer<typeof MessageFile>;

/**
 * A message at its current state. `seq` numbers the room's messages 1, 2, 3 … and never changes; `rev`
 * is the room's change counter at this message's last change (its creation, an edit, a delete, a
 * reaction, a pin, a reply in its thread). A client keeps the copy with the highest `rev` per
 * `(roomId, seq)`. A deleted message is a tombstone: `deleted: true`, empty text, no reactions or files.
 */
export const Message = z.object({
  id: z.string(),
  roomId: z.string(),
  seq: z.number().int(),
  rev: z.number().int(),
  author: UserSummary,
  /** Markdown (a safe subset); clients render it without raw HTML. */
  text: z.string(),
  clientId: z.string().optional(),
  createdAt: z.string(),
  editedAt: z.string().optional(),
  deleted: z.literal(true).optional(),
  reactions: z.array(Reaction),
  /** Set while the message is pinned: by whom (a user id) and when. */
  pinned: z.object({ by: z.string(), at: z.string() }).optional(),
  /** A reply: the seq of its thread's root. */
  threadSeq: z.number().int().optional(),
  /** A reply that was also sent to the room's main timeline. */
  alsoToRoom: z.literal(true).optional(),
  /** A thread's root: its summary. */
  thread: ThreadSummary.optional(),
  /** Ids of the people the message mentions (resolved by the server when it is stored or edited). */
  mentions: z.array(z.string()),
  /** `@room` or `@here`: the whole room (or those online) is mentioned, without listing them. */
  groupMention: GroupMention.optional(),
  files: z.array(MessageFile),
});
export type Message = z.infer<typeof Message>;
