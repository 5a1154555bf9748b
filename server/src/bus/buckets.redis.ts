import type { Redis } from 'ioredis';
import { MemoryBuckets } from './buckets.memory.js';
import type { TokenBuckets } from './types.js';

// One bucket per key as a hash {t: tokens, at: ms}, refilled on read, by Redis's clock so that nodes
// with skewed clocks agree. Answers {allowed, retry-after ms}.
const takeScript = `
local count, per = tonumber(ARGV[1]), tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1])
if tokens == nil then tokens = count else tokens = math.min(count, tokens + (now - tonumber(state[2])) * count / per) end
if tokens >= 1 then
  redis.call('HSET', KEYS[1], 't', tostring(tokens - 1), 'at', now)
  redis.call('PEXPIRE', KEYS[1], per)
  return {1, 0}
end
return {0, math.ceil((1 - tokens) * per / count)}`;

type Scripted = Redis & { parleyTake(key: string, count: number, perMs: number): Promise<[number, number]> };

/**
 * Token buckets every node shares. A refusal is remembered on this node until the bucket has a token
 * again, so a client that keeps flooding is answered from memory and costs Redis nothing. While Redis
 * is unreachable each node limits on its own: limits loosen by the number of nodes, they never vanish.
 */
export class RedisBuckets implements TokenBuckets {
  readonly #redis: Scripted;
  readonly #prefix: string;
  readonly #fallback = new MemoryBuckets();
  readonly #refusedUntil = new Map<string, number>();

  constructor(redis: Redis, prefix: string) {
    redis.defineCommand('parleyTake', { numberOfKeys: 1, lua: takeScript });
    this.#redis = redis as Scripted;
    this.#prefix = `${prefix}bucket:`;
  }

  async take(key: string, count: number, perMs: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const now = Date.now();
    const refused = this.#refusedUntil.get(key);
    if (refused !== undefined) {
      if (refused > now) return { allowed: false, retryAfterMs: refused - now };
      this.#refusedUntil.delete(key);
    }
    let answer: { allowed: boolean; retryAfterMs: number };
    try {
      const [allowed, retryAfterMs] = await this.#redis.parleyTake(this.#prefix + key, count, perMs);
      answer = { allowed: allowed === 1, retryAfterMs: Number(retryAfterMs) };
    } catch {
      answer = this.#fallback.take(key, count, perMs);
    }
    if (!answer.allowed) {
      if (this.#refusedUntil.size > 100_000) this.#refusedUntil.clear();
      this.#refusedUntil.set(key, now + answer.retryAfterMs);
    }
    return answer;
  }
}
