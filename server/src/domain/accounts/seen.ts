import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../../store/types.js';

/** Sessions per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
const chunk = 500;

/**
 * `last_seen_at` bookkeeping, gathered. A request or socket whose session was last marked over a
 * minute ago notes it here, and every noted session is written together, at most once a second, in
 * one transaction. Written one by one, each was a transaction of its own — on SQLite an fsync on the
 * event loop, 1–5 ms: 200 sockets connecting at once stalled it ~270 ms (measured on the ingest
 * bench), and the 5,000 of a reconnect storm after a restart would stall it for seconds.
 */
export class SeenSessions {
  readonly #store: Store;
  readonly #log: FastifyBaseLogger;
  readonly #everyMs: number;
  /** Session id → when it was last seen, waiting for the next write. */
  #pending = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(store: Store, log: FastifyBaseLogger, everyMs = 1000) {
    this.#store = store;
    this.#log = log;
    this.#everyMs = everyMs;
  }

  note(sessionId: string, at: string): void {
    this.#pending.set(sessionId, at);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch(() => {});
    }, this.#everyMs).unref();
  }

  /** Writes what is noted (after any write under way). A failed write is logged and retried by the next request. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = new Map();
    this.#writing = this.#writing.then(() => (pending.size > 0 ? this.#write(pending) : undefined));
    return this.#writing;
  }

  async #write(pending: Map<string, string>): Promise<void> {
    // One time for all: the latest noted, at most a second after the earliest.
    const at = [...pending.values()].reduce((a, b) => (a > b ? a : b));
    const ids = [...pending.keys()];
    try {
      await this.#store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < ids.length; i += chunk)
          await trx
            .updateTable('sessions')
            .set({ last_seen_at: at })
            .where('id', 'in', ids.slice(i, i + chunk))
            .execute();
      });
    } catch (error) {
      this.#log.warn({ err: error, sessions: ids.length }, 'could not note sessions as seen');
    }
  }
}
