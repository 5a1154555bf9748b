import { EventEmitter } from 'node:events';
import type {
  Member,
  Message,
  Report,
  Restriction,
  Room,
  RoomNotifications,
  UserSummary,
} from '@parley/protocol';

/**
 * What one committed batch did to one room's messages, in rev order. Revs `fromRev + 1 … toRev` were
 * handed out; a message changed twice in the batch is announced once, at its final state, so the range
 * (not the events) is what tells a receiver that nothing is missing.
 */
export interface RoomChange {
  roomId: string;
  fromRev: number;
  toRev: number;
  events: RoomChangeEvent[];
}

export type RoomChangeEvent =
  | { type: 'new' | 'updated'; message: Message }
  /** The history up to `seq` was deleted, at `rev`. */
  | { type: 'cleared'; seq: number; rev: number };

/**
 * What the domain announces after a commit. Transports (the socket layer) listen and deliver; nothing
 * here knows about sockets.
 */
export interface DomainEvents {
  'room.changed': [change: RoomChange];
  'member.joined': [event: { roomId: string; user: UserSummary; by?: UserSummary; member: Member }];
  'member.left': [event: { roomId: string; user: UserSummary; by?: UserSummary }];
  'room.updated': [event: { roomId: string; name: string; description: string; archived?: boolean }];
  /** A public room, as someone who has not joined it sees it. */
  'room.created': [room: Room];
  /**
   * A member's read position moved. `share` is set when the room's other members are told (a room up to
   * RECEIPTS_ROOM_LIMIT, a reader who shares receipts): all but `except`, who do not share theirs.
   */
  'read.moved': [event: { userId: string; roomId: string; seq: number; share?: { except: string[] } }];
  /** A member received the room's messages up to `seq` (told to the room when it is small enough). */
  'delivered.moved': [event: { userId: string; roomId: string; seq: number }];
  /** A member changed their notification level or mute in a room (their own tabs follow). */
  'notifications.changed': [event: { userId: string; roomId: string; notifications: RoomNotifications }];
  'session.revoked': [event: { sessionId: string }];
  'user.renamed': [event: { userId: string }];
  /** An admin changed settings: every node reloads them. */
  'settings.changed': [event: Record<string, never>];
  /** A user's admin flag changed: their sockets must see it (they authorize from it). */
  'user.updated': [event: { userId: string }];
  'room.deleted': [event: { roomId: string }];
  /** A member's role or mute changed. */
  'member.updated': [event: { roomId: string; member: Member; by?: UserSummary }];
  /** Tells one person they were banned, muted or blocked in a room, or that it was lifted. */
  'restriction.changed': [
    event: {
      userId: string;
      roomId: string;
      restriction: Restriction | null;
      message: string;
      by?: UserSummary;
    },
  ];
  /** A message was reported: its room's moderators (and every admin) are told. */
  'report.created': [event: { report: Report; moderatorIds: string[] }];
  /** Files whose rows a commit deleted (with their messages): their blobs are to be removed. */
  'files.deleted': [event: { ids: string[] }];
}

type Listener = (...args: unknown[]) => unknown;

/**
 * Announcements are emitted on the commit path (the message writer's loop among others): a listener
 * that throws, or returns a promise that rejects, is reported and skipped, and the others still run.
 * Node's EventEmitter would let the error escape into the emitter.
 */
export class DomainEventBus extends EventEmitter<DomainEvents> {
  readonly #onError: (error: unknown, event: string) => void;

  constructor(onError: (error: unknown, event: string) => void = () => {}) {
    super();
    this.#onError = onError;
  }

  override emit<K extends keyof DomainEvents>(event: K, ...args: DomainEvents[K]): boolean {
    const listeners = this.rawListeners(event as never) as Listener[];
    for (const listener of listeners) {
      try {
        const result = listener.apply(this, args);
        if (result instanceof Promise) result.catch((error: unknown) => this.#onError(error, event));
      } catch (error) {
        this.#onError(error, event);
      }
    }
    return listeners.length > 0;
  }
}
