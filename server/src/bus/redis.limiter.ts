import type { Redis } from 'ioredis';
import { MemoryRateLimiter } from './memory.js';
import type { RateLimiter } from './types.js';

// A fixed window per key, counted where every node sees it.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

type Scripted = Redis & { parleyHit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * Rate limits shared by all nodes. While Redis is unreachable each node counts on its own instead of
 * letting everything through: limits loosen by the number of nodes for a while, they do not vanish.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Scripted;
  readonly #prefix: string;
  readonly #fallback = new MemoryRateLimiter();

  constructor(redis: Redis, prefix: string) {
    redis.defineCommand('parleyHit', { numberOfKeys: 1, lua: hitScript });
    this.#redis = redis as Scripted;
    this.#prefix = `${prefix}limit:`;
  }

  async hit(key: string, limit: number, windowMs: number) {
    try {
      const [count, ttl] = await this.#redis.parleyHit(this.#prefix + key, windowMs);
      return { allowed: count <= limit, retryAfterMs: Math.max(0, Number(ttl)) };
    } catch {
      return this.#fallback.hit(key, limit, windowMs);
    }
  }
}
