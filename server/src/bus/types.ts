import type { ServerOptions } from 'socket.io';

type AdapterConstructor = NonNullable<ServerOptions['adapter']>;

export type PresenceStatus = 'online' | 'away' | 'offline';

/**
 * A person's status changed. `clock` orders changes across nodes (a later change has a higher clock;
 * 0 means "unordered", decided while the nodes could not agree, e.g. during a Redis outage).
 */
export interface PresenceChange {
  userId: string;
  /** The status before the change. */
  from: PresenceStatus;
  status: PresenceStatus;
  clock: number;
}

/** One socket's step: it connects (+1), disconnects (-1), or its tab goes away or comes back. */
export interface SocketDelta {
  sockets: -1 | 0 | 1;
  active: -1 | 0 | 1;
}

/**
 * Who is connected, and who is only away. Counting sockets, not users, keeps a user online while any
 * tab is in use and away while every connected tab is away. The caller (one socket's lifecycle) keeps
 * the deltas paired: one +1 and one -1 per socket, an active step only when its away state flips.
 */
export interface Presence {
  /** Applies one socket's step on this node; the user's status when that changed it anywhere. */
  change(userId: string, delta: SocketDelta): Promise<PresenceChange | undefined>;
  /**
   * The status of each of `userIds` now. Older than any change announced after it was read: a watcher
   * lets an announced change win over it (changes still in flight settle the rest).
   */
  states(userIds: readonly string[]): Promise<Map<string, PresenceStatus>>;
  /** The subset of `userIds` that has at least one connected socket (online or away). */
  online(userIds: readonly string[]): Promise<Set<string>>;
  /**
   * What changed for users whose sockets were on a node that died without saying goodbye, once that
   * is noticed. Across nodes only: on one node the process that would notice is the one that died.
   */
  onLost?(listener: (changes: PresenceChange[]) => void): void;
}

/** Status from the socket counts summed over live nodes. */
export function statusOf(sockets: number, active: number): PresenceStatus {
  if (active > 0) return 'online';
  return sockets > 0 ? 'away' : 'offline';
}

export interface RateLimiter {
  /** Counts one attempt against `key`; refused once `limit` attempts fall in the window. */
  hit(key: string, limit: number, windowMs: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

/** Per-user abuse limits: a bucket of `count` tokens per key, refilled evenly over `perMs`. */
export interface TokenBuckets {
  /** Takes one token; refused (with the wait until the next one) when the bucket is empty. */
  take(
    key: string,
    count: number,
    perMs: number,
  ): { allowed: boolean; retryAfterMs: number } | Promise<{ allowed: boolean; retryAfterMs: number }>;
}

/**
 * The scale-out seam: in-process on one node, Redis across nodes. Broadcasts themselves go through the
 * Socket.IO adapter; the bus adds the state the nodes must agree on.
 */
export interface Bus {
  readonly kind: 'memory' | 'redis';
  /** Socket.IO adapter for cross-node broadcasts; undefined means Socket.IO's in-memory default. */
  readonly adapter?: AdapterConstructor;
  readonly presence: Presence;
  readonly limiter: RateLimiter;
  readonly buckets: TokenBuckets;
  ping(): Promise<void>;
  close(): Promise<void>;
}
