import type { Socket as NetSocket } from 'node:net';
import { transports } from 'engine.io';
import { Socket } from 'socket.io';
import { Adapter } from 'socket.io-adapter';
import type { IO, ParleySocket } from './types.js';

/*
 * Two costs dominate a busy chat server, and both are per frame rather than per byte: the send syscall
 * (about a third of the server's CPU in the benchmarks) and Engine.IO's per-packet machinery (packet
 * objects, events, a write callback and a drain per packet, about a quarter). This module trims both
 * without changing what reaches the client:
 *
 * - Coalescing: frames written to one TCP socket in the same turn of the event loop leave in one
 *   syscall (the socket is corked on the first frame and uncorked once the turn's work is done). A group
 *   commit answers dozens of sends at once, so a DM socket that was sent an ack, its echo and the peer's
 *   message gets one write instead of many.
 * - Room broadcasts of messages are framed once and written straight to each WebSocket, and acks
 *   likewise, bypassing Engine.IO, but only when Engine.IO and ws hold nothing back for that socket (so
 *   order is kept) and it is a plain open WebSocket; anything else (long-polling, an upgrade in
 *   progress, a queue) takes Socket.IO's own path. The bytes are the ones Socket.IO would send.
 *
 * It reads private fields of `ws` (`_socket`, `_sender`, `_extensions`; Engine.IO itself uses
 * `_sender` for its pre-encoded frames) and of Engine.IO's socket (`writeBuffer`, `upgrading`), and
 * wraps two methods once: Engine.IO's WebSocket transport `send` and Socket.IO's Socket `ack`. If an
 * upgrade renames them, the checks below fail and delivery falls back to Socket.IO's path: slower,
 * never wrong.
 */

interface WsInternals {
  readyState: number;
  _socket?: NetSocket;
  _extensions?: Record<string, unknown>;
  /** ws's Sender: `_state` 0 is idle (1 compressing, 2 reading a Blob), with nothing queued. */
  _sender?: { _state?: number; _bufferedBytes?: number; _queue?: unknown[] };
}

interface EngineSocketInternals {
  readyState: string;
  upgrading?: boolean;
  writeBuffer?: unknown[];
  transport: { name: string; socket?: WsInternals; send(packets: unknown[]): void };
}

const wsOpen = 1;

/**
 * An unmasked, final WebSocket text frame (RFC 6455 §5.2) around `payload`, as one buffer; a string is
 * encoded straight into it.
 */
export function textFrame(payload: string | Buffer): Buffer {
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  if (typeof payload === 'string') frame.write(payload, headerLength);
  else payload.copy(frame, headerLength);
  return frame;
}

const held: NetSocket[] = [];
function release() {
  for (const socket of held.splice(0)) {
    try {
      socket.uncork();
    } catch {
      // A socket that cannot be written is being torn down by its own error path; the others go on.
    }
  }
}

/** Corks `socket` until the current turn's callbacks and promise reactions have all run. */
function hold(socket: NetSocket) {
  if (socket.writableCorked > 0 || socket.destroyed) return;
  socket.cork();
  // process.nextTick queued from a promise reaction runs after every pending reaction, so the acks
  // resolved by one commit all join the same write.
  if (held.push(socket) === 1) process.nextTick(release);
}

/** The TCP socket under an open WebSocket transport, to cork. */
function tcpOf(transport: EngineSocketInternals['transport']): NetSocket | undefined {
  if (transport.name !== 'websocket') return undefined;
  const ws = transport.socket;
  if (!ws || ws.readyState !== wsOpen) return undefined;
  const tcp = ws._socket;
  return tcp && !tcp.destroyed && typeof tcp.cork === 'function' ? tcp : undefined;
}

/**
 * The same, but only when ws holds nothing back (a message being compressed or read from a Blob waits
 * in ws, not in the TCP socket, and a direct frame would overtake it). Anything unexpected, including
 * renamed internals or compression switched on, answers "busy".
 */
function idleTcpOf(transport: EngineSocketInternals['transport']): NetSocket | undefined {
  const sender = transport.socket?._sender;
  if (
    sender?._state !== 0 ||
    sender._bufferedBytes !== 0 ||
    !Array.isArray(sender._queue) ||
    sender._queue.length > 0 ||
    Object.keys(transport.socket?._extensions ?? {}).length > 0
  )
    return undefined;
  return tcpOf(transport);
}

type SendTransport = EngineSocketInternals['transport'];
const patched = Symbol('parley.coalesced');

/**
 * Makes every Engine.IO WebSocket write (acks, events) join its socket's coalesced write for the turn.
 * Patched once on the transport class rather than per connection: a closure per socket cost ~0.5 KB
 * of each idle connection.
 */
export function coalesceEngineWrites() {
  const prototype = transports.websocket.prototype as unknown as SendTransport & { [patched]?: true };
  if (prototype[patched]) return;
  const send = prototype.send;
  prototype.send = function (this: SendTransport, packets: unknown[]) {
    const tcp = tcpOf(this);
    if (tcp) hold(tcp);
    send.call(this, packets);
  };
  prototype[patched] = true;
}

type AckMaker = (this: ParleySocket, id: number) => (...args: unknown[]) => void;

/**
 * Acks on the direct path too: Socket.IO's own ack goes through its encoder (which walks every reply
 * looking for binary) and Engine.IO's per-packet machinery, about a tenth of the server's time per
 * message in the ingest bench. Patched once on Socket.IO's Socket class (`ack` makes the callback a
 * handler gets); when the socket is not a plain idle WebSocket the original callback is used, so the
 * bytes and the order are the same either way. Parley's acks carry JSON only (realtime/ack.ts), never
 * binary, which Socket.IO would frame differently.
 */
export function directAcks() {
  const prototype = Socket.prototype as unknown as { ack?: AckMaker; [patched]?: true };
  const original = prototype.ack;
  if (prototype[patched] || typeof original !== 'function') return;
  prototype.ack = function (this: ParleySocket, id: number) {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      const tcp = this.nsp.name === '/' ? directTcp(this) : undefined;
      if (!tcp) return original.call(this, id)(...args);
      // Engine.IO "4" (message) + Socket.IO "3" (ack) + the id + the JSON array of the reply.
      hold(tcp);
      tcp.write(textFrame(`43${id}${JSON.stringify(args)}`));
    };
  };
  prototype[patched] = true;
}

function directTcp(socket: ParleySocket): NetSocket | undefined {
  const engine = socket.conn as unknown as EngineSocketInternals;
  if (engine.readyState !== 'open' || engine.upgrading || (engine.writeBuffer?.length ?? 1) > 0)
    return undefined;
  return idleTcpOf(engine.transport);
}

/** The frame `socket.emit(event, payload)` would send, made once to write to many sockets with `sendFrame`. */
export function eventFrame(event: string, payload: unknown): Buffer {
  // Engine.IO "4" (message) + Socket.IO "2" (event) + the JSON array Socket.IO's encoder would write.
  return textFrame(`42${JSON.stringify([event, payload])}`);
}

/**
 * Sends `frame` (from `eventFrame(event, payload)`) to one socket: straight onto its WebSocket when
 * nothing waits ahead of it there, else through Socket.IO's own `emit`. Not with connection state
 * recovery, under which Socket.IO numbers and keeps every packet a socket is sent.
 */
export function sendFrame(socket: ParleySocket, frame: Buffer, event: string, payload: unknown): void {
  const recovery = (socket.nsp.server as unknown as { opts?: { connectionStateRecovery?: unknown } }).opts
    ?.connectionStateRecovery;
  const tcp = recovery ? undefined : directTcp(socket);
  if (tcp) {
    hold(tcp);
    tcp.write(frame);
  } else {
    (socket.emit as (event: string, payload: unknown) => boolean)(event, payload);
  }
}

/**
 * `io.to(room).emit(event, payload)` on one node, with one frame shared by every WebSocket in the
 * room. Only over Socket.IO's plain in-memory adapter: false (nothing sent) for any other, such as the
 * session-aware one of connection state recovery, which must number and keep every packet; across
 * nodes the caller uses the adapter's own path. `onAnyOutgoing` listeners do not see these events.
 */
export function emitToLocalRoom(io: IO, room: string, event: string, payload: unknown): boolean {
  const nsp = io.of('/');
  if (nsp.adapter.constructor !== Adapter) return false;
  const ids = nsp.adapter.rooms.get(room);
  if (!ids || ids.size === 0) return true;
  const frame = eventFrame(event, payload);
  for (const id of ids) {
    const socket = nsp.sockets.get(id);
    if (!socket) continue;
    const tcp = directTcp(socket);
    if (tcp) {
      hold(tcp);
      tcp.write(frame);
    } else {
      (socket.emit as (event: string, payload: unknown) => boolean)(event, payload);
    }
  }
  return true;
}
