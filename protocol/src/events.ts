import { z } from 'zod';
import type { DeliveredEvent, RoomNotifications } from './attention.js';
import type { AckError } from './errors.js';
import { Id, type Member, type Room, type UserSummary } from './entities.js';
import { limits } from './limits.js';
import type { Report, Restriction } from './moderation.js';
import type { Message } from './messages.js';
import type { PresenceAway, PresenceMap, PresenceStatus, PresenceWatch } from './presence.js';

export const RoomRef = z.object({ roomId: Id });
export type RoomRef = z.infer<typeof RoomRef>;

const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const messageSeq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** What a new message may carry besides its text, over REST and sockets alike. */
export const SendExtras = z.object({
  /** Reply in the thread of this message (a message of the same room that is not itself a reply). */
  threadSeq: messageSeq.optional(),
  /** A reply that also goes to the room's main timeline. */
  alsoToRoom: z.boolean().optional(),
  /** Ids of files uploaded to this room by the sender, not yet attached to a message. */
  files: z.array(Id).max(limits.filesPerMessageMax).optional(),
});

export const SendEvent = SendExtras.extend({
  roomId: Id,
  text: z.string().max(limits.messageWireMax),
  clientId: z.string().min(1).max(limits.clientIdMax),
});
export type SendEvent = z.infer<typeof SendEvent>;

export const MessageRef = z.object({ roomId: Id, seq: messageSeq });
export type MessageRef = z.infer<typeof MessageRef>;

export const EditEvent = MessageRef.extend({ text: z.string().max(limits.messageWireMax) });
export type EditEvent = z.infer<typeof EditEvent>;

export const Emoji = z.string().min(1).max(limits.emojiWireMax);

export const ReactionEvent = MessageRef.extend({ emoji: Emoji, on: z.boolean() });
export type ReactionEvent = z.infer<typeof ReactionEvent>;

export const PinEvent = MessageRef.extend({ on: z.boolean() });
export type PinEvent = z.infer<typeof PinEvent>;

export const TypingEvent = z.object({ roomId: Id, typing: z.boolean() });
export type TypingEvent = z.infer<typeof TypingEvent>;

// Records keyed by room id; the cap keeps one request from asking for every room ever made.
const perRoom = (value: z.ZodNumber) =>
  z.record(Id, value).refine((rooms) => Object.keys(rooms).length <= 1000, 'at most 1000 rooms');

export const SyncEvent = z.object({
  /** The highest seq the client has per room: it gets the messages after it. */
  since: perRoom(seq),
  /**
   * The highest rev the client has per room: it gets every message new or changed since, at its current
   * state, in rev order (this takes precedence over `since` for the rooms it names).
   */
  revs: perRoom(seq).optional(),
});
export type SyncEvent = z.infer<typeof SyncEvent>;

/**
 * The answer to `sync`. `cleared` names the rooms whose history was cleared (or trimmed by retention)
 * since the client's rev: it drops its messages up to `seq` and takes `rev` as seen.
 */
export interface SyncReply {
  messages: Record<string, Message[]>;
  hasMore: Record<string, boolean>;
  cleared?: Record<string, { seq: number; rev: number }>;
}

export const ReadEvent = z.object({ roomId: Id, seq });
export type ReadEvent = z.infer<typeof ReadEvent>;

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };
type AckFn<T extends object = object> = (reply: Ack<T>) => void;

export interface ClientToServerEvents {
  'room:join': (payload: RoomRef, ack?: AckFn<{ room: Room }>) => void;
  'room:leave': (payload: RoomRef, ack?: AckFn) => void;
  'message:send': (payload: SendEvent, ack?: AckFn<{ message: Message }>) => void;
  typing: (payload: TypingEvent, ack?: AckFn) => void;
  'message:edit': (payload: EditEvent, ack?: AckFn<{ message: Message }>) => void;
  'message:delete': (payload: MessageRef, ack?: AckFn<{ message: Message }>) => void;
  reaction: (payload: ReactionEvent, ack?: AckFn<{ message: Message }>) => void;
  'message:pin': (payload: PinEvent, ack?: AckFn<{ message: Message }>) => void;
  sync: (payload: SyncEvent, ack?: AckFn<SyncReply>) => void;
  read: (payload: ReadEvent, ack?: AckFn) => void;
  'presence:watch': (payload: PresenceWatch, ack?: AckFn<{ presence: PresenceMap }>) => void;
  'presence:away': (payload: PresenceAway, ack?: AckFn) => void;
  /** What this client has received, for delivery ticks (rooms up to RECEIPTS_ROOM_LIMIT). */
  delivered: (payload: DeliveredEvent, ack?: AckFn) => void;
}

export type MemberAction = 'joined' | 'left';

export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  /** A message changed (edit, delete, reaction, pin, thread reply): the whole message at its new rev. */
  'message:updated': (message: Message) => void;
  typing: (payload: { roomId: string; user: UserSummary; typing: boolean }) => void;
  /**
   * One person's change, to the sockets that share a room with them (rooms up to PRESENCE_ROOM_LIMIT
   * connected sockets) and have not sent `presence:watch`: what clients before watch lists hear.
   */
  presence: (payload: { user: UserSummary; online: boolean; status?: PresenceStatus }) => void;
  /** The watched people whose status changed since this socket's last frame (see `presence:watch`). */
  'presence:changed': (payload: { presence: PresenceMap }) => void;
  /** `by` is set when someone else added or removed the member. */
  'room:member': (payload: {
    roomId: string;
    user: UserSummary;
    action: MemberAction;
    by?: UserSummary;
    member?: Member;
  }) => void;
  /** The history up to `seq` was deleted (everything, when the owner cleared it) at room rev `rev`. */
  'room:cleared': (payload: { roomId: string; seq?: number; rev?: number }) => void;
  /**
   * A public room was created, to everyone connected, as someone who has not joined it sees it
   * (`joined` false). Its creator's tabs already have it.
   */
  'room:created': (room: Room) => void;
  /** A room's name or description changed, or it was archived (read-only) or unarchived. */
  'room:updated': (payload: {
    roomId: string;
    name: string;
    description: string;
    archived?: boolean;
  }) => void;
  /** An admin deleted the room: it is gone for everyone. */
  'room:deleted': (payload: { roomId: string }) => void;
  /**
   * Many public rooms were created at once: instead of one `room:created` each (a burst would flood
   * every socket), clients fetch the room list again when they next need it.
   */
  'rooms:changed': (payload: { created: number }) => void;
  /** A member's role or mute changed (to the room). */
  'member:updated': (payload: { roomId: string; member: Member; by?: UserSummary }) => void;
  /**
   * To the person concerned: they were banned, muted or blocked in a room, or that was lifted
   * (`restriction` null). `message` says it in words.
   */
  'room:restriction': (payload: {
    roomId: string;
    restriction: Restriction | null;
    message: string;
    by?: UserSummary;
  }) => void;
  /** To the room's moderators and the admins: a message was reported. */
  'report:new': (report: Report) => void;
  /**
   * A read position moved: the caller's own (from another tab; `userId` is theirs), or another
   * member's, in rooms up to RECEIPTS_ROOM_LIMIT members when both share read receipts. Clients from
   * before receipts, which ignore `userId`, only ever got their own.
   */
  'room:read': (payload: { roomId: string; seq: number; userId?: string }) => void;
  /** A member received the room's messages up to `seq` (rooms up to RECEIPTS_ROOM_LIMIT members). */
  'room:delivered': (payload: { roomId: string; userId: string; seq: number }) => void;
  /**
   * A person's name, display name or avatar changed (or the account was deleted): to the rooms they are
   * in and their own tabs, so clients show the new one beside their messages and in member lists.
   */
  'user:updated': (user: UserSummary) => void;
  /** The caller changed a room's notification level or mute (in another tab): its new settings. */
  'room:notifications': (payload: { roomId: string; notifications: RoomNotifications }) => void;
}

/** The ack handed back when the server cannot answer (connection lost, timeout) — for clients. */
export const ackTimeout: AckError = { code: 'unavailable', message: 'No answer from the server.' };
