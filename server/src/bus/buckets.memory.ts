import type { TokenBuckets } from './types.js';

interface Bucket {
  tokens: number;
  at: number;
}

const allowed = Object.freeze({ allowed: true, retryAfterMs: 0 });

/**
 * Token buckets in this process: for one node, and the fallback of the Redis ones while Redis is away.
 * A bucket holds `count` tokens and refills evenly over `perMs`; each action takes one.
 */
export class MemoryBuckets implements TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  #sweepAt = 0;

  take(key: string, count: number, perMs: number): { allowed: boolean; retryAfterMs: number } {
    const now = Date.now();
    if (this.#buckets.size > 100_000 && now > this.#sweepAt) this.#sweep(now, perMs);
    const bucket = this.#buckets.get(key);
    const tokens = bucket ? Math.min(count, bucket.tokens + ((now - bucket.at) * count) / perMs) : count;
    if (tokens >= 1) {
      if (bucket) {
        bucket.tokens = tokens - 1;
        bucket.at = now;
      } else this.#buckets.set(key, { tokens: tokens - 1, at: now });
      return allowed;
    }
    return { allowed: false, retryAfterMs: Math.ceil(((1 - tokens) * perMs) / count) };
  }

  /** Buckets untouched for a long while are full again: forgetting them changes nothing. */
  #sweep(now: number, perMs: number): void {
    this.#sweepAt = now + 10_000;
    const idle = Math.max(perMs, 3_600_000);
    for (const [key, bucket] of this.#buckets) if (now - bucket.at > idle) this.#buckets.delete(key);
  }
}
