import type { Config } from '../config.js';
import { createMemoryBus } from './memory.js';
import type { Bus } from './types.js';

export type { Bus } from './types.js';

/** In-process unless REDIS_URL is set. */
export async function openBus(config: Config): Promise<Bus> {
  if (config.redisUrl) {
    // Loaded only when used, like the PostgreSQL driver: one node on its own never needs ioredis.
    const { openRedisBus } = await import('./redis.js');
    return openRedisBus(config.redisUrl, config.redisPrefix);
  }
  return createMemoryBus();
}
