import type { Config } from '../config.js';
import { createMemoryBus } from './memory.js';
import type { Bus } from './types.js';

export type { Bus } from './types.js';

/** In-process unless REDIS_URL is set. */
export async function openBus(config: Config): Promise<Bus> {
  if (config.redisUrl) {
    throw new Error('REDIS_URL is set but this build has no Redis bus yet');
  }
  return createMemoryBus();
}
