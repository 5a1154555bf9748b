import type { PresenceMap, PresenceStatus } from '@parley/protocol';
import type { Presence } from '../../bus/types.js';
import type { AnnouncedChange, IO, ParleySocket } from '../types.js';
import { eventFrame, sendFrame } from '../wire.js';
import { tellLegacySockets } from './legacy.js';

interface Watched {
  sockets: Set<ParleySocket>;
  /** Undefined until the first read from the bus or the first change. */
  status?: PresenceStatus;
  /** What the watchers were last told (in an ack or a frame). */
  told?: PresenceStatus;
  /** The clock of the change that set `status`; -1 when it came from a read. */
  clock: number;
}

export interface HubOptions {
  /** At most one `presence:changed` frame per socket per window. */
  windowMs: number;
  /** Legacy `presence` events go to rooms with at most this many sockets on this node. */
  roomLimit: number;
  /** Tells the other nodes (undefined on one node). */
  publish?: (changes: AnnouncedChange[]) => void;
  onFrames?: (count: number) => void;
}

/**
 * Live presence at any room size. A socket watches the people it shows (`presence:watch`: the member
 * page on screen, its DMs), so a change costs one entry per watcher, never one frame per room member;
 * and every node gathers the changes it hears for a window and then sends each socket one frame with
 * only the people that socket watches. A reconnect storm of N people costs each socket at most one frame
 * per window instead of N. Watching a person needs no shared room: presence is not secret (people
 * search shows it too).
 *
 * Changes come from this node (`announce`) and from the others (`apply`); each carries a clock, and an
 * older change that arrives late is dropped, so the order between nodes does not matter.
 */
export class PresenceHub {
  readonly #io: IO;
  readonly #presence: Presence;
  readonly #options: HubOptions;
  readonly #watched = new Map<string, Watched>();
  /** Watched people changed since the last flush. */
  readonly #dirty = new Set<string>();
  /** Per user, the first change of the window (for `from`) and the last (for the rest). */
  readonly #legacy = new Map<string, { from: PresenceStatus; change: AnnouncedChange }>();
  #timer: NodeJS.Timeout | undefined;
  #lastFlush = Number.NEGATIVE_INFINITY;
  #outbox: AnnouncedChange[] = [];
  #publishing: NodeJS.Timeout | undefined;
  readonly #toRead = new Set<string>();
  #reading: Promise<Map<string, PresenceStatus>> | undefined;
  /** After close (the node is stopping, its sockets disconnecting), changes are no longer told. */
  #closed = false;

  constructor(io: IO, presence: Presence, options: HubOptions) {
    this.#io = io;
    this.#presence = presence;
    this.#options = options;
  }

  /** A change decided on this node: applied here and told to the other nodes. */
  announce(change: AnnouncedChange): void {
    if (this.#closed) return;
    this.apply([change]);
    const { publish } = this.#options;
    if (!publish) return;
    this.#outbox.push(change);
    // A short wait gathers a storm's changes into one message between nodes.
    this.#publishing ??= setTimeout(() => {
      this.#publishing = undefined;
      publish(this.#outbox.splice(0));
    }, 50);
  }

  apply(changes: AnnouncedChange[]): void {
    if (this.#closed) return;
    for (const change of changes) {
      const entry = this.#watched.get(change.userId);
      if (entry && (change.clock === 0 || change.clock > entry.clock)) {
        entry.status = change.status;
        if (change.clock > 0) entry.clock = change.clock;
        this.#dirty.add(change.userId);
      }
      const legacy = this.#legacy.get(change.userId);
      this.#legacy.set(change.userId, { from: legacy?.from ?? change.from, change });
    }
    this.#schedule();
  }

  /** Replaces what `socket` watches; answers their status now. */
  async watch(socket: ParleySocket, userIds: string[]): Promise<PresenceMap> {
    const next = [...new Set(userIds)];
    const keep = new Set(next);
    for (const id of socket.data.watching ?? []) if (!keep.has(id)) this.#unwatch(socket, id);
    for (const id of next) {
      let entry = this.#watched.get(id);
      if (!entry) {
        entry = { sockets: new Set(), clock: -1 };
        this.#watched.set(id, entry);
      }
      entry.sockets.add(socket);
    }
    socket.data.watching = next;
    const unknown = next.filter((id) => this.#watched.get(id)?.status === undefined);
    const read = unknown.length > 0 ? await this.#read(unknown) : undefined;
    const reply: PresenceMap = {};
    for (const id of next) reply[id] = this.#watched.get(id)?.status ?? read?.get(id) ?? 'offline';
    return reply;
  }

  /** The socket is gone: it watches nobody any more. */
  forget(socket: ParleySocket): void {
    for (const id of socket.data.watching ?? []) this.#unwatch(socket, id);
    socket.data.watching = undefined;
  }

  /** People watched on this node (for /metrics). */
  get watchedCount(): number {
    return this.#watched.size;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#publishing);
    this.#watched.clear();
  }

  #unwatch(socket: ParleySocket, id: string): void {
    const entry = this.#watched.get(id);
    if (!entry) return;
    entry.sockets.delete(socket);
    if (entry.sockets.size === 0) this.#watched.delete(id);
  }

  /**
   * Reads from the bus the people nobody on this node watched yet. The reads asked for in one turn go
   * together: a storm of sockets watching the same page of members costs one read.
   */
  #read(ids: string[]): Promise<Map<string, PresenceStatus>> {
    for (const id of ids) this.#toRead.add(id);
    this.#reading ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.#reading = undefined;
      const batch = [...this.#toRead];
      this.#toRead.clear();
      const states = await this.#presence.states(batch);
      for (const [id, status] of states) {
        const entry = this.#watched.get(id);
        // A change announced meanwhile is newer than this read: it stays.
        if (entry && entry.status === undefined) {
          entry.status = status;
          entry.told = status;
        }
      }
      return states;
    });
    return this.#reading;
  }

  #schedule(): void {
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastFlush + this.#options.windowMs - performance.now());
    this.#timer = setTimeout(() => this.#flush(), wait);
  }

  #flush(): void {
    this.#timer = undefined;
    this.#lastFlush = performance.now();
    const perSocket = new Map<ParleySocket, PresenceMap>();
    for (const id of this.#dirty) {
      const entry = this.#watched.get(id);
      if (!entry?.status || entry.status === entry.told) continue;
      entry.told = entry.status;
      for (const socket of entry.sockets) {
        let presence = perSocket.get(socket);
        if (!presence) {
          presence = {};
          perSocket.set(socket, presence);
        }
        presence[id] = entry.status;
      }
    }
    this.#dirty.clear();
    // Sockets watching the same page get the same bytes: each distinct frame is made once.
    const frames = new Map<string, Buffer>();
    for (const [socket, presence] of perSocket) {
      const payload = { presence };
      const key = JSON.stringify(presence);
      let frame = frames.get(key);
      if (!frame) {
        frame = eventFrame('presence:changed', payload);
        frames.set(key, frame);
      }
      sendFrame(socket, frame, 'presence:changed', payload);
    }
    this.#options.onFrames?.(perSocket.size);
    const legacy = [...this.#legacy.values()];
    this.#legacy.clear();
    for (const { from, change } of legacy) {
      if ((from === 'offline') === (change.status === 'offline')) continue;
      tellLegacySockets(this.#io, change, this.#options.roomLimit);
    }
  }
}
