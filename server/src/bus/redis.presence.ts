import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type Presence,
  type PresenceChange,
  type PresenceStatus,
  type SocketDelta,
  statusOf,
} from './types.js';

const heartbeatMs = 5_000;
/** A node that has not beaten for this long is dead: its sockets no longer count. */
const nodeTtlMs = 15_000;
const statesChunk = 1_000;
const statuses: PresenceStatus[] = ['offline', 'away', 'online'];

// Each node's hash holds "sockets:active" per user. `sum` adds a user's counts over the live nodes and
// answers 0 (offline), 1 (away) or 2 (online).
const sum = `
local function parse(v)
  if not v then return 0, 0 end
  local s, a = string.match(v, '^(%d+):(%d+)$')
  return tonumber(s) or 0, tonumber(a) or 0
end
local function code(s, a) if a > 0 then return 2 elseif s > 0 then return 1 else return 0 end end
local function sum(nodes, prefix, user)
  local s, a = 0, 0
  for _, n in ipairs(nodes) do
    local ns, na = parse(redis.call('HGET', prefix .. n, user))
    s, a = s + ns, a + na
  end
  return s, a
end`;

// Sets this node's counts for the user and, in the same atomic step, compares the user's status over
// all live nodes before and after: two nodes changing the same user at once see one change each, in
// an order the clock records.
const changeScript = `${sum}
local live, hash, clockKey = KEYS[1], KEYS[2], KEYS[3]
local node, user, sockets, active, now, ttl, prefix = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
redis.call('ZADD', live, now + ttl, node)
local nodes = redis.call('ZRANGEBYSCORE', live, now, '+inf')
local before = code(sum(nodes, prefix, user))
if sockets > 0 then redis.call('HSET', hash, user, sockets .. ':' .. active) else redis.call('HDEL', hash, user) end
redis.call('PEXPIRE', hash, ttl * 2)
local after = code(sum(nodes, prefix, user))
if after == before then return {before, after, 0} end
return {before, after, redis.call('INCR', clockKey)}`;

const statesScript = `${sum}
local live, now, prefix = KEYS[1], ARGV[1], ARGV[2]
local users = {unpack(ARGV, 3)}
local s, a = {}, {}
for i = 1, #users do s[i] = 0; a[i] = 0 end
for _, n in ipairs(redis.call('ZRANGEBYSCORE', live, now, '+inf')) do
  for i, v in ipairs(redis.call('HMGET', prefix .. n, unpack(users))) do
    local ns, na = parse(v)
    s[i], a[i] = s[i] + ns, a[i] + na
  end
end
local out = {}
for i = 1, #users do out[i] = code(s[i], a[i]) end
return out`;

// Claims a dead node (ZREM answers 1 to one claimant only) and answers, flat, user/before/after/clock for
// each user whose status its sockets were holding up.
const lostScript = `${sum}
local live, clockKey = KEYS[1], KEYS[2]
local dead, now, prefix = ARGV[1], ARGV[2], ARGV[3]
if redis.call('ZREM', live, dead) ~= 1 then return {} end
local entries = redis.call('HGETALL', prefix .. dead)
redis.call('DEL', prefix .. dead)
local nodes = redis.call('ZRANGEBYSCORE', live, now, '+inf')
local out = {}
for i = 1, #entries, 2 do
  local ds, da = parse(entries[i + 1])
  local s, a = sum(nodes, prefix, entries[i])
  local before, after = code(s + ds, a + da), code(s, a)
  if before ~= after then
    table.insert(out, entries[i]); table.insert(out, before); table.insert(out, after)
    table.insert(out, redis.call('INCR', clockKey))
  end
end
return out`;

type Scripted = Redis & {
  parleyPresenceChange(...args: (string | number)[]): Promise<[number, number, number]>;
  parleyPresenceStates(...args: (string | number)[]): Promise<number[]>;
  parleyPresenceLost(...args: (string | number)[]): Promise<(string | number)[]>;
};

interface Counts {
  sockets: number;
  active: number;
}

/**
 * Presence across nodes. Each node owns a hash of its users' socket counts ("sockets:active"), which it
 * rewrites whole on every heartbeat, and an entry with an expiry time in a shared sorted set. Only
 * nodes whose entry has not expired are counted, so a node that dies (kill -9, lost host) stops keeping
 * its users online after `nodeTtlMs`; the first live node to notice reports the changes to `onLost`.
 * Every change takes a number from one Redis counter, so the nodes apply changes that reach them out
 * of order in the right order. The node's own counts are also kept in memory: while Redis is down the
 * node answers from them, and the next heartbeat puts its state back into Redis.
 */
export class RedisPresence implements Presence {
  readonly #redis: Scripted;
  readonly #live: string;
  readonly #nodePrefix: string;
  readonly #clock: string;
  readonly #node = randomUUID();
  readonly #local = new Map<string, Counts>();
  readonly #lostListeners: ((changes: PresenceChange[]) => void)[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(redis: Redis, prefix: string) {
    redis.defineCommand('parleyPresenceChange', { numberOfKeys: 3, lua: changeScript });
    redis.defineCommand('parleyPresenceStates', { numberOfKeys: 1, lua: statesScript });
    redis.defineCommand('parleyPresenceLost', { numberOfKeys: 2, lua: lostScript });
    this.#redis = redis as Scripted;
    this.#live = `${prefix}presence:live`;
    this.#nodePrefix = `${prefix}presence:sockets:`;
    this.#clock = `${prefix}presence:clock`;
    this.#timer = setInterval(() => this.#beat(), heartbeatMs);
    this.#timer.unref();
    // Back from an outage or a Redis restart: put this node's sockets back at once.
    redis.on('ready', () => this.#beat());
  }

  async change(userId: string, delta: SocketDelta): Promise<PresenceChange | undefined> {
    const counts = this.#local.get(userId) ?? { sockets: 0, active: 0 };
    const before = statusOf(counts.sockets, counts.active);
    counts.sockets = Math.max(0, counts.sockets + delta.sockets);
    counts.active = Math.min(counts.sockets, Math.max(0, counts.active + delta.active));
    if (counts.sockets > 0) this.#local.set(userId, counts);
    else this.#local.delete(userId);
    try {
      const key = this.#nodePrefix + this.#node;
      const [from, to, clock] = await this.#redis.parleyPresenceChange(
        this.#live,
        key,
        this.#clock,
        this.#node,
        userId,
        counts.sockets,
        counts.active,
        Date.now(),
        nodeTtlMs,
        this.#nodePrefix,
      );
      if (clock === 0) return undefined;
      return { userId, from: statuses[from] ?? 'offline', status: statuses[to] ?? 'offline', clock };
    } catch {
      // Redis is unreachable: this node's own sockets are all it can go by, unordered.
      const status = statusOf(counts.sockets, counts.active);
      return status === before ? undefined : { userId, from: before, status, clock: 0 };
    }
  }

  async states(userIds: readonly string[]): Promise<Map<string, PresenceStatus>> {
    const states = new Map<string, PresenceStatus>();
    for (const id of userIds) {
      const counts = this.#local.get(id);
      states.set(id, counts ? statusOf(counts.sockets, counts.active) : 'offline');
    }
    try {
      for (let start = 0; start < userIds.length; start += statesChunk) {
        const chunk = userIds.slice(start, start + statesChunk);
        const codes = await this.#redis.parleyPresenceStates(
          this.#live,
          Date.now(),
          this.#nodePrefix,
          ...chunk,
        );
        for (const [i, id] of chunk.entries()) states.set(id, statuses[codes[i] ?? 0] ?? 'offline');
      }
    } catch {
      // Redis is unreachable: this node's own users are all it can vouch for.
    }
    return states;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    const states = await this.states(userIds);
    return new Set(userIds.filter((id) => states.get(id) !== 'offline'));
  }

  onLost(listener: (changes: PresenceChange[]) => void): void {
    this.#lostListeners.push(listener);
  }

  /** Leaves the set of live nodes at once, rather than after the expiry. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#local.clear();
    try {
      await this.#redis
        .multi()
        .zrem(this.#live, this.#node)
        .del(this.#nodePrefix + this.#node)
        .exec();
    } catch {
      // Unreachable: the entry expires by itself.
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
    const counts = [...this.#local].flatMap(([userId, c]) => [userId, `${c.sockets}:${c.active}`]);
    const transaction = this.#redis.multi().del(key);
    if (counts.length > 0) transaction.hset(key, ...counts);
    await transaction
      .pexpire(key, nodeTtlMs * 2)
      .zadd(this.#live, Date.now() + nodeTtlMs, this.#node)
      .exec();
  }

  async #sweep(): Promise<void> {
    for (const dead of await this.#redis.zrangebyscore(this.#live, '-inf', Date.now())) {
      const flat = await this.#redis.parleyPresenceLost(
        this.#live,
        this.#clock,
        dead,
        Date.now(),
        this.#nodePrefix,
      );
      const changes: PresenceChange[] = [];
      for (let i = 0; i + 3 < flat.length; i += 4) {
        changes.push({
          userId: String(flat[i]),
          from: statuses[Number(flat[i + 1])] ?? 'offline',
          status: statuses[Number(flat[i + 2])] ?? 'offline',
          clock: Number(flat[i + 3]),
        });
      }
      if (changes.length > 0) for (const listener of this.#lostListeners) listener(changes);
    }
  }
}
