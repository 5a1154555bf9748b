import type { RoomChange } from '../domain/events.js';

interface RoomState {
  /** Every change up to this rev has been delivered here (or predates this node's sockets). */
  rev: number;
  /** The highest seq of a new message delivered here: a gap's messages above it are new to clients. */
  seq: number;
  /** Changes that arrived ahead of a missing one, by `fromRev`. */
  held: RoomChange[];
  timer?: NodeJS.Timeout;
  fetching?: boolean;
}

export interface SequencerDeps {
  /** Hands a change to this node's sockets; called in rev order per room. */
  deliver(change: RoomChange): void;
  /**
   * The room's changes with revs in `(afterRev, uptoRev]`, read from the database; messages with a seq
   * above `seenSeq` are announced as new, the others as updated.
   */
  fetch(roomId: string, afterRev: number, uptoRev: number, seenSeq: number): Promise<RoomChange>;
  /** How long a change waits for an earlier one before the gap is read from the database. */
  holdMs: number;
  onError(error: unknown): void;
}

/**
 * Delivers each room's changes to this node's sockets in rev order (so in seq order for new
 * messages), whatever order they reach the node in. Changes are committed in rev order, but they reach
 * a node by two paths — its own writer at once, the other nodes' through Redis a little later — so
 * without this a client would now and then get seq 11 before seq 10, and a client that kept its highest
 * seq and dropped off between the two would skip 10 for good on resume.
 *
 * A change whose `fromRev` is the room's delivered rev goes out at once, with any held ones it makes
 * contiguous. One that comes early is held; if the missing one has not come within `holdMs` (its node
 * died, Redis dropped it), the gap is read from the database and delivered in its place. A change
 * already delivered (a repeat, or one a gap read covered) is dropped.
 *
 * A room's starting rev is where this node's live delivery begins: its last rev when a local socket
 * subscribes to it (`track`, before the socket hears it is connected; everything up to there reaches the
 * client through its `sync`), or, for a room nobody here has subscribed to yet, the first change seen.
 */
export class RoomSequencer {
  readonly #rooms = new Map<string, RoomState>();
  readonly #deps: SequencerDeps;

  constructor(deps: SequencerDeps) {
    this.#deps = deps;
  }

  /** A local socket subscribes to the room, whose counters are these as of now. */
  track(roomId: string, lastRev: number, lastSeq: number): void {
    if (!this.#rooms.has(roomId)) this.#rooms.set(roomId, { rev: lastRev, seq: lastSeq, held: [] });
  }

  accept(change: RoomChange): void {
    let state = this.#rooms.get(change.roomId);
    if (!state) {
      state = { rev: change.fromRev, seq: 0, held: [] };
      this.#rooms.set(change.roomId, state);
    }
    if (change.toRev <= state.rev) return;
    if (change.fromRev > state.rev) {
      this.#hold(change.roomId, state, change);
      return;
    }
    this.#deliver(state, change);
    this.#drain(change.roomId, state);
  }

  /** Each room's delivered rev. */
  revs(): Map<string, number> {
    return new Map([...this.#rooms].map(([roomId, state]) => [roomId, state.rev]));
  }

  /**
   * The database says the room is at `uptoRev` and the changes up to it have not come (a broadcast
   * Redis dropped or never took): reads them instead, as for a gap.
   */
  catchUp(roomId: string, uptoRev: number): void {
    const state = this.#rooms.get(roomId);
    if (state && uptoRev > state.rev) this.#fetch(roomId, state, uptoRev);
  }

  /** Forgets every room (the node is stopping). */
  clear(): void {
    for (const state of this.#rooms.values()) clearTimeout(state.timer);
    this.#rooms.clear();
  }

  /** Delivers the part of `change` after the room's delivered rev. */
  #deliver(state: RoomState, change: RoomChange): void {
    const from = state.rev;
    state.rev = change.toRev;
    const events =
      change.fromRev >= from
        ? change.events
        : change.events.filter((event) => (event.type === 'cleared' ? event.rev : event.message.rev) > from);
    for (const event of events) if (event.type === 'new') state.seq = Math.max(state.seq, event.message.seq);
    try {
      this.#deps.deliver({ ...change, fromRev: from, events });
    } catch (error) {
      this.#deps.onError(error);
    }
  }

  #drain(roomId: string, state: RoomState): void {
    while (state.held.length > 0 && (state.held[0] as RoomChange).fromRev <= state.rev) {
      const next = state.held.shift() as RoomChange;
      if (next.toRev > state.rev) this.#deliver(state, next);
    }
    clearTimeout(state.timer);
    state.timer = undefined;
    if (state.held.length > 0) this.#arm(roomId, state);
  }

  #hold(roomId: string, state: RoomState, change: RoomChange): void {
    const at = state.held.findIndex((held) => held.fromRev > change.fromRev);
    if (at === -1) state.held.push(change);
    else state.held.splice(at, 0, change);
    if (!state.timer) this.#arm(roomId, state);
  }

  #arm(roomId: string, state: RoomState): void {
    state.timer = setTimeout(() => this.#fillGap(roomId, state), this.#deps.holdMs);
    state.timer.unref();
  }

  #fillGap(roomId: string, state: RoomState): void {
    state.timer = undefined;
    const first = state.held[0];
    if (first) this.#fetch(roomId, state, first.fromRev);
  }

  #fetch(roomId: string, state: RoomState, uptoRev: number): void {
    if (state.fetching) return;
    state.fetching = true;
    this.#deps.fetch(roomId, state.rev, uptoRev, state.seq).then(
      (gap) => {
        state.fetching = false;
        if (this.#rooms.get(roomId) !== state) return;
        if (gap.toRev > state.rev) this.#deliver(state, gap);
        this.#drain(roomId, state);
      },
      (error: unknown) => {
        state.fetching = false;
        this.#deps.onError(error);
        // The database is away: try again later rather than deliver out of order.
        if (this.#rooms.get(roomId) === state && !state.timer) this.#arm(roomId, state);
      },
    );
  }
}
