import { z } from 'zod';
import type { AckError } from './errors.js';
import { Id, type Member, type Message, type Room, type UserSummary } from './entities.js';
import { limits } from './limits.js';
import type { Report, Restriction } from './moderation.js';

export const RoomRef = z.object({ roomId: Id });
export type RoomRef = z.infer<typeof RoomRef>;

export const SendEvent = z.object({
  roomId: Id,
  text: z.string().max(limits.messageWireMax),
  clientId: z.string().min(1).max(limits.clientIdMax),
});
export type SendEvent = z.infer<typeof SendEvent>;

export const TypingEvent = z.object({ roomId: Id, typing: z.boolean() });
export type TypingEvent = z.infer<typeof TypingEvent>;

const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const SyncEvent = z.object({
  // A record keyed by room id; the cap keeps one request from asking for every room ever made.
  since: z.record(Id, seq).refine((since) => Object.keys(since).length <= 1000, 'at most 1000 rooms'),
});
export type SyncEvent = z.infer<typeof SyncEvent>;

export const ReadEvent = z.object({ roomId: Id, seq });
export type ReadEvent = z.infer<typeof ReadEvent>;

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };
type AckFn<T extends object = object> = (reply: Ack<T>) => void;

export interface ClientToServerEvents {
  'room:join': (payload: RoomRef, ack?: AckFn<{ room: Room }>) => void;
  'room:leave': (payload: RoomRef, ack?: AckFn) => void;
  'message:send': (payload: SendEvent, ack?: AckFn<{ message: Message }>) => void;
  typing: (payload: TypingEvent, ack?: AckFn) => void;
  sync: (
    payload: SyncEvent,
    ack?: AckFn<{ messages: Record<string, Message[]>; hasMore: Record<string, boolean> }>,
  ) => void;
  read: (payload: ReadEvent, ack?: AckFn) => void;
}

export type MemberAction = 'joined' | 'left';

export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  typing: (payload: { roomId: string; user: UserSummary; typing: boolean }) => void;
  presence: (payload: { user: UserSummary; online: boolean }) => void;
  /** `by` is set when someone else added or removed the member. */
  'room:member': (payload: {
    roomId: string;
    user: UserSummary;
    action: MemberAction;
    by?: UserSummary;
    member?: Member;
  }) => void;
  'room:cleared': (payload: { roomId: string }) => void;
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
  /** The caller's own read position moved (from another tab). */
  'room:read': (payload: { roomId: string; seq: number }) => void;
}

/** The ack handed back when the server cannot answer (connection lost, timeout) — for clients. */
export const ackTimeout: AckError = { code: 'unavailable', message: 'No answer from the server.' };
