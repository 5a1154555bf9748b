import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/domain/ids.js';
import { newMessageRow, numericRow, opFields, type SendOp } from '../src/store/ops.mjs';
import type { Store } from '../src/store/types.js';
import { register, startServer, type TestServer } from './harness.js';

/**
 * The writer's contract (store/ops.mjs) through each dialect's own implementation: the SQLite writer
 * thread in the default pass, PostgreSQL's batch when the suite runs again with DATABASE_URL. Every
 * field an operation carries must land in the row, and both must answer in the same shape.
 */
let server: TestServer;
let store: Store;
let roomId: string;
let authorId: string;

beforeAll(async () => {
  server = await startServer();
  store = server.parley.ctx.store;
  const author = await register(server.url);
  authorId = author.user.id;
  roomId = newId();
  await store.db
    .insertInto('rooms')
    .values({
      id: roomId,
      name: roomId,
      name_key: roomId,
      description: '',
      visibility: 'private',
      kind: 'room',
      owner_id: authorId,
      dm_key: null,
      created_at: new Date().toISOString(),
    })
    .execute();
  await store.db
    .insertInto('memberships')
    .values({ room_id: roomId, user_id: authorId, role: 'owner', joined_at: new Date().toISOString() })
    .execute();
});
afterAll(() => server.close());

const row = async (seq: number) =>
  numericRow(
    await store.db
      .selectFrom('messages')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow(),
  );

const send = (fields: Partial<SendOp> = {}): SendOp => ({
  kind: 'send',
  id: newId(),
  roomId,
  authorId,
  text: 'every field',
  clientId: newId(),
  createdAt: new Date().toISOString(),
  threadSeq: null,
  alsoToRoom: false,
  mentions: [],
  files: [],
  ...fields,
});

describe(`the writer's contract on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  it('names the fields of every operation once, and each send field round-trips into the stored row', async () => {
    expect(Object.keys(opFields).sort()).toEqual(['clear', 'delete', 'edit', 'pin', 'react', 'send']);
    const root = send({ mentions: [authorId] });
    const first = await store.applyOps([root]);
    const [seq, rev] = first.numbers as [number, number];
    expect(await row(seq)).toMatchObject(newMessageRow(root, seq, rev));

    const reply = send({ threadSeq: seq, alsoToRoom: true, text: 'a reply, also to the room' });
    const second = await store.applyOps([reply]);
    const [replySeq, replyRev] = second.numbers as [number, number];
    expect(await row(replySeq)).toMatchObject(newMessageRow(reply, replySeq, replyRev));
    // The root took the next rev: the reply counts in its thread.
    expect(second.rooms).toEqual([roomId, rev, replyRev + 1]);
    expect(second.events).toEqual([roomId, 'n', 0, roomId, 'u', seq]);
    expect(await row(seq)).toMatchObject({
      rev: replyRev + 1,
      thread_replies: 1,
      thread_last_at: reply.createdAt,
      thread_users: JSON.stringify([authorId]),
    });
  });

  it('applies edits, reactions, pins, deletes and a clear in order in one batch, answering each', async () => {
    const [a, b] = [send({ text: 'to change' }), send({ text: 'to delete' })];
    const sent = await store.applyOps([a, b]);
    const [seqA, , seqB, revB] = sent.numbers as [number, number, number, number];
    const at = new Date().toISOString();
    const batch = await store.applyOps([
      { kind: 'edit', roomId, seq: seqA, actorId: authorId, text: 'changed', at, mentions: [authorId] },
      { kind: 'react', roomId, seq: seqA, actorId: authorId, emoji: '🎉', on: true },
      { kind: 'react', roomId, seq: seqA, actorId: authorId, emoji: '🎉', on: true },
      { kind: 'pin', roomId, seq: seqA, actorId: authorId, on: true, at },
      { kind: 'delete', roomId, seq: seqB, actorId: authorId, asAuthor: true, at },
      { kind: 'edit', roomId, seq: seqB, actorId: authorId, text: 'too late', at, mentions: [] },
      { kind: 'delete', roomId, seq: seqB, actorId: 'someone-else', asAuthor: true, at },
    ]);
    expect(batch.numbers).toEqual([0, revB + 1, 0, revB + 2, 0, 0, 0, revB + 3, 0, revB + 4, 0, 0, 0, 0]);
    expect(batch.special).toEqual({ 5: 'message_deleted', 6: 'not_a_member' });
    expect(batch.rooms).toEqual([roomId, revB, revB + 4]);
    // A message changed three times is announced once, at its final state.
    expect(batch.events).toEqual([roomId, 'u', seqA, roomId, 'u', seqB]);
    expect(await row(seqA)).toMatchObject({
      text: 'changed',
      edited_at: at,
      mentions: JSON.stringify([authorId]),
      reactions: JSON.stringify([{ e: '🎉', u: [authorId] }]),
      pinned_by: authorId,
      pinned_at: at,
      rev: revB + 3,
    });
    expect(await row(seqB)).toMatchObject({ text: '', deleted: 1, rev: revB + 4 });
    expect(batch.rows.map((r) => [Number(r.seq), r.username]).sort()).toEqual(
      [
        [seqA, expect.any(String)],
        [seqB, expect.any(String)],
      ].sort(),
    );

    const cleared = await store.applyOps([{ kind: 'clear', roomId, uptoSeq: seqA }]);
    expect(cleared.numbers).toEqual([seqA, revB + 5]);
    expect(cleared.events).toEqual([roomId, 'c', 0]);
    const left = await store.db.selectFrom('messages').select('seq').where('room_id', '=', roomId).execute();
    expect(left.map((r) => Number(r.seq))).toEqual([seqB]);
    const room = await store.db
      .selectFrom('rooms')
      .select(['floor_seq', 'floor_rev', 'last_rev'])
      .where('id', '=', roomId)
      .executeTakeFirstOrThrow();
    expect([room.floor_seq, room.floor_rev, room.last_rev].map(Number)).toEqual([seqA, revB + 5, revB + 5]);
  });

  it('answers a reused clientId with the stored message, within a batch and across batches', async () => {
    const op = send({ clientId: 'same-client-id' });
    const first = await store.applyOps([op, { ...op, id: newId() }]);
    const [seq, rev] = first.numbers as [number, number];
    expect(first.numbers.slice(2)).toEqual([0, 0]);
    expect(numericRow(first.special[1] as never)).toMatchObject(newMessageRow(op, seq, rev));
    const again = await store.applyOps([{ ...op, id: newId() }]);
    expect(numericRow(again.special[0] as never)).toMatchObject(newMessageRow(op, seq, rev));
    expect(again.rooms).toEqual([]);
  });

  it('attaches a file once, to its uploader’s message in its room, and hands back the files a delete or clear removed', async () => {
    const file = async (uploader = authorId) => {
      const id = newId();
      await store.db
        .insertInto('files')
        .values({
          id,
          kind: 'file',
          room_id: roomId,
          uploader_id: uploader,
          name: `${id}.txt`,
          type: 'text/plain',
          size: 3,
          width: null,
          height: null,
          thumb_size: null,
          message_seq: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      return { id, name: `${id}.txt`, size: 3, type: 'text/plain', url: `/api/files/${id}/${id}.txt` };
    };
    const [mine, again, theirs] = [await file(), await file(), await file('someone-else')];
    const withFile = send({ text: '', files: [mine, again] });
    const batch = await store.applyOps([
      withFile,
      send({ files: [mine] }),
      send({ files: [theirs] }),
      send({ files: [{ ...mine, id: 'no-such-file' }] }),
    ]);
    const [seq, rev] = batch.numbers as [number, number];
    expect(batch.special).toEqual({ 1: 'file_attached', 2: 'file_not_found', 3: 'file_not_found' });
    expect(await row(seq)).toMatchObject(newMessageRow(withFile, seq, rev));
    const attached = await store.db
      .selectFrom('files')
      .select(['id', 'message_seq'])
      .where('message_seq', 'is not', null)
      .where('room_id', '=', roomId)
      .execute();
    expect(attached.map((f) => [f.id, Number(f.message_seq)]).sort()).toEqual(
      [
        [mine.id, seq],
        [again.id, seq],
      ].sort(),
    );

    const other = send({ files: [await file()] });
    const second = await store.applyOps([other]);
    const deleted = await store.applyOps([
      { kind: 'delete', roomId, seq, actorId: authorId, asAuthor: true, at: new Date().toISOString() },
    ]);
    expect(deleted.files.sort()).toEqual([mine.id, again.id].sort());
    expect(deleted.rows[0]).toMatchObject({ deleted: 1, files: '[]' });
    const cleared = await store.applyOps([{ kind: 'clear', roomId, uptoSeq: null }]);
    expect(cleared.files).toEqual([other.files[0]?.id]);
    expect(second.files).toEqual([]);
    const left = await store.db.selectFrom('files').select('id').where('room_id', '=', roomId).execute();
    expect(left.map((f) => f.id)).toEqual([theirs.id]);
  });
});
