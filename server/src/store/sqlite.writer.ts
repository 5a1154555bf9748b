import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { limits } from '@parley/protocol';
import { AppError } from '../errors.js';
import { type BatchAnswers, encodeOps, type MessageOp } from './ops.mjs';

type Reply =
  | { type: 'ready' | 'closed' }
  | { id: number; answers: BatchAnswers }
  | { id: number; error: { message: string; code?: string } };

/** The main thread's end of sqlite.writer.mjs: one message per batch, answered after its commit. */
export class WriterThread {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (answers: BatchAnswers) => void; reject: (error: Error) => void }
  >();
  #nextId = 0;
  #alive = true;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: Reply) => this.#answer(reply));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', () => this.#fail(new Error('the SQLite writer thread exited')));
  }

  /**
   * `search`: whether the full-text index is on (built by `prepareSearchIndex` before this starts);
   * `idleCheckpointMs`: how often an idle writer checkpoints the WAL (30 s; shorter in tests).
   */
  static async start(
    file: string,
    options: { search: boolean; idleCheckpointMs?: number },
  ): Promise<WriterThread> {
    const worker = new Worker(new URL('./sqlite.writer.mjs', import.meta.url), {
      workerData: {
        file,
        maxReactions: limits.reactionsPerMessageMax,
        search: options.search,
        idleCheckpointMs: options.idleCheckpointMs ?? 30_000,
      },
      // Not the parent's flags (loaders, preloads): the writer needs none of them. A CPU profile
      // (`--cpu-prof`, as bench:profile runs the server) covers this thread too, in a file of its own.
      execArgv: process.execArgv.filter((flag) => flag.startsWith('--cpu-prof')),
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

  apply(ops: MessageOp[]): Promise<BatchAnswers> {
    if (!this.#alive) return Promise.reject(new AppError('unavailable', 'The message store is not running.'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, batch: encodeOps(ops) });
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
    if ('answers' in reply) pending.resolve(reply.answers);
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
