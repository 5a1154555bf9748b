import type { ClientToServerEvents, ServerToClientEvents } from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { serverUrl } from '../config';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** `away` is asked at every (re)connect, so a tab that reconnects while hidden does not flash online. */
export function connectSocket(token: string, away: () => boolean): ChatSocket {
  return io(serverUrl || undefined, {
    auth: (send) => send(away() ? { token, away: true } : { token }),
    // Retry quickly at first, then settle at a few seconds so a restarted server is found soon.
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
}

type Reply<E extends keyof ClientToServerEvents> = Parameters<
  NonNullable<Parameters<ClientToServerEvents[E]>[1]>
>[0];

/**
 * Emits and waits for the ack; resolves null when no answer comes in time (a lost connection
 * never answers), so callers treat "unknown" apart from a refusal.
 */
export function ask<E extends 'message:send' | 'sync' | 'room:join' | 'read'>(
  socket: ChatSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
  timeoutMs: number,
): Promise<Reply<E> | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    const emit = socket.emit as (event: string, payload: unknown, ack: (reply: Reply<E>) => void) => void;
    emit.call(socket, event, payload, (reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}
