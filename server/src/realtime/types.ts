import type { ClientToServerEvents, PresenceStatus, ServerToClientEvents } from '@parley/protocol';
import type { Server, Socket } from 'socket.io';
import type { Auth } from '../domain/accounts/sessions.js';
import type { RoomChange } from '../domain/events.js';

export interface SocketData {
  auth: Auth;
  /** The rooms the user was in at the handshake, until the socket has joined them; later changes move the socket directly. */
  roomIds?: string[];
  /** Sockets moved on this node before the handshake's reads began (`moves.ts`), until the re-check. */
  movesAt?: number;
  /** The room channels the socket was in as it disconnected, for the presence update. */
  channelsAtExit?: string[];
  /** Set while the tab says it is away (hidden or idle); absent while it is in use. */
  away?: true;
  /** The people this socket watches (`presence:watch`); absent until it first asks (legacy presence). */
  watching?: string[];
  /** `presence:watch` calls in the current rate window. */
  watchCalls?: { since: number; count: number };
}

/** A presence change as the nodes tell each other: who, what, in which order, and their room channels. */
export interface AnnouncedChange {
  userId: string;
  username: string;
  from: PresenceStatus;
  status: PresenceStatus;
  clock: number;
  /** The user's room channels, for clients that hear presence per room (the legacy `presence` event). */
  channels: string[];
}

/** Between nodes, through the adapter: what one node changed that the sockets on the others must learn. */
export interface ServerEvents {
  'user:renamed': (userId: string) => void;
  /** A commit of the sending node's writer, for the other nodes to deliver in rev order. */
  'room:changed': (change: RoomChange) => void;
  'presence:changes': (changes: AnnouncedChange[]) => void;
  /** An admin changed the settings on another node: reload them. */
  'settings:changed': () => void;
}

export type IO = Server<ClientToServerEvents, ServerToClientEvents, ServerEvents, SocketData>;
export type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerEvents, SocketData>;

/** Socket.IO room names. Every socket is in its user's room and its session's room. */
export const channel = {
  room: (roomId: string) => `room:${roomId}`,
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  /** Every socket of a server admin (reports reach them). */
  admins: 'admins',
};
