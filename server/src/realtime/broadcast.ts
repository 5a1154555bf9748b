import { findUsers } from '../domain/accounts/users.js';
import { roomIdsOf } from '../domain/rooms/membership.js';
import type { Ctx } from '../domain/context.js';
import { channel, type IO } from './types.js';
import { coalescedRoomCreated, moderationHandlers } from './moderation.js';

/**
 * Delivers what the domain announces (message changes: delivery.ts). Membership changes also move the user's sockets (on every node,
 * through the adapter) in or out of the room, so a socket follows rooms joined from another tab or over
 * REST, and a removed member stops hearing the room at once.
 */
export function deliverDomainEvents(ctx: Ctx, io: IO): () => void {
  const { events } = ctx;
  const refreshUser = async (userId: string) => {
    const [user] = await findUsers(ctx, [userId]);
    if (!user) return;
    for (const socket of await io.local.in(channel.user(userId)).fetchSockets()) {
      const { avatar: _avatar, displayName: _displayName, ...rest } = socket.data.auth.user;
      socket.data.auth.user = { ...rest, ...user };
      if (user.admin) socket.join(channel.admins);
      else socket.leave(channel.admins);
    }
  };
  const renamedElsewhere = (userId: string) => {
    refreshUser(userId).catch((error: unknown) => ctx.log.warn({ err: error }, 'user refresh failed'));
  };
  io.on('user:renamed', renamedElsewhere);
  const reloadSettings = () => {
    ctx.settings.load(ctx).catch((error: unknown) => ctx.log.warn({ err: error }, 'settings reload failed'));
  };
  io.on('settings:changed', reloadSettings);
  const roomCreated = coalescedRoomCreated(io);
  const handlers = {
    'member.joined': ({ roomId, user, by, member }) => {
      io.in(channel.user(user.id)).socketsJoin(channel.room(roomId));
      io.to(channel.room(roomId)).emit('room:member', { roomId, user, action: 'joined', by, member });
    },
    'member.left': ({ roomId, user, by }) => {
      io.to(channel.room(roomId)).emit('room:member', { roomId, user, action: 'left', by });
      io.in(channel.user(user.id)).socketsLeave(channel.room(roomId));
    },
    'room.created': (room) => roomCreated.created(room),
    'room.updated': (update) => {
      io.to(channel.room(update.roomId)).emit('room:updated', update);
    },
    'read.moved': ({ userId, roomId, seq, share }) => {
      io.to(channel.user(userId)).emit('room:read', { roomId, seq, userId });
      if (!share) return;
      // Members who withhold their own receipts see none of others' (and the reader has it already).
      const except = [userId, ...share.except].map(channel.user);
      io.to(channel.room(roomId)).except(except).emit('room:read', { roomId, seq, userId });
    },
    'delivered.moved': ({ userId, roomId, seq }) => {
      io.to(channel.room(roomId))
        .except(channel.user(userId))
        .emit('room:delivered', { roomId, userId, seq });
    },
    'notifications.changed': ({ userId, roomId, notifications }) => {
      io.to(channel.user(userId)).emit('room:notifications', { roomId, notifications });
    },
    'session.revoked': ({ sessionId }) => {
      io.in(channel.session(sessionId)).disconnectSockets(true);
    },
    'user.renamed': ({ userId }) => {
      // Sockets hold the user they authenticated as; those on other nodes hear it from this one.
      if (ctx.bus.adapter) io.serverSideEmit('user:renamed', userId);
      refreshUser(userId).catch((error: unknown) =>
        ctx.log.warn({ err: error }, 'could not refresh a renamed user'),
      );
      announceUser(ctx, io, userId).catch((error: unknown) =>
        ctx.log.warn({ err: error }, 'could not announce a changed user'),
      );
    },
    ...moderationHandlers(ctx, io, renamedElsewhere),
  } satisfies {
    [K in Exclude<keyof import('../domain/events.js').DomainEvents, 'room.changed' | 'files.deleted'>]: (
      ...args: import('../domain/events.js').DomainEvents[K]
    ) => void;
  };

  for (const [name, handler] of Object.entries(handlers)) events.on(name as never, handler as never);
  return () => {
    io.off('user:renamed', renamedElsewhere);
    io.off('settings:changed', reloadSettings);
    roomCreated.stop();
    for (const [name, handler] of Object.entries(handlers)) events.off(name as never, handler as never);
  };
}

/** Tells the person's rooms (on every node, through the adapter) and their own tabs how they look now. */
async function announceUser(ctx: Ctx, io: IO, userId: string): Promise<void> {
  const [user] = await findUsers(ctx, [userId]);
  if (!user) return;
  const { guest: _guest, admin: _admin, ...summary } = user;
  const rooms = await roomIdsOf(ctx, userId);
  io.to([channel.user(userId), ...rooms.map(channel.room)]).emit('user:updated', summary);
}
