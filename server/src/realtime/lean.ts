import type { Socket as NetSocket } from 'node:net';
import { Socket } from 'socket.io';
import type { IO, ParleySocket } from './types.js';

/*
 * What an idle socket keeps, cut down (issue 16). `npm run bench:heap` (bench/src/heap.ts) compares heap
 * snapshots before and after 2,000 idle sockets connect: 14.0 KB of heap objects per socket on the code
 * before these changes, 11.2 KB after. The rest is Engine.IO's, Socket.IO's, ws's and Node's own per
 * connection (streams, bound listeners, timers, the TCP handle).
 */

/** What `forgetUpgradeRequests` reaches into: Engine.IO's socket and, through ws, the TCP socket. */
interface UpgradedConnection {
  request: unknown;
  transport?: { socket?: { _socket?: NetSocket } & Pick<NetSocket, 'listeners' | 'removeListener'> };
}

/**
 * Engine.IO keeps each connection's HTTP upgrade request (the request, its stream state, headers, raw
 * headers and query) for the connection's life; Socket.IO's documented memory advice is to drop it
 * (docs/v4/memory-usage). Parley reads the request only while admitting the connection (its address, in
 * admission.ts, whose listener runs first); the handshake Socket.IO builds afterwards has no headers, and
 * Parley reads only its `auth`. Engine.IO also leaves a `close` listener on the TCP socket that holds the
 * request through a stand-in response object made for upgrade middlewares (Parley has none): it is
 * removed too, recognized by its exact source, so a different Engine.IO leaves it alone. Heap snapshots
 * (`npm run bench:heap`) showed every idle socket keeping the request this way.
 */
export function forgetUpgradeRequests(io: IO): void {
  io.engine.on('connection', (raw: UpgradedConnection) => {
    raw.request = null;
    const ws = raw.transport?.socket;
    const tcp = ws?._socket;
    for (const listener of tcp?.listeners('close') ?? []) {
      if (String(listener) === upgradeResponseCloser) tcp?.removeListener('close', listener as () => void);
    }
    // Engine.IO's no-op `error` listener for a WebSocket not yet handed to a transport, left on every
    // connection opened straight as a WebSocket (a closure and its context); the transport's own
    // `error` listener, added before this event, handles errors from here on.
    const errorListeners = ws?.listeners('error') ?? [];
    if (errorListeners.length > 1)
      for (const listener of errorListeners)
        if (listener.name === 'onUpgradeError') ws?.removeListener('error', listener as () => void);
  });
}
/** engine.io/build/server.js, WebSocketResponse: `socket.once("close", () => this.emit("close"))`. */
const upgradeResponseCloser = '() => this.emit("close")';

type Listener = (this: ParleySocket, ...args: never[]) => void;
/** Node's EventEmitter keeps a socket's listeners in `_events`, an object of listener or array per event. */
type Events = Record<string | symbol, unknown>;
interface WithEvents {
  _events?: Events;
  _eventsCount?: number;
}

/** The listeners every socket has, as one table made once per server. */
export function sharedListeners(listeners: [string, Listener][]): Events {
  const table: Events = Object.create(null);
  for (const [event, listener] of listeners) table[event] = listener;
  // Not frozen: adding a socket's own listener for a shared event assigns over the inherited one.
  return table;
}

/**
 * Gives a socket the server's listeners without a table of its own: its `_events` (where EventEmitter
 * looks a listener up, `events[type]`) inherits from the shared table and keeps only what the socket has
 * of its own (Socket.IO's `error` no-op). Sixteen listeners added one by one made each socket's table a
 * dictionary of its own, ~0.6 KB of every idle connection in the heap snapshots. Emitting, adding and
 * counting listeners work through the prototype as before; removing one of the shared listeners from one
 * socket would not, and neither Parley nor Socket.IO ever removes listeners from a Socket.IO socket. If
 * the emitter's layout is not the expected one, the listeners are added the ordinary way.
 */
export function shareListeners(socket: ParleySocket, table: Events): void {
  const emitter = socket as unknown as WithEvents;
  const own = emitter._events;
  if (own === undefined || typeof emitter._eventsCount !== 'number' || Object.getPrototypeOf(own) !== null) {
    for (const event of Object.keys(table)) socket.on(event as never, table[event] as never);
    return;
  }
  const events: Events = Object.create(table);
  for (const key of Reflect.ownKeys(own)) events[key] = own[key];
  emitter._events = events;
  emitter._eventsCount += Object.keys(table).length;
}

/**
 * What a signed-in socket's `handshake` becomes once its token and `away` flag have been read: one
 * object shared by every socket instead of each keeping its own (the object, its date string, empty
 * headers and query, ~0.3 KB). Parley reads only `auth`, and only at connection; the client's address
 * stays on `socket.conn.remoteAddress`.
 */
export const idleHandshake = Object.freeze({
  headers: Object.freeze({}),
  time: '',
  address: '',
  xdomain: false,
  secure: false,
  issued: 0,
  url: '',
  query: Object.freeze({}),
  auth: Object.freeze({}),
}) as unknown as ParleySocket['handshake'];

type AckMap = Map<number, unknown>;
const ownAcks = Symbol('parley.acks');
interface WithAcks {
  [ownAcks]?: AckMap;
}

/**
 * Socket.IO gives every socket a Map for the acks of events the server emits with a callback; Parley
 * never does, so each idle socket kept an empty Map (~0.15 KB). Made on first use instead, through an
 * accessor on Socket.IO's Socket class (the constructor's empty Map is dropped at once).
 */
export function lazyAcks(): void {
  const prototype = Socket.prototype as unknown as WithAcks;
  if (Object.getOwnPropertyDescriptor(prototype, 'acks')) return;
  Object.defineProperty(prototype, 'acks', {
    configurable: true,
    get(this: WithAcks): AckMap {
      let acks = this[ownAcks];
      if (!acks) {
        acks = new Map();
        this[ownAcks] = acks;
      }
      return acks;
    },
    set(this: WithAcks, acks: AckMap) {
      if (acks.size > 0 || this[ownAcks]) this[ownAcks] = acks;
    },
  });
}

type Adapter = IO['sockets']['adapter'];

/**
 * Room names stored once per node: each socket's joins made its own copy of `room:…`, `user:…` and
 * `session:…` (~45 B each) in its set of rooms, though the adapter keys the room by the first copy.
 * Joins go through one table of names, forgotten when their room empties.
 */
export function internRoomNames(adapter: Adapter): void {
  const names = new Map<string, string>();
  const addAll = adapter.addAll;
  adapter.addAll = function (this: Adapter, id, rooms) {
    const canonical = new Set<string>();
    for (const room of rooms) {
      let name = names.get(room);
      if (name === undefined) {
        name = room;
        names.set(name, name);
      }
      canonical.add(name);
    }
    return addAll.call(this, id, canonical);
  };
  adapter.on('delete-room', (room: string) => names.delete(room));
}
