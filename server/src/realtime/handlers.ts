import {
  DeliveredEvent,
  EditEvent,
  MessageRef,
  PinEvent,
  ReactionEvent,
  PresenceAway,
  PresenceWatch,
  ReadEvent,
  RoomRef,
  SendEvent,
  SyncEvent,
  TypingEvent,
} from '@parley/protocol';
import { markDelivered } from '../domain/attention/receipts.js';
import type { Ctx } from '../domain/context.js';
import { toSummary } from '../domain/mapping.js';
import { deleteMessage, editMessage, pin, react } from '../domain/messages/change.js';
import { markRead } from '../domain/messages/reads.js';
import { sendMessage } from '../domain/messages/send.js';
import { sync } from '../domain/messages/sync.js';
import { memberRoom } from '../domain/rooms/access.js';
import { limit } from '../domain/moderation/limits.js';
import { joinRoom, leaveRoom } from '../domain/rooms/membership.js';
import { fail } from '../errors.js';
import { handle } from './ack.js';
import type { RealtimePresence } from './presence/index.js';
import type { TypingTracker } from './typing.js';
import { channel, type ParleySocket } from './types.js';

type Listener = (this: ParleySocket, ...args: unknown[]) => void;

/**
 * Socket events only translate: each one calls the same domain function a REST route would. Made once
 * per server and added to every socket (see `handle`).
 */
export function socketHandlers(deps: {
  ctx: Ctx;
  typing: TypingTracker;
  presence: RealtimePresence;
}): [string, Listener][] {
  const { ctx, typing, presence } = deps;
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
        const message = await sendMessage(ctx, socket.data.auth, payload);
        // Sending ends typing, without waiting for the timeout.
        typing.end(socket.data.auth.user.id, payload.roomId);
        return { message };
      }),
    ],
    [
      'message:edit',
      handle(EditEvent, log, async (socket, { roomId, seq, text }) => ({
        message: await editMessage(ctx, socket.data.auth, { roomId, seq }, text),
      })),
    ],
    [
      'message:delete',
      handle(MessageRef, log, async (socket, ref) => ({
        message: await deleteMessage(ctx, socket.data.auth, ref),
      })),
    ],
    [
      'reaction',
      handle(ReactionEvent, log, async (socket, { roomId, seq, emoji, on }) => ({
        message: await react(ctx, socket.data.auth, { roomId, seq }, emoji, on),
      })),
    ],
    [
      'message:pin',
      handle(PinEvent, log, async (socket, { roomId, seq, on }) => ({
        message: await pin(ctx, socket.data.auth, { roomId, seq }, on),
      })),
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
        await limit(ctx, 'typing', socket.data.auth.user.id);
        typing.set(socket.id, toSummary(socket.data.auth.user), roomId, isTyping);
        return {};
      }),
    ],
    [
      'sync',
      handle(SyncEvent, log, async (socket, { since, revs }) => sync(ctx, socket.data.auth, since, revs)),
    ],
    [
      'delivered',
      handle(DeliveredEvent, log, async (socket, { roomId, seq }) => {
        await markDelivered(ctx, socket.data.auth, roomId, seq);
        return {};
      }),
    ],
    [
      'read',
      handle(ReadEvent, log, async (socket, { roomId, seq }) => {
        await markRead(ctx, socket.data.auth, roomId, seq);
        return {};
      }),
    ],
    [
      'presence:watch',
      handle(PresenceWatch, log, async (socket, { userIds }) => ({
        presence: await presence.watch(socket, userIds),
      })),
    ],
    [
      'presence:away',
      handle(PresenceAway, log, async (socket, { away }) => {
        presence.setAway(socket, away);
        return {};
      }),
    ],
  ];
}
