import type { Kysely } from 'kysely';
import type { BatchAnswers, MessageOp } from './ops.mjs';
import type { Database } from './schema.js';
import type { SearchIndex } from './search/types.js';

export type { BatchAnswers, MessageOp, Refusal, StoredRow } from './ops.mjs';

/**
 * The storage seam. Everything but the message write path is written once, in portable Kysely, against
 * `db`; `applyOps` is the one operation each dialect implements for itself, because it is where
 * SQLite's group commit and PostgreSQL's row locks differ.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  /**
   * Applies a batch of message operations (ops.mjs) in one transaction, in order, and resolves only
   * after it has committed. A new message gets the room's next seq; every change (a new message
   * included) the room's next rev. A clientId the author already used answers with the stored message;
   * an author who is no longer a member of the room changes nothing.
   */
  applyOps(ops: MessageOp[]): Promise<BatchAnswers>;
  /** The full-text index of messages, kept in the transactions of `applyOps` (search/). */
  readonly search: SearchIndex;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  /** Why the last write failed, when it was for want of a writable disk; cleared by the next success. */
  writeFailure(): string | undefined;
  close(): Promise<void>;
}
