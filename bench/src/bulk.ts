import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parleyServerDir } from './targets.js';

/** The slices of better-sqlite3 and the server's own modules this file uses (bench/ typechecks alone). */
interface Statement {
  run(...values: unknown[]): unknown;
  get(...values: unknown[]): Record<string, unknown> | undefined;
}
interface Database {
  prepare(sql: string): Statement;
  transaction<T extends unknown[]>(body: (...args: T) => void): (...args: T) => void;
  pragma(text: string): unknown;
  close(): void;
}
interface TokenModule {
  loadTokenKeys(secret: string | undefined, dataDir: string): unknown;
  signToken(keys: unknown, claims: { userId: string; sessionId: string; expiresAt: Date }): Promise<string>;
}
interface IdModule {
  newId(): string;
}

export interface BulkUser {
  id: string;
  token: string;
}

/**
 * Adds `count` users to a stopped server's SQLite data directory, each with a session and a token signed
 * with the directory's own secret, and makes user i a member of `roomsOf(i)` (rooms made through the API
 * before). Registering 10,000 users through the API costs 10,000 argon2 hashes (minutes on one shared
 * core); these rows are the ones registration and `join` write — the same password hash as an existing
 * user, the member-count triggers firing as they do for a join.
 */
export async function addBulkUsers(
  dataDir: string,
  count: number,
  roomsOf: (index: number) => string[],
): Promise<BulkUser[]> {
  const require = createRequire(join(parleyServerDir, 'package.json'));
  const Sqlite = require('better-sqlite3') as new (file: string) => Database;
  const tokens = (await import(
    pathToFileURL(`${parleyServerDir}/src/domain/accounts/tokens.ts`).href
  )) as TokenModule;
  const ids = (await import(pathToFileURL(`${parleyServerDir}/src/domain/ids.ts`).href)) as IdModule;
  const keys = tokens.loadTokenKeys(undefined, dataDir);
  const db = new Sqlite(join(dataDir, 'parley.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    const hash = db.prepare('SELECT password_hash FROM users WHERE password_hash IS NOT NULL LIMIT 1').get()
      ?.password_hash as string;
    const created = new Date().toISOString();
    const expiresAt = new Date(Date.now() + 30 * 86_400_000);
    const run = Date.now().toString(36);
    const insertUser = db.prepare(
      'INSERT INTO users (id, username, username_key, password_hash, guest, admin, created_at) VALUES (?, ?, ?, ?, 0, 0, ?)',
    );
    const insertSession = db.prepare(
      'INSERT INTO sessions (id, user_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, NULL)',
    );
    const insertMember = db.prepare(
      "INSERT INTO memberships (room_id, user_id, role, read_seq, joined_at) VALUES (?, ?, 'member', 0, ?)",
    );
    const users: { id: string; sessionId: string }[] = [];
    const fill = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const id = ids.newId();
        const sessionId = ids.newId();
        const name = `h${run}_${String(i).padStart(5, '0')}`;
        insertUser.run(id, name, name, hash, created);
        insertSession.run(sessionId, id, created, expiresAt.toISOString());
        for (const roomId of roomsOf(i)) insertMember.run(roomId, id, created);
        users.push({ id, sessionId });
      }
    });
    for (let from = 0; from < count; from += 2000) fill(from, Math.min(count, from + 2000));
    db.pragma('wal_checkpoint(TRUNCATE)');
    return await Promise.all(
      users.map(async ({ id, sessionId }) => ({
        id,
        token: await tokens.signToken(keys, { userId: id, sessionId, expiresAt }),
      })),
    );
  } finally {
    db.close();
  }
}
