import type { Ctx } from '../domain/context.js';
import { toSummary } from '../domain/mapping.js';
import type { IO, ParleySocket } from './types.js';

/**
 * Online while any of the user's sockets is connected, on any node. The change is told to everyone who
 * shares a room with the user: broadcasting to all of the user's rooms at once reaches each socket once.
 */
export async function cameOnline(ctx: Ctx, io: IO, socket: ParleySocket): Promise<void> {
  const { user } = socket.data.auth;
  if (await ctx.bus.presence.connect(user.id, socket.id)) {
    io.to(roomChannels(socket)).emit('presence', { user: toSummary(user), online: true });
  }
}

export async function wentOffline(ctx: Ctx, io: IO, socket: ParleySocket, rooms: string[]): Promise<void> {
  const { user } = socket.data.auth;
  if ((await ctx.bus.presence.disconnect(user.id, socket.id)) && rooms.length > 0) {
    io.to(rooms).emit('presence', { user: toSummary(user), online: false });
  }
}

export function roomChannels(socket: ParleySocket): string[] {
  return [...socket.rooms].filter((name) => name.startsWith('room:'));
}
