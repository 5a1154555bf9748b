import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Presence } from './types.js';

const heartbeatMs = 5_000;
/** A node that has not beaten for this long is dead: its sockets no longer count. */
const nodeTtlMs = 15_000;
const onlineChunk = 1_000;

// Sets this node's count of the user's sockets and answers the user's count over all live nodes, in one
// atomic step: two nodes connecting the same user at once see totals 1 and 2, never 1 and 1.
const countScript = `
local nodes, hash, node, user, count, now, ttl, nodePrefix = KEYS[1], KEYS[2], ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
if count > 0 then redis.call('HSET', hash, user, count) else redis.call('HDEL', hash, user) end
redis.call('PEXPIRE', hash, ttl * 2)
redis.call('ZADD', nodes, now + ttl, node)
local total = 0
for _, live in ipairs(redis.call('ZRANGEBYSCORE', nodes, now, '+inf')) do
  total = total + (tonumber(redis.call('HGET', nodePrefix .. live, user)) or 0)
end
return total`;

const onlineScript = `
local nodes, now, nodePrefix = KEYS[1], ARGV[1], ARGV[2]
local users = {unpack(ARGV, 3)}
local seen = {}
for _, live in ipairs(redis.call('ZRANGEBYSCORE', nodes, now, '+inf')) do
  local counts = redis.call('HMGET', nodePrefix .. live, unpack(users))
  for i, count in ipairs(counts) do
    if count and tonumber(count) > 0 then seen[i] = true end
  end
end
local online = {}
for i, user in ipairs(users) do if seen[i] then table.insert(online, user) end end
return online`;

type Scripted = Redis & {
  parleyCount(...args: (string | number)[]): Promise<number>;
  parleyOnline(...args: (string | number)[]): Promise<string[]>;
};

/**
 * Presence across nodes. Each node owns a hash of its users' socket counts, which it rewrites whole on
 * every heartbeat, and an entry with an expiry time in a shared sorted set. Only nodes whose entry has
 * not expired are counted, so a node that dies (kill -9, lost host) stops keeping its users online
 * after `nodeTtlMs`; the first live node to notice tells `onLost` about them. The node's own sockets
 * are also kept in memory: while Redis is down the node answers from them, and the next heartbeat
 * puts its state back into Redis (which may have lost everything in a restart).
 */
export class RedisPresence implements Presence {
  readonly #redis: Scripted;
  readonly #nodes: string;
  readonly #nodePrefix: string;
  readonly #node = randomUUID();
  readonly #local = new Map<string, Set<string>>();
  readonly #lostListeners: ((userIds: string[]) => void)[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(redis: Redis, prefix: string) {
    redis.defineCommand('parleyCount', { numberOfKeys: 2, lua: countScript });
    redis.defineCommand('parleyOnline', { numberOfKeys: 1, lua: onlineScript });
    this.#redis = redis as Scripted;
    this.#nodes = `${prefix}presence:nodes`;
    this.#nodePrefix = `${prefix}presence:node:`;
    this.#timer = setInterval(() => this.#beat(), heartbeatMs);
    this.#timer.unref();
    // Back from an outage or a Redis restart: put this node's sockets back at once.
    redis.on('ready', () => this.#beat());
  }

  async connect(userId: string, socketId: string): Promise<boolean> {
    const sockets = this.#local.get(userId) ?? new Set();
    this.#local.set(userId, sockets);
    sockets.add(socketId);
    const total = await this.#count(userId, sockets.size);
    return (total ?? sockets.size) === 1 && sockets.size === 1;
  }

  async disconnect(userId: string, socketId: string): Promise<boolean> {
    const sockets = this.#local.get(userId);
    if (!sockets?.delete(socketId)) return false;
    if (sockets.size === 0) this.#local.delete(userId);
    const total = await this.#count(userId, sockets.size);
    return (total ?? sockets.size) === 0;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    const online = new Set(userIds.filter((id) => this.#local.has(id)));
    try {
      for (let start = 0; start < userIds.length; start += onlineChunk) {
        const chunk = userIds.slice(start, start + onlineChunk);
        for (const id of await this.#redis.parleyOnline(
          this.#nodes,
          Date.now(),
          this.#nodePrefix,
          ...chunk,
        )) {
          online.add(id);
        }
      }
    } catch {
      // Redis is unreachable: this node's own users are all it can vouch for.
    }
    return online;
  }

  onLost(listener: (userIds: string[]) => void): void {
    this.#lostListeners.push(listener);
  }

  /** Leaves the set of live nodes at once, rather than after the expiry. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#local.clear();
    try {
      await this.#redis
        .multi()
        .zrem(this.#nodes, this.#node)
        .del(this.#nodePrefix + this.#node)
        .exec();
    } catch {
      // Unreachable: the entry expires by itself.
    }
  }

  /** The user's socket count over live nodes, or undefined when Redis cannot answer. */
  async #count(userId: string, localCount: number): Promise<number | undefined> {
    try {
      const key = this.#nodePrefix + this.#node;
      const args = [this.#node, userId, localCount, Date.now(), nodeTtlMs, this.#nodePrefix];
      return Number(await this.#redis.parleyCount(this.#nodes, key, ...args));
    } catch {
      return undefined;
    }
  }

  #beat(): void {
    this.#heartbeat()
      .then(() => this.#sweep())
      .catch(() => {
        // Redis is down; the next beat tries again.
      });
  }

  async #heartbeat(): Promise<void> {
    const key = this.#nodePrefix + this.#node;
    const counts = [...this.#local].flatMap(([userId, sockets]) => [userId, String(sockets.size)]);
    const transaction = this.#redis.multi().del(key);
    if (counts.length > 0) transaction.hset(key, ...counts);
    await transaction
      .pexpire(key, nodeTtlMs * 2)
      .zadd(this.#nodes, Date.now() + nodeTtlMs, this.#node)
      .exec();
  }

  /** Claims the nodes whose entries expired (ZREM answers 1 to one claimant only) and reports their users. */
  async #sweep(): Promise<void> {
    for (const dead of await this.#redis.zrangebyscore(this.#nodes, '-inf', Date.now())) {
      if ((await this.#redis.zrem(this.#nodes, dead)) !== 1) continue;
      const key = this.#nodePrefix + dead;
      const userIds = Object.keys(await this.#redis.hgetall(key));
      await this.#redis.del(key);
      if (userIds.length === 0) continue;
      const stillOnline = await this.online(userIds);
      const lost = userIds.filter((id) => !stillOnline.has(id));
      if (lost.length > 0) for (const listener of this.#lostListeners) listener(lost);
    }
  }
}
