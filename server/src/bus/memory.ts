import { MemoryBuckets } from './buckets.memory.js';
import { MemoryPresence } from './memory.presence.js';
import type { Bus, RateLimiter } from './types.js';

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
    buckets: new MemoryBuckets(),
    async ping() {},
    async close() {},
  };
}
