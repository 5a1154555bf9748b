import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';
import { tempDir } from './harness.js';

// The database file as it is on disk without its WAL: what a checkpoint has copied in so far.
function checkpointedUsernames(dataDir: string): string[] {
  const copy = path.join(tempDir('parley-wal-'), 'parley.sqlite');
  fs.copyFileSync(path.join(dataDir, 'parley.sqlite'), copy);
  const db = new SQLite(copy, { readonly: true });
  try {
    // Before the first checkpoint even the schema is only in the WAL.
    const tables = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'users'").all();
    return tables.length > 0 ? (db.prepare('SELECT username FROM users').pluck().all() as string[]) : [];
  } finally {
    db.close();
  }
}

const stores: Store[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});

describe('the SQLite WAL', () => {
  it('is checkpointed by the writer thread when only the main connection writes', async () => {
    const dataDir = tempDir();
    const store = await openSqliteStore(dataDir, undefined, { idleCheckpointMs: 100 });
    stores.push(store);
    const at = new Date().toISOString();
    await store.db
      .insertInto('users')
      .values({
        id: 'u-wal',
        username: 'wal_only',
        username_key: 'wal_only',
        created_at: at,
        guest: 0,
        admin: 0,
      })
      .execute();
    // The main connection never checkpoints: the row is only in the WAL until the writer's timer.
    const deadline = Date.now() + 5000;
    while (!checkpointedUsernames(dataDir).includes('wal_only') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(checkpointedUsernames(dataDir)).toContain('wal_only');
  });
});
