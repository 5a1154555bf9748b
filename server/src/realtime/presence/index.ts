import type { PresenceMap } from '@parley/protocol';
import type { PresenceChange, SocketDelta } from '../../bus/types.js';
import type { Ctx } from '../../domain/context.js';
import { findUsers } from '../../domain/accounts/users.js';
import { roomIdsOfUsers } from '../../domain/rooms/membership.js';
import { AppError } from '../../errors.js';
import { channel, type IO, type ParleySocket } from '../types.js';
import { PresenceHub } from './hub.js';

/** `presence:watch` calls one socket may make per window: enough to follow every room switch. */
const watchCallsPerWindow = 30;
const watchWindowMs = 10_000;

export function roomChannels(socket: ParleySocket): string[] {
  return [...socket.rooms].filter((name) => name.startsWith('room:'));
}

export interface RealtimePresence {
  hub: PresenceHub;
  /** Counted online (or away, if the handshake says the tab is hidden) at once, in connection order. */
  connected(socket: ParleySocket): void;
  disconnected(socket: ParleySocket, channels: string[]): void;
  setAway(socket: ParleySocket, away: boolean): void;
  watch(socket: ParleySocket, userIds: string[]): Promise<PresenceMap>;
  close(): void;
}

/**
 * Each socket's part in its user's presence: it counts as one connected socket, active unless its tab
 * says it is away. Changes of the user's status go to the hub, which tells the watchers on every node.
 */
export function realtimePresence(
  ctx: Ctx,
  io: IO,
  options: { onFrames?: (count: number) => void } = {},
): RealtimePresence {
  const hub = new PresenceHub(io, ctx.bus.presence, {
    windowMs: ctx.config.presenceWindowMs,
    roomLimit: ctx.config.presenceRoomLimit,
    publish: ctx.bus.adapter ? (changes) => io.serverSideEmit('presence:changes', changes) : undefined,
    onFrames: options.onFrames,
  });
  const fromOtherNodes = (changes: Parameters<PresenceHub['apply']>[0]) => hub.apply(changes);
  io.on('presence:changes', fromOtherNodes);

  const step = (socket: ParleySocket, delta: SocketDelta, channels: string[]) => {
    const { id, username } = socket.data.auth.user;
    ctx.bus.presence.change(id, delta).then(
      (change) => {
        if (change) hub.announce({ ...change, username, channels });
      },
      (error: unknown) => ctx.log.warn({ err: error }, 'presence update failed'),
    );
  };

  ctx.bus.presence.onLost?.((changes) => {
    announceLost(ctx, hub, changes).catch((error: unknown) =>
      ctx.log.warn({ err: error }, 'presence update failed'),
    );
  });

  return {
    hub,
    connected(socket) {
      const away = socket.handshake.auth?.away === true;
      if (away) socket.data.away = true;
      step(socket, { sockets: 1, active: away ? 0 : 1 }, roomChannels(socket));
    },
    disconnected(socket, channels) {
      hub.forget(socket);
      step(socket, { sockets: -1, active: socket.data.away ? 0 : -1 }, channels);
    },
    setAway(socket, away) {
      if (Boolean(socket.data.away) === away) return;
      if (away) socket.data.away = true;
      else delete socket.data.away;
      step(socket, { sockets: 0, active: away ? -1 : 1 }, roomChannels(socket));
    },
    async watch(socket, userIds) {
      const now = Date.now();
      const calls = socket.data.watchCalls;
      if (!calls || now - calls.since >= watchWindowMs) socket.data.watchCalls = { since: now, count: 1 };
      else if (++calls.count > watchCallsPerWindow) {
        throw new AppError('rate_limited', undefined, { retryAfterMs: calls.since + watchWindowMs - now });
      }
      return hub.watch(socket, userIds);
    },
    close() {
      io.off('presence:changes', fromOtherNodes);
      hub.close();
    },
  };
}

/** A node died holding these users' last sockets: their watchers, and the rooms they share, hear it. */
async function announceLost(ctx: Ctx, hub: PresenceHub, changes: PresenceChange[]): Promise<void> {
  // In chunks: a node may die holding tens of thousands of users, past a database's parameter limit.
  for (let start = 0; start < changes.length; start += 500) {
    const chunk = changes.slice(start, start + 500);
    const userIds = chunk.map((change) => change.userId);
    const names = new Map((await findUsers(ctx, userIds)).map((user) => [user.id, user.username]));
    const roomsOf = await roomIdsOfUsers(ctx, userIds);
    for (const change of chunk) {
      const username = names.get(change.userId);
      if (username === undefined) continue;
      hub.announce({ ...change, username, channels: (roomsOf.get(change.userId) ?? []).map(channel.room) });
    }
  }
}
