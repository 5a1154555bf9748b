import type { Message, UserSummary } from '@parley/protocol';
import { AppError } from '../../errors.js';
import { newMessageRow } from '../../store/ops.mjs';
import type { BatchAnswers, MessageOp, Refusal, Store } from '../../store/types.js';
import type { DomainEventBus, RoomChange } from '../events.js';
import { present, toMessage } from './present.js';

interface Pending {
  op: MessageOp;
  /** The sender, for a new message (the one part of its payload the store does not read back). */
  author?: UserSummary;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

export type WriteResult =
  | { kind: 'stored' | 'duplicate'; message: Message }
  /** A change (`rev` 0 when it changed nothing); `message` is its target after the batch. */
  | { kind: 'changed'; rev: number; message?: Message; floorSeq?: number }
  | { kind: 'refused'; code: Refusal };

const maxBatch = 512;

/**
 * Group commit for every change to messages. Operations that arrive while a transaction is being
 * written wait and go together in the next one, so under load one fsync covers hundreds of them, and an
 * idle server still writes each at once. After each commit the writer announces, per room and in rev
 * order, what the batch did (`room.changed`), so nobody hears of a change that is not stored.
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

  write(op: MessageOp, author?: UserSummary): Promise<WriteResult> {
    if (this.#closed) return Promise.reject(new AppError('shutting_down'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, author, resolve, reject });
      this.#running ??= this.#run();
    });
  }

  /** Refuses new operations and waits for the ones already accepted to be committed. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#running;
  }

  async #run(): Promise<void> {
    // Let the operations that arrived in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, maxBatch);
      await this.#commit(batch);
    }
    this.#running = undefined;
  }

  async #commit(batch: Pending[]): Promise<void> {
    let answers: BatchAnswers;
    try {
      answers = await this.#store.applyOps(batch.map((pending) => pending.op));
    } catch (error) {
      // The database is away (or the node is stopping): every operation in the batch gets that answer
      // now, rather than one connection timeout at a time.
      if (error instanceof AppError && error.status >= 500) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // One bad operation must not sink the others: retry them one by one, so only the culprit fails.
      if (batch.length > 1) {
        for (const pending of batch) await this.#commit([pending]);
      } else {
        batch[0]?.reject(error);
      }
      return;
    }
    this.#onCommit(batch.length);
    const rows = new Map(
      present(answers.rows).map((message) => [`${message.roomId} ${message.seq}`, message]),
    );
    const created = new Map<number, Message>();
    for (const [index, pending] of batch.entries()) {
      pending.resolve(this.#result(pending, index, answers, rows, created));
    }
    // Listeners are isolated by the event bus: one that throws cannot stop this loop or the writer.
    for (const change of roomChanges(answers, rows, created)) this.#events.emit('room.changed', change);
    if (answers.files.length > 0) this.#events.emit('files.deleted', { ids: answers.files });
  }

  #result(
    pending: Pending,
    index: number,
    answers: BatchAnswers,
    rows: Map<string, Message>,
    created: Map<number, Message>,
  ): WriteResult {
    const { op, author } = pending;
    const special = answers.special[index];
    const first = answers.numbers[2 * index] ?? 0;
    const rev = answers.numbers[2 * index + 1] ?? 0;
    if (typeof special === 'string') return { kind: 'refused', code: special };
    if (op.kind === 'send') {
      const sender = author ?? { id: op.authorId, username: '' };
      if (special) return { kind: 'duplicate', message: toMessage(special, sender) };
      const message = toMessage(newMessageRow(op, first, rev), sender);
      created.set(index, message);
      return { kind: 'stored', message };
    }
    if (op.kind === 'clear') return { kind: 'changed', rev, floorSeq: first };
    return { kind: 'changed', rev, message: rows.get(`${op.roomId} ${op.seq}`) };
  }
}

/** What the batch did, per room, in rev order: the revs it handed out and the announcements. */
function roomChanges(
  answers: BatchAnswers,
  rows: Map<string, Message>,
  created: Map<number, Message>,
): RoomChange[] {
  const changes = new Map<string, RoomChange>();
  for (let i = 0; i < answers.rooms.length; i += 3) {
    const roomId = answers.rooms[i] as string;
    changes.set(roomId, {
      roomId,
      fromRev: answers.rooms[i + 1] as number,
      toRev: answers.rooms[i + 2] as number,
      events: [],
    });
  }
  const { events, numbers } = answers;
  for (let i = 0; i < events.length; i += 3) {
    const roomId = events[i] as string;
    const ref = events[i + 2] as number;
    const change = changes.get(roomId);
    if (!change) continue;
    if (events[i + 1] === 'n') {
      const message = created.get(ref);
      if (message) change.events.push({ type: 'new', message });
    } else if (events[i + 1] === 'u') {
      const message = rows.get(`${roomId} ${ref}`);
      if (message) change.events.push({ type: 'updated', message });
    } else {
      change.events.push({ type: 'cleared', seq: numbers[2 * ref] ?? 0, rev: numbers[2 * ref + 1] ?? 0 });
    }
  }
  return [...changes.values()];
}
