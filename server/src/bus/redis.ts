import { Redis } from 'ioredis';
import { RedisBuckets } from './buckets.redis.js';
import { streamsAdapter } from './redis.adapter.js';
import { RedisRateLimiter } from './redis.limiter.js';
import { RedisPresence } from './redis.presence.js';
import type { Bus } from './types.js';

const startupWaitMs = 3_000;

/**
 * The bus across nodes. Two connections with opposite needs: `state` (presence, limits, ping) fails
 * fast — no offline queue and a one-second command timeout — so a Redis outage never stalls a
 * request, each caller falling back to what this node knows; `publisher` (the Socket.IO adapter)
 * queues while Redis is away, so the broadcasts made meanwhile reach the other nodes afterwards.
 */
export async function openRedisBus(url: string, prefix: string): Promise<Bus> {
  const retryStrategy = (attempt: number) => Math.min(attempt * 100, 2_000);
  const state = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy,
  });
  const publisher = new Redis(url, { maxRetriesPerRequest: null, retryStrategy });
  // Connection errors are expected during an outage; `ping` and /readyz report them.
  for (const client of [state, publisher]) client.on('error', () => {});
  // Start with Redis if it is there; a node that starts during an outage serves its own clients.
  // (Not `once(state, 'ready')`: it rejects on the first 'error', and a refused or hanging connection
  // emits one, which made start-up throw — a crash loop for as long as Redis was away.)
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, startupWaitMs);
    function done() {
      clearTimeout(timer);
      state.off('ready', done);
      resolve();
    }
    state.once('ready', done);
  });

  const presence = new RedisPresence(state, prefix);
  const adapter = streamsAdapter(publisher, prefix);
  return {
    kind: 'redis',
    adapter: adapter.adapter,
    presence,
    limiter: new RedisRateLimiter(state, prefix),
    buckets: new RedisBuckets(state, prefix),
    async ping() {
      if (state.status !== 'ready') throw new Error(`Redis is ${state.status}`);
      await state.ping();
    },
    async close() {
      await presence.close();
      adapter.close();
      await Promise.allSettled([state, publisher].map(shut));
    },
  };
}

/** QUIT lets queued replies arrive; a client that is not connected would wait forever for it. */
async function shut(client: Redis): Promise<void> {
  if (client.status !== 'ready') return client.disconnect();
  await client.quit();
}
