import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStore, type Store } from '../../src/store/index.js';
import { newId, now } from '../../src/domain/ids.js';
import { register, startServer, tempDir, testServiceEnv } from '../harness.js';
import { makeRoom, say, searchFor, unique } from './support.js';

const storeAt = (dataDir: string, env: Record<string, string> = {}) =>
  openStore(loadConfig({ ...testServiceEnv(dataDir), DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }));

/**
 * A server's data as migration 0004 leaves a database that already holds messages: the search tables
 * empty, no index built, the backfill not yet planned (later migrations stay applied).
 */
async function removeSearch(store: Store): Promise<void> {
  if (store.dialect === 'sqlite') {
    for (const trigger of ['insert', 'update', 'delete'])
      await sql.raw(`DROP TRIGGER IF EXISTS message_search_${trigger}`).execute(store.db);
    await sql`DROP TABLE message_search`.execute(store.db);
  } else {
    await sql`TRUNCATE message_search`.execute(store.db);
  }
  await sql`DELETE FROM search_index`.execute(store.db);
}

const term = (text: string) => ({ text, prefix: false, negated: false });

describe('indexing the messages stored before search', () => {
  it('indexes an upgraded database’s history in the background after start-up', async () => {
    const dataDir = tempDir();
    let server = await startServer({ dataDir });
    const ana = await register(server.url);
    const room = await makeRoom(server.url, ana.token);
    const w = unique('legacy');
    for (let i = 1; i <= 12; i++) await say(server.url, ana.token, room.id, `${w} message ${i}`);
    await server.close();
    const store = await storeAt(dataDir);
    await removeSearch(store);
    await store.close();

    server = await startServer({ dataDir });
    try {
      let reply = await searchFor(server.url, ana.token, { q: w, limit: '50' });
      for (let tries = 0; reply.body.indexing && tries < 300; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        reply = await searchFor(server.url, ana.token, { q: w, limit: '50' });
      }
      expect(reply.body.indexing).toBeUndefined();
      expect(reply.body.results).toHaveLength(12);
    } finally {
      await server.close();
    }
    // Two starts and a few dozen requests: slow on a loaded machine.
  }, 90_000);

  it('keeps edits, deletes and new messages right while the backfill runs, and says it is indexing', async () => {
    const dataDir = tempDir();
    const server = await startServer({ dataDir });
    const ana = await register(server.url);
    const room = await makeRoom(server.url, ana.token);
    const w = unique('during');
    for (let i = 1; i <= 6; i++) await say(server.url, ana.token, room.id, `${w} old ${i}`);
    await server.close();
    // Switching the index off and on again leaves every message to the backfill, as an upgrade does.
    await (await storeAt(dataDir, { SEARCH_INDEX: 'off' })).close();
    const store = await storeAt(dataDir);
    try {
      const find = async () => {
        const page = await store.search.find({
          terms: [term(w)],
          userId: ana.user.id,
          includePublic: false,
          sort: 'newest',
          limit: 50,
        });
        return page.rows.map((row) => row.text).sort();
      };
      expect(await store.search.indexing()).toBe(true);
      const at = now();
      await store.applyOps([
        {
          kind: 'send',
          id: newId(),
          roomId: room.id,
          authorId: ana.user.id,
          text: `${w} new`,
          clientId: null,
          createdAt: at,
          threadSeq: null,
          alsoToRoom: false,
          mentions: [],
          files: [],
        },
        {
          kind: 'edit',
          roomId: room.id,
          seq: 2,
          actorId: ana.user.id,
          text: `${w} edited`,
          at,
          mentions: [],
        },
        { kind: 'delete', roomId: room.id, seq: 3, actorId: ana.user.id, asAuthor: true, at },
      ]);
      // Before the backfill reaches them, old messages are not found; what was stored since is (and,
      // on PostgreSQL, whose writes index an edited message at once, the edit).
      const early = await find();
      expect(early).toContain(`${w} new`);
      expect(early.filter((text) => text.includes(' old '))).toEqual([]);
      let batches = 0;
      while (await store.search.backfill(2)) batches += 1;
      expect(batches).toBeGreaterThanOrEqual(2);
      expect(await store.search.indexing()).toBe(false);
      expect(await find()).toEqual([
        `${w} edited`,
        `${w} new`,
        `${w} old 1`,
        `${w} old 4`,
        `${w} old 5`,
        `${w} old 6`,
      ]);
      // And after it, changes go through the index as usual.
      await store.applyOps([
        { kind: 'delete', roomId: room.id, seq: 4, actorId: ana.user.id, asAuthor: true, at },
      ]);
      expect(await find()).toEqual([`${w} edited`, `${w} new`, `${w} old 1`, `${w} old 5`, `${w} old 6`]);
    } finally {
      await store.close();
    }
  }, 90_000);

  it('answers search_unavailable while SEARCH_INDEX=off', async () => {
    const server = await startServer({ env: { SEARCH_INDEX: 'off' } });
    try {
      const ana = await register(server.url);
      const reply = await searchFor(server.url, ana.token, { q: 'anything' });
      expect([reply.status, reply.body.code]).toEqual([503, 'search_unavailable']);
    } finally {
      await server.close();
    }
  });
});
