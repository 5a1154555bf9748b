import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from './migrations.js';
import type { Database, MessageRow } from './schema.js';
import type { AppendRequest, AppendResult, Store } from './types.js';

/**
 * The embedded default: one SQLite file in WAL mode. `synchronous = FULL` makes every commit reach the
 * disk before it returns, so an acknowledged message survives a crash or a power cut; group commit
 * (many sends per transaction) pays that fsync once per batch instead of once per message.
 */
export async function openSqliteStore(dataDir: string): Promise<Store> {
  fs.mkdirSync(dataDir, { recursive: true });
  const raw = new SQLite(path.join(dataDir, 'parley.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  await migrate(db as Kysely<unknown>);

  const append = prepareAppend(raw);
  return {
    dialect: 'sqlite',
    db,
    // Kysely's SQLite driver serialises every query on one connection behind a mutex; holding that
    // connection while the raw transaction runs keeps Kysely's own transactions from interleaving.
    appendMessages: (batch) => db.connection().execute(async () => append(batch)),
    async ping() {
      await db.connection().execute(async () => raw.prepare('SELECT 1').get());
    },
    async close() {
      await db.destroy();
    },
  };
}

/** The hot path as prepared statements: the same steps as `appendInTransaction`, without per-query compiling. */
function prepareAppend(raw: SQLite.Database): (batch: AppendRequest[]) => AppendResult[] {
  const findByClientId = raw.prepare<[string, string], MessageRow>(
    'SELECT * FROM messages WHERE author_id = ? AND client_id = ?',
  );
  const isMember = raw.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM memberships WHERE room_id = ? AND user_id = ?',
  );
  const bumpSeq = raw.prepare<[string], { last_seq: number }>(
    'UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
  );
  const insert = raw.prepare(
    'INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  return raw.transaction((batch: AppendRequest[]) =>
    batch.map((request): AppendResult => {
      if (request.clientId !== null) {
        const existing = findByClientId.get(request.authorId, request.clientId);
        if (existing) return { kind: 'duplicate', row: existing };
      }
      if (!isMember.get(request.roomId, request.authorId)) return { kind: 'not_a_member' };
      const bumped = bumpSeq.get(request.roomId);
      if (!bumped) return { kind: 'not_a_member' };
      const row: MessageRow = {
        id: request.id,
        room_id: request.roomId,
        seq: bumped.last_seq,
        author_id: request.authorId,
        text: request.text,
        client_id: request.clientId,
        created_at: request.createdAt,
      };
      insert.run(row.id, row.room_id, row.seq, row.author_id, row.text, row.client_id, row.created_at);
      return { kind: 'stored', row };
    }),
  );
}
