import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { newId, now } from '../../src/domain/ids.js';
import { openStore } from '../../src/store/index.js';
import type { MessageOp } from '../../src/store/types.js';
import { register, startServer, tempDir, testServiceEnv } from '../harness.js';
import { makeRoom, say, unique } from './support.js';

const term = (text: string) => ({ text, prefix: false, negated: false });

describe('the index after one batch of many changes', () => {
  it('holds each message’s final state when a batch stores, edits, deletes and clears together', async () => {
    const dataDir = tempDir();
    const server = await startServer({ dataDir });
    const ana = await register(server.url);
    const room = await makeRoom(server.url, ana.token);
    const other = await makeRoom(server.url, ana.token);
    const w = unique('batch');
    // Seqs 1-3 in `room`, 1-2 in `other`, stored before the batch.
    for (let i = 1; i <= 3; i++) await say(server.url, ana.token, room.id, `${w} old ${i}`);
    await say(server.url, ana.token, other.id, `${w} other old`);
    await say(server.url, ana.token, other.id, `${w} other old to delete`);
    await server.close();

    const store = await openStore(
      loadConfig({ ...testServiceEnv(dataDir), DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    );
    try {
      const at = now();
      const send = (roomId: string, text: string): MessageOp => ({
        kind: 'send',
        id: newId(),
        roomId,
        authorId: ana.user.id,
        text,
        clientId: null,
        createdAt: at,
        threadSeq: null,
        alsoToRoom: false,
        mentions: [],
        files: [],
      });
      const edit = (roomId: string, seq: number, text: string): MessageOp => ({
        kind: 'edit',
        roomId,
        seq,
        actorId: ana.user.id,
        text,
        at,
        mentions: [],
      });
      const remove = (roomId: string, seq: number): MessageOp => ({
        kind: 'delete',
        roomId,
        seq,
        actorId: ana.user.id,
        asAuthor: true,
        at,
      });
      const answers = await store.applyOps([
        edit(other.id, 1, `${w} other old edited`),
        edit(room.id, 1, `${w} old edited then cleared`),
        send(other.id, `${w} new in other`), // other seq 3
        send(room.id, `${w} new then cleared`), // room seq 4, the newest row
        { kind: 'clear', roomId: room.id, uptoSeq: 4 },
        edit(other.id, 1, `${w} other old edited twice`),
        remove(other.id, 2),
      ]);
      // The next message may take the row number of the newest one cleared (SQLite's rowid).
      const next = await store.applyOps([
        send(room.id, `${w} new after the clear`), // room seq 5
        send(other.id, ''), // files-only messages have no text to index
      ]);
      expect([answers.special, next.special]).toEqual([{}, {}]);
      const page = await store.search.find({
        terms: [term(w)],
        userId: ana.user.id,
        includePublic: false,
        sort: 'newest',
        limit: 50,
      });
      expect(page.rows.map((row) => row.text).sort()).toEqual([
        `${w} new after the clear`,
        `${w} new in other`,
        `${w} other old edited twice`,
      ]);
      for (const gone of ['delete', 'then']) {
        const found = await store.search.find({
          terms: [term(w), term(gone)],
          userId: ana.user.id,
          includePublic: false,
          sort: 'newest',
          limit: 50,
        });
        expect(found.rows, gone).toEqual([]);
      }
    } finally {
      await store.close();
    }
  }, 90_000);
});
