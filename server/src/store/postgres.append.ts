import { type Kysely, sql } from 'kysely';
import type { Database, MessageRow } from './schema.js';
import type { AppendRequest, AppendResult } from './types.js';

type Plan =
  | { kind: 'duplicate'; row: MessageRow }
  | { kind: 'not_a_member' }
  | { kind: 'same_as'; index: number }
  | { kind: 'new'; request: AppendRequest };

const pairKey = (a: string, b: string | null) => `${a}\u0000${b}`;

/**
 * PostgreSQL's hot path: a whole batch in a handful of statements rather than a round trip per
 * message (the bench measured 1,648 → 6,751 acked/s). The outcome is decided per message in order, as
 * SQLite's writer does: a clientId the author already used answers with that message (also within the
 * batch), a non-member stores nothing. Memberships are read FOR SHARE, so a member removed at the same
 * moment is removed either before (nothing stored) or after. The rooms are locked in id order (no
 * deadlock between nodes) and each bumped once by its count: seqs are handed out in commit order with
 * no gaps, and a rolled-back batch rolls its bumps back.
 */
export function appendBatch(db: Kysely<Database>, batch: AppendRequest[]): Promise<AppendResult[]> {
  return db.transaction().execute(async (trx) => {
    const withClientId = batch.filter((request) => request.clientId !== null);
    const used = new Map<string, MessageRow>();
    if (withClientId.length > 0) {
      const found = await sql<MessageRow>`
        SELECT m.* FROM messages m
        JOIN unnest(${withClientId.map((r) => r.authorId)}::text[], ${withClientId.map((r) => r.clientId)}::text[])
          AS k(author_id, client_id)
          ON m.author_id = k.author_id AND m.client_id = k.client_id`.execute(trx);
      for (const row of found.rows)
        used.set(pairKey(row.author_id, row.client_id), { ...row, seq: Number(row.seq) });
    }
    const pairs = [...new Map(batch.map((r) => [pairKey(r.roomId, r.authorId), r])).values()];
    const members = await sql<{ room_id: string; user_id: string }>`
      SELECT m.room_id, m.user_id FROM memberships m
      JOIN unnest(${pairs.map((r) => r.roomId)}::text[], ${pairs.map((r) => r.authorId)}::text[]) AS k(room_id, user_id)
        ON m.room_id = k.room_id AND m.user_id = k.user_id
      FOR SHARE OF m`.execute(trx);
    const isMember = new Set(members.rows.map((m) => pairKey(m.room_id, m.user_id)));

    const plan: Plan[] = [];
    const firstInBatch = new Map<string, number>();
    const perRoom = new Map<string, number>();
    for (const [index, request] of batch.entries()) {
      const clientKey = request.clientId === null ? undefined : pairKey(request.authorId, request.clientId);
      const stored = clientKey === undefined ? undefined : used.get(clientKey);
      const earlier = clientKey === undefined ? undefined : firstInBatch.get(clientKey);
      if (stored) plan.push({ kind: 'duplicate', row: stored });
      else if (earlier !== undefined) plan.push({ kind: 'same_as', index: earlier });
      else if (!isMember.has(pairKey(request.roomId, request.authorId))) plan.push({ kind: 'not_a_member' });
      else {
        if (clientKey !== undefined) firstInBatch.set(clientKey, index);
        perRoom.set(request.roomId, (perRoom.get(request.roomId) ?? 0) + 1);
        plan.push({ kind: 'new', request });
      }
    }

    const rows = new Map<number, MessageRow>();
    if (perRoom.size > 0) {
      const roomIds = [...perRoom.keys()].sort();
      await sql`SELECT id FROM rooms WHERE id = ANY(${roomIds}::text[]) ORDER BY id FOR UPDATE`.execute(trx);
      const bumped = await sql<{ id: string; last_seq: number }>`
        UPDATE rooms SET last_seq = rooms.last_seq + c.n
        FROM unnest(${roomIds}::text[], ${roomIds.map((id) => perRoom.get(id) ?? 0)}::int[]) AS c(id, n)
        WHERE rooms.id = c.id
        RETURNING rooms.id, rooms.last_seq`.execute(trx);
      const next = new Map(bumped.rows.map((r) => [r.id, Number(r.last_seq) - (perRoom.get(r.id) ?? 0) + 1]));
      for (const [index, step] of plan.entries()) {
        if (step.kind !== 'new') continue;
        const { request } = step;
        const seq = next.get(request.roomId) ?? 0;
        next.set(request.roomId, seq + 1);
        rows.set(index, {
          id: request.id,
          room_id: request.roomId,
          seq,
          author_id: request.authorId,
          text: request.text,
          client_id: request.clientId,
          created_at: request.createdAt,
        });
      }
      const inserted = [...rows.values()];
      await sql`
        INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at)
        SELECT * FROM unnest(
          ${inserted.map((r) => r.id)}::text[], ${inserted.map((r) => r.room_id)}::text[],
          ${inserted.map((r) => r.seq)}::int[], ${inserted.map((r) => r.author_id)}::text[],
          ${inserted.map((r) => r.text)}::text[], ${inserted.map((r) => r.client_id)}::text[],
          ${inserted.map((r) => r.created_at)}::text[])`.execute(trx);
    }

    return plan.map((step, index): AppendResult => {
      if (step.kind === 'duplicate') return { kind: 'duplicate', row: step.row };
      if (step.kind === 'not_a_member') return { kind: 'not_a_member' };
      const row = rows.get(step.kind === 'same_as' ? step.index : index);
      if (!row) throw new Error('a planned message has no row');
      return step.kind === 'same_as' ? { kind: 'duplicate', row } : { kind: 'stored', row };
    });
  });
}
