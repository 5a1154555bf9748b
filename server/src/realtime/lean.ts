import type { Socket as NetSocket } from 'node:net';
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
  transport?: { socket?: { _socket?: NetSocket } };
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
    const tcp = raw.transport?.socket?._socket;
    for (const listener of tcp?.listeners('close') ?? []) {
      if (String(listener) === upgradeResponseCloser) tcp?.removeListener('close', listener as () => void);
    }
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
