import { ReadEvent, RoomRef, SendEvent, SyncEvent, TypingEvent } from '@parley/protocol';
import type { Ctx } from '../domain/context.js';
import { fail } from '../errors.js';
import { toSummary } from '../domain/mapping.js';
import { markRead, sendMessage, sync } from '../domain/messages/messages.js';
import { memberRoom } from '../domain/rooms/access.js';
import { joinRoom, leaveRoom } from '../domain/rooms/membership.js';
import type { MessageWriter } from '../domain/messages/writer.js';
import { handle } from './ack.js';
import type { TypingTracker } from './typing.js';
import { channel, type ParleySocket } from './types.js';

type Listener = (this: ParleySocket, ...args: unknown[]) => void;

/**
 * Socket events only translate: each one calls the same domain function a REST route would. Made once
 * per server and added to every socket (see `handle`).
 */
export function socketHandlers(deps: {
  ctx: Ctx;
  writer: MessageWriter;
  typing: TypingTracker;
}): [string, Listener][] {
  const { ctx, writer, typing } = deps;
  const log = ctx.log;
  return [
    [
      'room:join',
      handle(RoomRef, log, async (socket, { roomId }) => ({
        room: await joinRoom(ctx, socket.data.auth, roomId),
      })),
    ],
    [
      'room:leave',
      handle(RoomRef, log, async (socket, { roomId }) => {
        await leaveRoom(ctx, socket.data.auth, roomId);
        return {};
      }),
    ],
    [
      'message:send',
      handle(SendEvent, log, async (socket, payload) => {
        const message = await sendMessage(ctx, writer, socket.data.auth, payload);
        // Sending ends typing, without waiting for the timeout.
        typing.set(socket.id, toSummary(socket.data.auth.user), payload.roomId, false);
        return { message };
      }),
    ],
    [
      'typing',
      handle(TypingEvent, log, async (socket, { roomId, typing: isTyping }) => {
        // The socket's rooms are server state, kept in step with the database by every membership
        // change; typing is too frequent to ask the database each time. Only a refusal does, to answer
        // 404 or 403 precisely.
        if (!socket.rooms.has(channel.room(roomId))) {
          await memberRoom(ctx, socket.data.auth.user.id, roomId);
          fail('not_a_member');
        }
        typing.set(socket.id, toSummary(socket.data.auth.user), roomId, isTyping);
        return {};
      }),
    ],
    ['sync', handle(SyncEvent, log, async (socket, { since }) => sync(ctx, socket.data.auth, since))],
    [
      'read',
      handle(ReadEvent, log, async (socket, { roomId, seq }) => {
        await markRead(ctx, socket.data.auth, roomId, seq);
        return {};
      }),
    ],
  ];
}
