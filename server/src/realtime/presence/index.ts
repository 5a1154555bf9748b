import type { PresenceMap } from '@parley/protocol';
import type { PresenceChange, SocketDelta } from '../../bus/types.js';
import type { Ctx } from '../../domain/context.js';
import { AppError } from '../../domain/errors.js';
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
  const { db } = ctx.store;
  for (let start = 0; start < changes.length; start += 500) {
    const chunk = changes.slice(start, start + 500);
    const userIds = chunk.map((change) => change.userId);
    const users = await db
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', 'in', userIds)
      .execute();
    const memberships = await db
      .selectFrom('memberships')
      .select(['user_id', 'room_id'])
      .where('user_id', 'in', userIds)
      .execute();
    const names = new Map(users.map((user) => [user.id, user.username]));
    const channels = new Map<string, string[]>();
    for (const m of memberships) {
      const list = channels.get(m.user_id) ?? [];
      list.push(channel.room(m.room_id));
      channels.set(m.user_id, list);
    }
    for (const change of chunk) {
      hub.announce({
        ...change,
        username: names.get(change.userId) ?? '',
        channels: channels.get(change.userId) ?? [],
      });
    }
  }
}
