import type { UserSummary } from '@parley/protocol';
import { findUsers } from '../domain/accounts/users.js';
import type { Ctx } from '../domain/context.js';
import { roomIdsOfUsers } from '../domain/rooms/membership.js';
import { toSummary } from '../domain/mapping.js';
import { channel, type IO, type ParleySocket } from './types.js';

/**
 * Online while any of the user's sockets is connected, on any node. The change is told to everyone who
 * shares a room with the user: broadcasting to all of the user's rooms at once reaches each socket once.
 */
export async function cameOnline(ctx: Ctx, io: IO, socket: ParleySocket): Promise<void> {
  const { user } = socket.data.auth;
  if (await ctx.bus.presence.connect(user.id, socket.id)) {
    announce(ctx, io, roomChannels(socket), { user: toSummary(user), online: true });
  }
}

export async function wentOffline(ctx: Ctx, io: IO, socket: ParleySocket, rooms: string[]): Promise<void> {
  const { user } = socket.data.auth;
  if (await ctx.bus.presence.disconnect(user.id, socket.id)) {
    announce(ctx, io, rooms, { user: toSummary(user), online: false });
  }
}

/**
 * Tells the rooms small enough for live presence (see `presenceRoomLimit`; sockets counted on this
 * node). Never with an empty list, which Socket.IO would read as "everyone".
 */
function announce(ctx: Ctx, io: IO, rooms: string[], payload: { user: UserSummary; online: boolean }): void {
  const sizes = io.of('/').adapter.rooms;
  const small = rooms.filter((room) => (sizes.get(room)?.size ?? 0) <= ctx.config.presenceRoomLimit);
  if (small.length > 0) io.to(small).emit('presence', payload);
}

export function roomChannels(socket: ParleySocket): string[] {
  return [...socket.rooms].filter((name) => name.startsWith('room:'));
}

/** A node died holding these users' last sockets: the rooms they share hear that they are gone. */
export async function announceLost(ctx: Ctx, io: IO, userIds: string[]): Promise<void> {
  const users = await findUsers(ctx, userIds);
  const roomsOf = await roomIdsOfUsers(ctx, userIds);
  for (const user of users) {
    const rooms = (roomsOf.get(user.id) ?? []).map(channel.room);
    announce(ctx, io, rooms, { user: toSummary(user), online: false });
  }
}
