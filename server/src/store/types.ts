import type { Kysely } from 'kysely';
import type { Database, MessageRow } from './schema.js';

export interface AppendRequest {
  id: string;
  roomId: string;
  authorId: string;
  text: string;
  clientId: string | null;
  createdAt: string;
}

export type AppendResult =
  | { kind: 'stored'; row: MessageRow }
  | { kind: 'duplicate'; row: MessageRow }
  | { kind: 'not_a_member' };

/**
 * The storage seam. Everything but the message hot path is written once, in portable Kysely, against
 * `db`; `appendMessages` is the one operation each dialect implements for itself, because it is where
 * SQLite's group commit and PostgreSQL's row locks differ.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  /**
   * Stores a batch of messages in one transaction, in order. Each gets the room's next seq; a clientId
   * the author already used returns the stored message instead; an author who is no longer a member of
   * the room stores nothing. Resolves only after the transaction has committed.
   */
  appendMessages(batch: AppendRequest[]): Promise<AppendResult[]>;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
