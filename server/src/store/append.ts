import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { AppendRequest, AppendResult } from './types.js';

/**
 * The portable append: one transaction for the whole batch. Bumping `rooms.last_seq` takes the room
 * row's write lock (PostgreSQL) or the database lock (SQLite) until commit, so seqs are handed out in
 * commit order with no gaps: a rolled-back transaction rolls its bump back too.
 */
export async function appendInTransaction(
  db: Kysely<Database>,
  batch: AppendRequest[],
): Promise<AppendResult[]> {
  return db.transaction().execute(async (trx) => {
    const results: AppendResult[] = [];
    for (const request of batch) results.push(await appendOne(trx, request));
    return results;
  });
}

async function appendOne(trx: Transaction<Database>, request: AppendRequest): Promise<AppendResult> {
  if (request.clientId !== null) {
    const existing = await trx
      .selectFrom('messages')
      .selectAll()
      .where('author_id', '=', request.authorId)
      .where('client_id', '=', request.clientId)
      .executeTakeFirst();
    if (existing) return { kind: 'duplicate', row: existing };
  }
  const member = await trx
    .selectFrom('memberships')
    .select('user_id')
    .where('room_id', '=', request.roomId)
    .where('user_id', '=', request.authorId)
    .executeTakeFirst();
  if (!member) return { kind: 'not_a_member' };

  const { last_seq: seq } = await trx
    .updateTable('rooms')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', request.roomId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const row = {
    id: request.id,
    room_id: request.roomId,
    seq,
    author_id: request.authorId,
    text: request.text,
    client_id: request.clientId,
    created_at: request.createdAt,
  };
  await trx.insertInto('messages').values(row).execute();
  return { kind: 'stored', row };
}
