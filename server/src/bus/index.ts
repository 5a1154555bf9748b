import type { Config } from '../config.js';
import { createMemoryBus } from './memory.js';
import { openRedisBus } from './redis.js';
import type { Bus } from './types.js';

export type { Bus } from './types.js';

/** In-process unless REDIS_URL is set. */
export async function openBus(config: Config): Promise<Bus> {
  if (config.redisUrl) return openRedisBus(config.redisUrl, config.redisPrefix);
  return createMemoryBus();
}
