import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, MessageRow } from './schema.js';
import type { AppendRequest, AppendResult } from './types.js';

/**
 * PostgreSQL's hot path: one statement per message inside the batch's transaction. Bumping
 * `rooms.last_seq` takes the room row's lock until commit, so concurrent writers on any node get seqs
 * in commit order, and a rolled-back batch rolls its bumps back: no gaps. The membership row is read
 * FOR SHARE so a member removed at the same moment is either removed before (nothing stored) or after.
 */
export function appendBatch(db: Kysely<Database>, batch: AppendRequest[]): Promise<AppendResult[]> {
  return db.transaction().execute(async (trx) => {
    const results: AppendResult[] = [];
    for (const request of batch) results.push(await appendOne(trx, request));
    return results;
  });
}

async function appendOne(trx: Transaction<Database>, request: AppendRequest): Promise<AppendResult> {
  const { id, roomId, authorId, text, clientId, createdAt } = request;
  const inserted = await sql<{ seq: number }>`
    WITH member AS (
      SELECT 1 FROM memberships WHERE room_id = ${roomId} AND user_id = ${authorId} FOR SHARE
    ), unused AS (
      SELECT 1 WHERE ${clientId}::text IS NULL
        OR NOT EXISTS (SELECT 1 FROM messages WHERE author_id = ${authorId} AND client_id = ${clientId})
    ), bumped AS (
      UPDATE rooms SET last_seq = last_seq + 1
      WHERE id = ${roomId} AND EXISTS (SELECT 1 FROM member) AND EXISTS (SELECT 1 FROM unused)
      RETURNING last_seq
    )
    INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at)
    SELECT ${id}, ${roomId}, last_seq, ${authorId}, ${text}, ${clientId}, ${createdAt} FROM bumped
    RETURNING seq`.execute(trx);
  const stored = inserted.rows[0];
  if (stored) {
    const row: MessageRow = {
      id,
      room_id: roomId,
      seq: stored.seq,
      author_id: authorId,
      text,
      client_id: clientId,
      created_at: createdAt,
    };
    return { kind: 'stored', row };
  }
  // Nothing stored: either the clientId was used before (answer with that message) or the author is
  // not a member, the same order of checks as SQLite's.
  if (clientId !== null) {
    const existing = await trx
      .selectFrom('messages')
      .selectAll()
      .where('author_id', '=', authorId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (existing) return { kind: 'duplicate', row: existing };
  }
  return { kind: 'not_a_member' };
}
