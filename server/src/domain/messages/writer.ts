import type { Message, UserSummary } from '@parley/protocol';
import type { AppendRequest, AppendResult, Store } from '../../store/types.js';
import { AppError } from '../../errors.js';
import type { DomainEventBus } from '../events.js';
import { toMessage } from '../mapping.js';

interface Pending {
  request: AppendRequest;
  author: UserSummary;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

export type WriteResult = { kind: 'stored' | 'duplicate'; message: Message } | { kind: 'not_a_member' };

const maxBatch = 512;

/**
 * Group commit. Sends that arrive while a transaction is being written wait and go together in the next
 * one, so under load one fsync covers hundreds of messages, and an idle server still writes each send
 * at once. Announcements go out in commit order, after the commit, so nobody hears of a message that is
 * not stored.
 */
export class MessageWriter {
  readonly #store: Store;
  readonly #events: DomainEventBus;
  #queue: Pending[] = [];
  #running: Promise<void> | undefined;
  #closed = false;
  readonly #onCommit: (size: number) => void;

  constructor(store: Store, events: DomainEventBus, onCommit: (size: number) => void = () => {}) {
    this.#store = store;
    this.#events = events;
    this.#onCommit = onCommit;
  }

  write(request: AppendRequest, author: UserSummary): Promise<WriteResult> {
    if (this.#closed) return Promise.reject(new AppError('shutting_down'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, author, resolve, reject });
      this.#running ??= this.#run();
    });
  }

  /** Refuses new sends and waits for the ones already accepted to be committed. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#running;
  }

  async #run(): Promise<void> {
    // Let the sends that arrived in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, maxBatch);
      await this.#commit(batch);
    }
    this.#running = undefined;
  }

  async #commit(batch: Pending[]): Promise<void> {
    let results: AppendResult[];
    try {
      results = await this.#store.appendMessages(batch.map((pending) => pending.request));
    } catch (error) {
      // The database is away (or the node is stopping): every send in the batch gets that answer now,
      // rather than one connection timeout at a time.
      if (error instanceof AppError && error.status >= 500) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // One bad send must not sink the others: retry them one by one, so only the culprit fails.
      if (batch.length > 1) {
        for (const pending of batch) await this.#commit([pending]);
      } else {
        batch[0]?.reject(error);
      }
      return;
    }
    this.#onCommit(batch.length);
    for (const [index, pending] of batch.entries()) {
      const result = results[index];
      if (!result || result.kind === 'not_a_member') {
        pending.resolve({ kind: 'not_a_member' });
        continue;
      }
      const message = toMessage(result.row, pending.author);
      if (result.kind === 'stored') this.#events.emit('message.created', message);
      pending.resolve({ kind: result.kind, message });
    }
  }
}
