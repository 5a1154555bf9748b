import {
  type Presence,
  type PresenceChange,
  type PresenceStatus,
  type SocketDelta,
  statusOf,
} from './types.js';

interface Counts {
  sockets: number;
  active: number;
}

/** One node's presence: socket counts per connected user, and a clock that numbers the changes. */
export class MemoryPresence implements Presence {
  readonly #users = new Map<string, Counts>();
  #clock = 0;

  async change(userId: string, delta: SocketDelta): Promise<PresenceChange | undefined> {
    const counts = this.#users.get(userId) ?? { sockets: 0, active: 0 };
    const before = statusOf(counts.sockets, counts.active);
    counts.sockets = Math.max(0, counts.sockets + delta.sockets);
    counts.active = Math.min(counts.sockets, Math.max(0, counts.active + delta.active));
    if (counts.sockets > 0) this.#users.set(userId, counts);
    else this.#users.delete(userId);
    const status = statusOf(counts.sockets, counts.active);
    return status === before ? undefined : { userId, from: before, status, clock: ++this.#clock };
  }

  async states(userIds: readonly string[]): Promise<Map<string, PresenceStatus>> {
    return new Map(
      userIds.map((id) => {
        const counts = this.#users.get(id);
        return [id, counts ? statusOf(counts.sockets, counts.active) : 'offline'];
      }),
    );
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.#users.has(id)));
  }
}
