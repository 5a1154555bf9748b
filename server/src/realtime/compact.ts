import type { ParleySocket } from './types.js';

/*
 * What the libraries under a socket keep once it is idle, compacted (issue 16). Heap snapshots
 * (`npm run bench:heap`, retainers by owner) showed each idle connection carrying, besides what the
 * libraries need:
 *
 * - five listener tables (`_events` of the TCP socket, ws's WebSocket and Receiver, Engine.IO's socket
 *   and transport) in V8's dictionary mode: Node makes each one with a null prototype, which V8 keeps
 *   as a hash table with room to grow (~150–300 B each) where a plain object with the same few keys
 *   takes a few dozen bytes;
 * - listener arrays (and Engine.IO's list of clean-ups) grown by `push`, with room for 17 (150 B each)
 *   where one or three are used;
 * - ws's Receiver holding the last frame's mask, a view that keeps the whole TCP read it came in (the
 *   CONNECT frame with its token, later a pong) alive, and its grown buffer list.
 *
 * Nothing here changes what the objects do: the same listeners in the same order, the same mask for
 * the frame being read. Every step checks the shape it expects and leaves anything else alone.
 */

type Events = Record<string | symbol, unknown>;
interface Emitter {
  _events?: Events;
}

/** The prototype of every compacted table: it has no keys, so lookups of absent events find nothing. */
const noEvents: object = Object.freeze(Object.create(null));

/**
 * Replaces an emitter's dictionary-mode listener table by a plain object with the same keys and
 * exact-size arrays. Node's EventEmitter reads `_events[type]`, `ReflectOwnKeys(_events)` and
 * `_events.newListener`, all of which behave the same on the copy.
 */
function compactEvents(emitter: Emitter | undefined): void {
  const events = emitter?._events;
  if (!emitter || !events || typeof events !== 'object' || Object.getPrototypeOf(events) !== null) return;
  const copy = Object.create(noEvents) as Events;
  for (const key of Reflect.ownKeys(events)) {
    const listeners = events[key];
    copy[key] = Array.isArray(listeners) ? listeners.slice() : listeners;
  }
  emitter._events = copy;
}

/** component-emitter (Socket.IO's decoder) keeps `$event` → listener arrays, grown by push. */
function compactCallbacks(emitter: { _callbacks?: Record<string, unknown> } | undefined): void {
  const callbacks = emitter?._callbacks;
  if (!callbacks || typeof callbacks !== 'object') return;
  for (const key of Object.keys(callbacks)) {
    const listeners = callbacks[key];
    if (Array.isArray(listeners)) callbacks[key] = listeners.slice();
  }
}

interface ReceiverInternals {
  _state?: number;
  _bufferedBytes?: number;
  _buffers?: unknown[];
  _mask?: unknown;
  startLoop?: (this: ReceiverInternals, cb: (error?: Error) => void) => void;
}

interface Layers {
  engine: Emitter & { transport?: Emitter & { socket?: WsInternals }; cleanupFn?: unknown[] };
  client: { decoder?: { _callbacks?: Record<string, unknown> } };
}
interface WsInternals extends Emitter {
  _receiver?: Emitter & ReceiverInternals;
  _socket?: Emitter & { _peername?: unknown };
}

/** ws's Receiver state between frames (receiver.js `GET_INFO`). */
const betweenFrames = 0;
const trimmed = Symbol('parley.trimmed');

/**
 * Between frames a Receiver needs neither the last frame's mask nor a grown buffer list: both are made
 * again for the next frame. Patched once on ws's Receiver class (found through a live connection, so
 * it is the one Engine.IO uses); after each run of its parse loop that ends between frames with nothing
 * buffered (a partial frame keeps both), the mask is dropped and an emptied list replaced.
 */
function trimReceivers(receiver: ReceiverInternals): void {
  const prototype = Object.getPrototypeOf(receiver) as ReceiverInternals & { [trimmed]?: true };
  const startLoop = prototype.startLoop;
  if (
    prototype[trimmed] ||
    typeof startLoop !== 'function' ||
    typeof receiver._state !== 'number' ||
    !Array.isArray(receiver._buffers)
  )
    return;
  prototype.startLoop = function (this: ReceiverInternals, cb) {
    startLoop.call(this, cb);
    if (this._state !== betweenFrames || this._bufferedBytes !== 0) return;
    this._mask = undefined;
    if (this._buffers?.length === 0) this._buffers = [];
  };
  prototype[trimmed] = true;
}

/** Compacts what the libraries keep for one connection; called once it is signed in and joined. */
export function compactConnection(socket: ParleySocket): void {
  const { engine, client } = { engine: socket.conn, client: socket.client } as unknown as Layers;
  const transport = engine.transport;
  const ws = transport?.socket;
  const receiver = ws?._receiver;
  for (const emitter of [engine, transport, ws, receiver, ws?._socket]) compactEvents(emitter);
  compactCallbacks(client.decoder);
  if (Array.isArray(engine.cleanupFn)) engine.cleanupFn = engine.cleanupFn.slice();
  // The TCP socket's cached peer address: Engine.IO copied what it needs, and Node reads it again on demand.
  if (ws?._socket && '_peername' in ws._socket) ws._socket._peername = undefined;
  if (receiver) {
    trimReceivers(receiver);
    if (receiver._state === betweenFrames && receiver._bufferedBytes === 0) receiver._mask = undefined;
  }
}
