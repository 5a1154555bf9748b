import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.js';
import type { MessageRow } from './schema.js';
import type { AppendRequest, AppendResult } from './types.js';

/** Per message, from the thread: the new seq, 0 when not a member, or a duplicate's stored row. */
type Answer = number | MessageRow;

type Reply =
  | { type: 'ready' | 'closed' }
  | { id: number; results: Answer[] }
  | { id: number; error: { message: string; code?: string } };

/** The main thread's end of sqlite.writer.mjs: one message per batch, answered after its commit. */
export class WriterThread {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { batch: AppendRequest[]; resolve: (results: AppendResult[]) => void; reject: (error: Error) => void }
  >();
  #nextId = 0;
  #alive = true;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: Reply) => this.#answer(reply));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', () => this.#fail(new Error('the SQLite writer thread exited')));
  }

  static async start(file: string): Promise<WriterThread> {
    const worker = new Worker(new URL('./sqlite.writer.mjs', import.meta.url), {
      workerData: { file },
      // Not the parent's flags (loaders, profilers, preloads): the writer needs none of them.
      execArgv: [],
    });
    const thread = new WriterThread(worker);
    const [reply] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'error').then(([error]) => Promise.reject(error)),
    ])) as [Reply];
    if (!('type' in reply) || reply.type !== 'ready')
      throw new Error('the SQLite writer thread did not start');
    return thread;
  }

  get alive(): boolean {
    return this.#alive;
  }

  append(batch: AppendRequest[]): Promise<AppendResult[]> {
    if (!this.#alive) return Promise.reject(new AppError('unavailable', 'The message store is not running.'));
    const id = this.#nextId++;
    // Flat, in the field order sqlite.writer.mjs reads: one array of strings clones far cheaper than
    // an array of objects.
    const flat: (string | null)[] = [];
    for (const r of batch) flat.push(r.id, r.roomId, r.authorId, r.text, r.clientId, r.createdAt);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { batch, resolve, reject });
      this.#worker.postMessage({ id, batch: flat });
    });
  }

  /** Closes the writer's connection (which checkpoints the WAL if it is the last) and ends the thread. */
  async close(): Promise<void> {
    if (!this.#alive) return;
    const closed = once(this.#worker, 'message');
    this.#worker.postMessage({ type: 'close' });
    await closed;
    this.#alive = false;
    await this.#worker.terminate();
  }

  #answer(reply: Reply): void {
    if ('type' in reply) return;
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if ('results' in reply)
      pending.resolve(reply.results.map((answer, i) => toResult(answer, pending.batch[i]!)));
    // Keep SQLite's code (SQLITE_CONSTRAINT_UNIQUE, ...) so callers can tell what went wrong.
    else pending.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
  }

  #fail(error: Error): void {
    if (!this.#alive) return;
    this.#alive = false;
    for (const pending of this.#pending.values()) pending.reject(new AppError('unavailable', error.message));
    this.#pending.clear();
  }
}

function toResult(answer: Answer, request: AppendRequest): AppendResult {
  if (typeof answer !== 'number') return { kind: 'duplicate', row: answer };
  if (answer === 0) return { kind: 'not_a_member' };
  return {
    kind: 'stored',
    row: {
      id: request.id,
      room_id: request.roomId,
      seq: answer,
      author_id: request.authorId,
      text: request.text,
      client_id: request.clientId,
      created_at: request.createdAt,
    },
  };
}
