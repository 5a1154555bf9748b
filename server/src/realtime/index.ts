import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { type Auth, authenticate } from '../domain/accounts/sessions.js';
import type { Ctx } from '../domain/context.js';
import { roomIdsOf, subscriptionsOf } from '../domain/rooms/membership.js';
import type { MessageWriter } from '../domain/messages/writer.js';
import type { Metrics } from '../metrics.js';
import { ConnectionLimits } from './admission.js';
import { deliverDomainEvents } from './broadcast.js';
import { deliverRoomChanges } from './delivery.js';
import { socketHandlers } from './handlers.js';
import { realtimePresence, roomChannels } from './presence/index.js';
import { sweepSessions } from './sessions.js';
import { TypingTracker } from './typing.js';
import { channel, type IO, type ParleySocket } from './types.js';
import { compactConnection } from './compact.js';
import { countMoves, movedSince, movesMark } from './moves.js';
import {
  forgetUpgradeRequests,
  idleHandshake,
  internRoomNames,
  lazyAcks,
  shareListeners,
  sharedListeners,
} from './lean.js';
import { coalesceEngineWrites, directAcks } from './wire.js';

/**
 * A logout or a membership change between the handshake's reads and the joins in 'connection' was
 * announced to channels this socket was not in yet, so it missed it. If any socket was moved or
 * disconnected by channel on this node since the reads began (`moves.ts`), both are read again now
 * that the socket is in them; from here on every change reaches it directly. If none was, every change
 * committed after the reads will be applied here after the joins, so the reads stand as they are
 * (a reconnect storm skips a second token check and two queries per socket).
 */
async function recheck(ctx: Ctx, socket: ParleySocket): Promise<boolean> {
  const handshake = new Set(socket.data.roomIds);
  const mark = socket.data.movesAt;
  socket.data.roomIds = undefined; // Socket.IO tracks the rooms from here on; an idle socket keeps no copy.
  socket.data.movesAt = undefined;
  const token = socket.handshake.auth?.token;
  // The last read of what the client sent at the handshake: an idle socket keeps no copy of its token.
  (socket as { handshake: ParleySocket['handshake'] }).handshake = idleHandshake;
  if (mark !== undefined && !movedSince(mark)) return socket.connected;
  if (!(await authenticate(ctx, token))) {
    socket.disconnect(true);
    return false;
  }
  const current = new Set(await roomIdsOf(ctx, socket.data.auth.user.id));
  for (const roomId of handshake) if (!current.has(roomId)) socket.leave(channel.room(roomId));
  for (const roomId of current) if (!handshake.has(roomId)) socket.join(channel.room(roomId));
  return socket.connected;
}

/** Two user objects read from the same row the same way: equal when their JSON is (keys in the same order). */
function sameJson(a: Auth['user'], b: Auth['user']): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The sockets of one session (a person's tabs) share one `auth` (the user object and its strings,
 * ~0.3 KB a socket) when what was just read is the same as what the session's other sockets hold.
 * Every later change to it (a rename, admin rights) is made to all of a user's sockets alike.
 */
function sessionAuth(io: IO, auth: Auth): Auth {
  const nsp = io.of('/');
  for (const id of nsp.adapter.rooms.get(channel.session(auth.sessionId)) ?? []) {
    const held = nsp.sockets.get(id)?.data.auth;
    return held && sameJson(held.user, auth.user) ? held : auth;
  }
  return auth;
}

export interface Realtime {
  io: IO;
  close(): Promise<void>;
}

export function attachRealtime(
  server: HttpServer,
  deps: { ctx: Ctx; writer: MessageWriter; metrics: Metrics },
): Realtime {
  const { ctx, metrics } = deps;
  const admission = new ConnectionLimits(ctx.config);
  const io: IO = new Server(server, {
    serveClient: false,
    cors:
      ctx.config.corsOrigins.length > 0 ? { origin: ctx.config.corsOrigins, credentials: true } : undefined,
    adapter: ctx.bus.adapter,
    maxHttpBufferSize: 256 * 1024,
    // A connection must sign in within this time; until then it counts against its address.
    connectTimeout: ctx.config.handshakeTimeoutMs,
    allowRequest: admission.allowRequest,
  });
  admission.watch(io);
  forgetUpgradeRequests(io);
  lazyAcks();
  internRoomNames(io.of('/').adapter);
  const movesCounted = countMoves(io.of('/').adapter);
  coalesceEngineWrites();
  directAcks();
  const typing = new TypingTracker(io, ctx.config.typingTimeoutMs);
  const stopDelivering = deliverDomainEvents(ctx, io);
  const changes = deliverRoomChanges(ctx, io);
  const presence = realtimePresence(ctx, io, { onFrames: (count) => metrics.presenceFrames.inc(count) });
  const stopSweeping = sweepSessions(ctx, io);

  // The handshake is the only place a token is read; logout disconnects the session's sockets.
  io.use((socket, next) => {
    const mark = movesMark();
    authenticate(ctx, socket.handshake.auth?.token).then(
      async (auth) => {
        if (!auth) return next(new Error('unauthorized'));
        if (!admission.reserve(io, auth)) return next(new Error('too_many_connections'));
        try {
          // Subscriptions come from the database, never from what the client claims to be in. They are
          // read here so that the joins in 'connection' happen before the client hears it is connected.
          const subscriptions = await subscriptionsOf(ctx, auth.user.id);
          // Live delivery of these rooms on this node starts here; the client's sync covers what came before.
          for (const room of subscriptions) changes.sequencer.track(room.roomId, room.lastRev, room.lastSeq);
          socket.data.roomIds = subscriptions.map((room) => room.roomId);
          socket.data.auth = auth;
          if (movesCounted) socket.data.movesAt = mark;
          next();
        } finally {
          // Socket.IO connects on the next tick after `next`: by this tick's turn the socket is in its
          // user's channel (and counted there), or it was refused.
          process.nextTick(() => admission.release(auth.user.id));
        }
      },
      (error: unknown) => {
        ctx.log.error({ err: error }, 'socket authentication failed');
        next(new Error('unavailable'));
      },
    );
  });

  // Listeners shared by every socket (each finds its socket as `this`): a connection holds no closures.
  const handlers = socketHandlers({ ctx, typing, presence });
  function disconnecting(this: ParleySocket) {
    this.data.channelsAtExit = roomChannels(this);
  }
  function disconnected(this: ParleySocket) {
    metrics.sockets.dec();
    typing.dropSocket(this.id);
    presence.disconnected(this, this.data.channelsAtExit ?? []);
  }
  const listeners = sharedListeners([
    ['disconnecting', disconnecting],
    ['disconnect', disconnected],
    ...handlers,
  ]);

  io.on('connection', (socket) => {
    socket.data.auth = sessionAuth(io, socket.data.auth);
    const { user, sessionId } = socket.data.auth;
    admission.signedIn(socket);
    // Parley addresses sockets through their user's and session's channels, never by socket id: the
    // room Socket.IO makes for the id alone (a set per socket) is left at once.
    socket.leave(socket.id);
    socket.join([
      channel.user(user.id),
      channel.session(sessionId),
      ...(user.admin ? [channel.admins] : []),
      ...(socket.data.roomIds ?? []).map(channel.room),
    ]);
    metrics.sockets.inc();
    shareListeners(socket, listeners);
    compactConnection(socket);
    // Counted online at once, in connection order: a second tab connecting just before the first one
    // closes must never make the user look offline. A socket the re-check disconnects is counted out.
    presence.connected(socket);
    recheck(ctx, socket).catch((error: unknown) => ctx.log.warn({ err: error }, 'socket re-check failed'));
  });

  return {
    io,
    async close() {
      stopDelivering();
      stopSweeping();
      changes.stop();
      typing.clear();
      presence.close();
      io.local.disconnectSockets(true);
      io.engine.close();
    },
  };
}
