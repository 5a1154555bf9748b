import type { Room } from '@parley/protocol';
import type { Ctx } from '../domain/context.js';
import type { DomainEvents } from '../domain/events.js';
import { channel, type IO } from './types.js';

type Handlers<K extends keyof DomainEvents> = { [E in K]: (...args: DomainEvents[E]) => void };

/** Public rooms announced one by one per window and node; past that, one `rooms:changed` at its end. */
const createdWindowMs = 5_000;
const createdPerWindow = 5;

/**
 * `room:created` goes to every connected socket, so a burst of creations (a script making thousands of
 * rooms) must not become thousands of frames per socket: the first few in each window go out as they
 * are made, the rest are folded into one `rooms:changed` at the end of the window, after which clients
 * fetch the room list (a page) again.
 */
export function coalescedRoomCreated(io: IO): { created(room: Room): void; stop(): void } {
  let sent = 0;
  let folded = 0;
  let timer: NodeJS.Timeout | undefined;
  const endWindow = () => {
    if (folded > 0) io.emit('rooms:changed', { created: folded });
    sent = 0;
    folded = 0;
    timer = undefined;
  };
  return {
    created(room) {
      timer ??= setTimeout(endWindow, createdWindowMs).unref();
      if (sent < createdPerWindow) {
        sent += 1;
        io.emit('room:created', room);
      } else folded += 1;
    },
    stop() {
      clearTimeout(timer);
    },
  };
}

/** Delivers what moderation and administration announce. */
export function moderationHandlers(
  ctx: Ctx,
  io: IO,
  refreshUser: (userId: string) => void,
): Handlers<
  | 'settings.changed'
  | 'user.updated'
  | 'room.deleted'
  | 'member.updated'
  | 'restriction.changed'
  | 'report.created'
> {
  return {
    'settings.changed': () => {
      // This node has reloaded already; the others reload when they hear it.
      if (ctx.bus.adapter) io.serverSideEmit('settings:changed');
    },
    'user.updated': ({ userId }) => {
      if (ctx.bus.adapter) io.serverSideEmit('user:renamed', userId);
      refreshUser(userId);
    },
    'room.deleted': ({ roomId }) => {
      io.to(channel.room(roomId)).emit('room:deleted', { roomId });
      io.in(channel.room(roomId)).socketsLeave(channel.room(roomId));
    },
    'member.updated': ({ roomId, member, by }) => {
      io.to(channel.room(roomId)).emit('member:updated', { roomId, member, by });
    },
    'restriction.changed': ({ userId, roomId, restriction, message, by }) => {
      io.to(channel.user(userId)).emit('room:restriction', { roomId, restriction, message, by });
    },
    'report.created': ({ report, moderatorIds }) => {
      io.to([channel.admins, ...moderatorIds.map(channel.user)]).emit('report:new', report);
    },
  };
}
