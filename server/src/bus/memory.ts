import type { Bus, Presence, RateLimiter } from './types.js';

class MemoryPresence implements Presence {
  readonly #sockets = new Map<string, Set<string>>();

  async connect(userId: string, socketId: string): Promise<boolean> {
    const sockets = this.#sockets.get(userId) ?? new Set();
    this.#sockets.set(userId, sockets);
    sockets.add(socketId);
    return sockets.size === 1;
  }

  async disconnect(userId: string, socketId: string): Promise<boolean> {
    const sockets = this.#sockets.get(userId);
    if (!sockets?.delete(socketId)) return false;
    if (sockets.size > 0) return false;
    this.#sockets.delete(userId);
    return true;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.#sockets.has(id)));
  }
}

/** Fixed windows: simple, and good enough to make password guessing slow. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, limit: number, windowMs: number) {
    const now = Date.now();
    if (this.#windows.size > 100_000) this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return { allowed: window.count <= limit, retryAfterMs: window.resetAt - now };
  }

  #sweep(now: number) {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}

export function createMemoryBus(): Bus {
  return {
    kind: 'memory',
    presence: new MemoryPresence(),
    limiter: new MemoryRateLimiter(),
    async ping() {},
    async close() {},
  };
}
