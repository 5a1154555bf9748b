import { ReadEvent, RoomRef, SendEvent, SyncEvent, TypingEvent } from '@parley/protocol';
import type { Ctx } from '../domain/context.js';
import { fail } from '../domain/errors.js';
import { toSummary } from '../domain/mapping.js';
import { markRead, sendMessage, sync } from '../domain/messages.js';
import { memberRoom } from '../domain/rooms.access.js';
import { joinRoom, leaveRoom } from '../domain/rooms.members.js';
import type { MessageWriter } from '../domain/writer.js';
import { handle } from './ack.js';
import type { TypingTracker } from './typing.js';
import { channel, type ParleySocket } from './types.js';

/** Socket events only translate: each one calls the same domain function a REST route would. */
export function registerHandlers(
  socket: ParleySocket,
  deps: { ctx: Ctx; writer: MessageWriter; typing: TypingTracker },
) {
  const { ctx, writer, typing } = deps;
  const auth = () => socket.data.auth;
  const log = ctx.log;

  socket.on(
    'room:join',
    handle(RoomRef, log, async ({ roomId }) => ({ room: await joinRoom(ctx, auth(), roomId) })),
  );

  socket.on(
    'room:leave',
    handle(RoomRef, log, async ({ roomId }) => {
      await leaveRoom(ctx, auth(), roomId);
      return {};
    }),
  );

  socket.on(
    'message:send',
    handle(SendEvent, log, async (payload) => {
      const message = await sendMessage(ctx, writer, auth(), payload);
      // Sending ends typing, without waiting for the timeout.
      typing.set(socket.id, toSummary(auth().user), payload.roomId, false);
      return { message };
    }),
  );

  socket.on(
    'typing',
    handle(TypingEvent, log, async ({ roomId, typing: isTyping }) => {
      // The socket's rooms are server state, kept in step with the database by every membership
      // change; typing is too frequent to ask the database each time. Only a refusal does, to answer
      // 404 or 403 precisely.
      if (!socket.rooms.has(channel.room(roomId))) {
        await memberRoom(ctx, auth().user.id, roomId);
        fail('not_a_member');
      }
      typing.set(socket.id, toSummary(auth().user), roomId, isTyping);
      return {};
    }),
  );

  socket.on(
    'sync',
    handle(SyncEvent, log, async ({ since }) => sync(ctx, auth(), since)),
  );

  socket.on(
    'read',
    handle(ReadEvent, log, async ({ roomId, seq }) => {
      await markRead(ctx, auth(), roomId, seq);
      return {};
    }),
  );
}
