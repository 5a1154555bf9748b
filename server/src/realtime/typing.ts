import type { UserSummary } from '@parley/protocol';
import { channel, type IO } from './types.js';

// A typist who keeps typing is announced again now and then (at half the expiry), so late joiners and
// clients that expire indicators on their own still see it.

interface Typist {
  socketId: string;
  user: UserSummary;
  roomId: string;
  timer: NodeJS.Timeout;
  announcedAt: number;
}

const typistKey = (roomId: string, userId: string) => `${roomId}\u0000${userId}`;

/**
 * Who is typing where. "typing: true" is sent to the room (not to the typist's own tabs) and expires by
 * itself when the typist goes quiet; a typist who disconnects stops typing at once.
 */
export class TypingTracker {
  readonly #io: IO;
  readonly #expireAfterMs: number;
  readonly #typists = new Map<string, Typist>();

  constructor(io: IO, expireAfterMs: number) {
    this.#io = io;
    this.#expireAfterMs = expireAfterMs;
  }

  set(socketId: string, user: UserSummary, roomId: string, typing: boolean): void {
    if (!typing) {
      this.end(user.id, roomId);
      return;
    }
    const key = typistKey(roomId, user.id);
    const current = this.#typists.get(key);
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => this.#stop(key, typist), this.#expireAfterMs);
    timer.unref();
    const stale = !current || Date.now() - current.announcedAt >= this.#expireAfterMs / 2;
    const typist: Typist = {
      socketId,
      user,
      roomId,
      timer,
      announcedAt: stale ? Date.now() : current.announcedAt,
    };
    this.#typists.set(key, typist);
    if (stale) this.#emit(typist, true);
  }

  /** The user stopped typing in the room (said so, or sent): only a typist on record is announced. */
  end(userId: string, roomId: string): void {
    const key = typistKey(roomId, userId);
    const current = this.#typists.get(key);
    if (!current) return;
    clearTimeout(current.timer);
    this.#stop(key, current);
  }

  dropSocket(socketId: string): void {
    for (const [key, typist] of this.#typists) {
      if (typist.socketId !== socketId) continue;
      clearTimeout(typist.timer);
      this.#stop(key, typist);
    }
  }

  clear(): void {
    for (const typist of this.#typists.values()) clearTimeout(typist.timer);
    this.#typists.clear();
  }

  #stop(key: string, typist: Typist): void {
    this.#typists.delete(key);
    this.#emit(typist, false);
  }

  #emit(typist: Typist, typing: boolean): void {
    this.#io
      .to(channel.room(typist.roomId))
      .except(channel.user(typist.user.id))
      .emit('typing', { roomId: typist.roomId, user: typist.user, typing });
  }
}
