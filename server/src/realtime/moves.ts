import type { IO } from './types.js';

type Adapter = IO['sockets']['adapter'];
type Method = (this: Adapter, ...args: unknown[]) => unknown;

/** How many times sockets were moved between channels or disconnected by channel, on this node. */
let moves = 0;
const counted = Symbol('parley.countsMoves');
const operations = ['addSockets', 'delSockets', 'disconnectSockets'] as const;

/**
 * Counts every `socketsJoin`, `socketsLeave` and `disconnectSockets` applied on this node, whichever
 * node asked: each ends in the in-memory adapter's own method (the cluster adapter calls it with
 * `super` for its own requests and for the other nodes'), which is wrapped once, on the base class of
 * the server's adapter. Answers false ("may have moved") if that class does not look as expected.
 */
export function countMoves(adapter: Adapter): boolean {
  let base: Record<string | symbol, unknown> | undefined;
  for (let proto = Object.getPrototypeOf(adapter); proto && proto !== Object.prototype; ) {
    if (Object.hasOwn(proto, 'addSockets')) base = proto;
    proto = Object.getPrototypeOf(proto);
  }
  if (!base || operations.some((name) => typeof base[name] !== 'function')) return false;
  if (base[counted]) return true;
  for (const name of operations) {
    const original = base[name] as Method;
    base[name] = function (this: Adapter, ...args: unknown[]) {
      moves++;
      return original.apply(this, args);
    };
  }
  base[counted] = true;
  return true;
}

/** A mark to compare with later: `movedSince(mark)` says whether any socket was moved since. */
export function movesMark(): number {
  return moves;
}

export function movedSince(mark: number): boolean {
  return moves !== mark;
}
