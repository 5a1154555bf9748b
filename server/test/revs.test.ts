import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../src/domain/context.js';
import { newId } from '../src/domain/ids.js';
import { messagesByRev } from '../src/domain/messages/revs.js';
import { changesInRange } from '../src/domain/messages/sync.js';
import type { MessageOp } from '../src/store/ops.mjs';
import { defaultRoomId, register, startServer, type TestServer } from './harness.js';

/**
 * Sync by rev reads changed messages from the partial rev index and unchanged ones from `(room_id,
 * seq)` (domain/messages/revs.ts, migration 0014). Checked against the plain truth — every message with
 * a rev past the cursor, in rev order, read by a scan — from every rev a client could hold, after a
 * history of sends, edits, reactions, pins, deletes, thread replies and a clear, and again after the
 * migration has run over a database made before it.
 */
let server: TestServer;
let roomId: string;
let authorId: string;
const ctx = () => server.parley.ctx as Ctx;

beforeAll(async () => {
  server = await startServer();
  const author = await register(server.url);
  authorId = author.user.id;
  roomId = await defaultRoomId(server.url, author.token);
});
afterAll(() => server.close());

/** A small deterministic generator: the same history on every run and both dialects. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
}

async function history(seed: number, sends: number) {
  const pick = random(seed);
  const seqs: number[] = [];
  const at = () => new Date().toISOString();
  for (let i = 0; i < sends; ) {
    const batch: MessageOp[] = [];
    for (let size = 1 + pick(6); size > 0 && i < sends; size--, i++) {
      const target = seqs.length > 0 ? (seqs[pick(seqs.length)] as number) : undefined;
      const change = target === undefined ? 9 : pick(10);
      const send: MessageOp = {
        kind: 'send',
        id: newId(),
        roomId,
        authorId,
        text: `message ${i}`,
        clientId: newId(),
        createdAt: at(),
        threadSeq: change === 8 ? (target as number) : null,
        alsoToRoom: false,
        mentions: [],
        files: [],
      };
      if (change === 0 || change >= 8) batch.push(send);
      if (target === undefined) continue;
      if (change === 1 || change === 2) {
        batch.push({
          kind: 'edit',
          roomId,
          seq: target,
          actorId: authorId,
          text: `edit ${i}`,
          at: at(),
          mentions: [],
        });
      }
      if (change === 3 || change === 4) {
        batch.push({ kind: 'react', roomId, seq: target, actorId: authorId, emoji: '🎉', on: pick(2) === 0 });
      }
      if (change === 5)
        batch.push({ kind: 'pin', roomId, seq: target, actorId: authorId, on: true, at: at() });
      if (change === 6)
        batch.push({ kind: 'delete', roomId, seq: target, actorId: authorId, asAuthor: true, at: at() });
      if (change === 7) batch.push(send);
    }
    const answers = await ctx().store.applyOps(batch);
    batch.forEach((op, index) => {
      const seq = answers.numbers[2 * index] ?? 0;
      if (op.kind === 'send' && seq > 0) seqs.push(seq);
    });
  }
}

const truth = async (afterRev: number, uptoRev = Number.MAX_SAFE_INTEGER) =>
  (
    await ctx()
      .store.db.selectFrom('messages')
      .select(['seq', 'rev'])
      .where('room_id', '=', roomId)
      .where('rev', '>', afterRev)
      .where('rev', '<=', uptoRev)
      .orderBy('rev', 'asc')
      .execute()
  ).map((row) => `${row.seq}@${row.rev}`);

const counters = () =>
  ctx()
    .store.db.selectFrom('rooms')
    .select(['id', 'floor_seq', 'last_seq', 'last_rev'])
    .where('id', '=', roomId)
    .executeTakeFirstOrThrow();

/** Every rev a client could hold, whole and in pages, and ranges as a node's gap fill asks for them. */
async function expectEveryCursorAgrees() {
  const room = await counters();
  const lastRev = Number(room.last_rev);
  const pick = random(lastRev);
  for (let rev = 0; rev <= lastRev + 1; rev++) {
    const expected = await truth(rev);
    const found = await messagesByRev(ctx().store.db, room, rev, undefined, undefined);
    expect(
      found.map((row) => `${row.seq}@${row.rev}`),
      `after rev ${rev}`,
    ).toEqual(expected);
    const page = await messagesByRev(ctx().store.db, room, rev, undefined, 5);
    expect(
      page.map((row) => `${row.seq}@${row.rev}`),
      `a page after rev ${rev}`,
    ).toEqual(expected.slice(0, 5));
    const upto = rev + pick(12);
    const range = await changesInRange(ctx(), roomId, rev, upto);
    expect(
      range.messages.map((m) => `${m.seq}@${m.rev}`),
      `in (${rev}, ${upto}]`,
    ).toEqual(await truth(rev, upto));
  }
  return lastRev;
}

describe(`sync by rev on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  it('finds every message new or changed since any rev, in rev order, and keeps unchanged messages out of the rev index', async () => {
    await history(7, 160);
    await ctx().store.applyOps([{ kind: 'clear', roomId, uptoSeq: 20 }]);
    await history(11, 60);
    const lastRev = await expectEveryCursorAgrees();
    expect(lastRev).toBeGreaterThan(100);

    const indexed = await ctx()
      .store.db.selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('room_id', '=', roomId)
      .whereRef('rev', '>', 'born_rev')
      .executeTakeFirstOrThrow();
    const all = await ctx()
      .store.db.selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('room_id', '=', roomId)
      .executeTakeFirstOrThrow();
    expect(Number(indexed.n)).toBeGreaterThan(0);
    expect(Number(indexed.n)).toBeLessThan(Number(all.n) / 2);
  }, 120_000);

  it('agrees after the migration ran over messages stored before it, and after more history', async () => {
    // The database as the code before 0014 left it: no born_rev, every message in (room_id, rev).
    const db = ctx().store.db;
    await sql`DROP INDEX messages_changed`.execute(db);
    await sql`ALTER TABLE messages DROP COLUMN born_rev`.execute(db);
    await sql`CREATE INDEX messages_room_rev ON messages (room_id, rev)`.execute(db);
    await sql`DELETE FROM kysely_migration WHERE name = '0014_changed_rev_index'`.execute(db);
    await server.close();
    server = await startServer({ dataDir: server.dataDir });

    await expectEveryCursorAgrees();
    await history(13, 80);
    await expectEveryCursorAgrees();
  }, 120_000);
});
