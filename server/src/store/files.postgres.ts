import { sql, type Transaction } from 'kysely';
import type { BatchAnswers, MessageOp, Refusal, SendOp } from './ops.mjs';
import type { Database } from './schema.js';

/**
 * Files in PostgreSQL's message batch (postgres.ops.ts), with the rules of files.sqlite.mjs: the files a
 * batch's sends name are locked up front (FOR UPDATE, in id order), so two nodes' sends racing for one
 * file are serialized and the second finds it attached; the outcome of each send is decided in memory,
 * in order; claims, and the rows of files whose messages were deleted or cleared, are written at the end.
 */
export class BatchFiles {
  readonly #rows = new Map<string, { room_id: string | null; uploader_id: string; seq: number | null }>();
  readonly #claims: [string, number][] = [];

  static async lock(trx: Transaction<Database>, ops: MessageOp[]): Promise<BatchFiles> {
    const files = new BatchFiles();
    const ids = [...new Set(ops.flatMap((op) => (op.kind === 'send' ? op.files.map((f) => f.id) : [])))];
    if (ids.length === 0) return files;
    const found = await sql<{
      id: string;
      room_id: string | null;
      uploader_id: string;
      message_seq: string | null;
    }>`
      SELECT id, room_id, uploader_id, message_seq FROM files
      WHERE id = ANY(${ids.sort()}::text[]) AND kind = 'file' ORDER BY id FOR UPDATE`.execute(trx);
    for (const row of found.rows) {
      files.#rows.set(row.id, {
        room_id: row.room_id,
        uploader_id: row.uploader_id,
        seq: row.message_seq === null ? null : Number(row.message_seq),
      });
    }
    return files;
  }

  /** Why a send's files cannot be attached, or undefined if they can. */
  refusal(op: SendOp): Refusal | undefined {
    for (const { id } of op.files) {
      const row = this.#rows.get(id);
      if (!row || row.room_id !== op.roomId || row.uploader_id !== op.authorId) return 'file_not_found';
      if (row.seq !== null) return 'file_attached';
    }
    return undefined;
  }

  claim(op: SendOp, seq: number): void {
    for (const { id } of op.files) {
      const row = this.#rows.get(id);
      if (row) row.seq = seq;
      this.#claims.push([id, seq]);
    }
  }

  /**
   * Writes the claims, then drops the files of the messages the batch deleted and of the histories it
   * cleared (their ids go into `answers.files`). Runs before the changed messages are read back.
   */
  async write(
    trx: Transaction<Database>,
    answers: BatchAnswers,
    tombstones: { room_id: string; seq: number }[],
    clears: { roomId: string; upto: number }[],
  ): Promise<void> {
    if (this.#claims.length > 0) {
      await sql`
        UPDATE files SET message_seq = c.seq
        FROM unnest(${this.#claims.map((c) => c[0])}::text[], ${this.#claims.map((c) => c[1])}::bigint[])
          AS c(id, seq)
        WHERE files.id = c.id`.execute(trx);
    }
    if (tombstones.length > 0) {
      const rooms = tombstones.map((t) => t.room_id);
      const seqs = tombstones.map((t) => t.seq);
      const emptied = await sql<{ room_id: string; seq: string }>`
        UPDATE messages SET files = '[]'
        FROM unnest(${rooms}::text[], ${seqs}::bigint[]) AS k(room_id, seq)
        WHERE messages.room_id = k.room_id AND messages.seq = k.seq AND messages.files <> '[]'
        RETURNING messages.room_id, messages.seq`.execute(trx);
      if (emptied.rows.length > 0) {
        const dropped = await sql<{ id: string }>`
          DELETE FROM files USING unnest(${emptied.rows.map((r) => r.room_id)}::text[],
            ${emptied.rows.map((r) => r.seq)}::bigint[]) AS k(room_id, seq)
          WHERE files.room_id = k.room_id AND files.message_seq = k.seq
          RETURNING files.id`.execute(trx);
        answers.files.push(...dropped.rows.map((row) => row.id));
      }
    }
    for (const { roomId, upto } of clears) {
      const dropped = await sql<{ id: string }>`
        DELETE FROM files WHERE room_id = ${roomId} AND message_seq <= ${upto} RETURNING id`.execute(trx);
      answers.files.push(...dropped.rows.map((row) => row.id));
    }
  }
}
