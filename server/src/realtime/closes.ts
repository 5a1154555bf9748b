import { transports } from 'engine.io';

/*
 * Closes in slices (issue 16). When thousands of connections drop at once (a network blip, a proxy
 * restart, the reconnect-storm bench), their TCP closes reach the server in the same instant and libuv
 * hands them all to one turn of the event loop, which then stalls for all of them (bench/results.md).
 * Each close runs, after ws's and Node's own teardown, Engine.IO's socket close, Socket.IO's (leaving
 * every room) and Parley's `disconnecting`/`disconnect` handlers (typing, presence).
 *
 * From the WebSocket transport's close on (the ws connection is closed by then: nothing more is read
 * from it or written to it), the rest is queued and run `closesPerTurn` at a time, with `setImmediate`
 * between, so timers and new I/O run in between. Meanwhile the transport is marked unwritable: Engine.IO
 * keeps what is sent to the socket in its buffer and drops it at the close, as it would have at once;
 * Parley's direct writes already skip a WebSocket that is not open. A close the server asks for
 * (`disconnect(true)`, logout) runs Socket.IO's and Parley's handlers at once, as before; only the
 * transport's own close waits its turn. What stays in the turn the closes arrive in is Node's and ws's
 * part (the read error, closing the handle, ws's state).
 */

interface ClosingTransport {
  writable: boolean;
  onClose(): void;
}

/**
 * Closes run per turn of the event loop before it turns again: a few milliseconds' worth. A count
 * rather than a time, so that a test can see the slices.
 */
export const closesPerTurn = 64;

const queue: (ClosingTransport | undefined)[] = [];
let head = 0;
let scheduled = false;
let onClose: ((this: ClosingTransport) => void) | undefined;

function schedule() {
  if (scheduled) return;
  scheduled = true;
  setImmediate(drain);
}

function drain() {
  scheduled = false;
  const end = Math.min(queue.length, head + closesPerTurn);
  try {
    while (head < end) {
      const transport = queue[head]!;
      queue[head++] = undefined;
      onClose!.call(transport);
    }
  } finally {
    // A throwing handler leaves the rest queued for the next turn, as it left the other closes before.
    if (head >= queue.length) {
      queue.length = 0;
      head = 0;
    } else schedule();
  }
}

/**
 * Makes Engine.IO's WebSocket transport run its close (and everything hanging on it) in slices.
 * Patched once on the class, before its first connection: each transport binds `onClose` when made.
 */
export function sliceCloses(): void {
  const prototype = transports.websocket.prototype as unknown as ClosingTransport;
  if (onClose) return;
  onClose = prototype.onClose;
  prototype.onClose = function (this: ClosingTransport) {
    this.writable = false;
    queue.push(this);
    schedule();
  };
}
