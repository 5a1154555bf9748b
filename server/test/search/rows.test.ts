import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/store/index.js';
import { api, register, startServer, tempDir, testServiceEnv } from '../harness.js';
import { makeRoom, say, unique } from './support.js';

// Index rows leave with their messages: PostgreSQL's by a delete trigger (migration 0013, not a foreign
// key), SQLite's FTS5 rows by theirs and the writer's reindex.
const postgres = Boolean(process.env.DATABASE_URL);
describe('the search index rows', () => {
  it('leave with their message: a delete, a cleared history and a deleted room leave no row behind', async () => {
    const dataDir = tempDir();
    const server = await startServer({ dataDir });
    let kept: string[];
    try {
      // The first account of a fresh server is its admin, who may delete rooms.
      const ana = await register(server.url);
      const [cleared, deleted, stays] = [
        await makeRoom(server.url, ana.token),
        await makeRoom(server.url, ana.token),
        await makeRoom(server.url, ana.token),
      ];
      const w = unique('rows');
      for (const room of [cleared, deleted, stays]) {
        for (let i = 1; i <= 3; i++) await say(server.url, ana.token, room.id, `${w} ${room.name} ${i}`);
      }
      const gone = await api(server.url, 'DELETE', `/api/chat/rooms/${stays.id}/messages/2`, {
        token: ana.token,
      });
      expect(gone.status).toBeLessThan(300);
      const clear = await api(server.url, 'DELETE', `/api/chat/rooms/${cleared.id}/messages`, {
        token: ana.token,
      });
      expect(clear.status).toBeLessThan(300);
      const drop = await api(server.url, 'DELETE', `/api/admin/rooms/${deleted.id}`, { token: ana.token });
      expect(drop.status).toBe(204);
      kept = [`${w} ${stays.name} 1`, `${w} ${stays.name} 3`];
    } finally {
      await server.close();
    }
    const store = await openStore(
      loadConfig({ ...testServiceEnv(dataDir), DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    );
    try {
      // SQLite's table is contentless FTS5, keyed by the message's rowid.
      const key = postgres ? sql`m.id = s.id` : sql`m.rowid = s.rowid`;
      const { rows } = await sql<{ text: string | null }>`
        SELECT m.text FROM message_search s LEFT JOIN messages m ON ${key} ORDER BY m.text`.execute(store.db);
      expect(rows.map((row) => row.text).filter((text) => text === null || text.includes('rows'))).toEqual(
        kept,
      );
    } finally {
      await store.close();
    }
  }, 60_000);
});
