import type { ServerOptions } from 'socket.io';

type AdapterConstructor = NonNullable<ServerOptions['adapter']>;

/** Who is connected. Counting sockets, not users, keeps a user online while any tab is open. */
export interface Presence {
  /** Records a socket; true when it is the user's first connected socket anywhere. */
  connect(userId: string, socketId: string): Promise<boolean>;
  /** Forgets a socket; true when it was the user's last. */
  disconnect(userId: string, socketId: string): Promise<boolean>;
  /** The subset of `userIds` that has at least one connected socket. */
  online(userIds: readonly string[]): Promise<Set<string>>;
  /**
   * Users whose only sockets were on a node that died without saying goodbye, once that is noticed.
   * Across nodes only: on one node the process that would notice is the one that died.
   */
  onLost?(listener: (userIds: string[]) => void): void;
}

export interface RateLimiter {
  /** Counts one attempt against `key`; refused once `limit` attempts fall in the window. */
  hit(key: string, limit: number, windowMs: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
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
  ping(): Promise<void>;
  close(): Promise<void>;
}
