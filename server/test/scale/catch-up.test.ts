import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientSocket, connect, defaultRoomId, nextEvent, register } from '../harness.js';
import { type Node, services, startNodes } from './cluster.js';

describe.skipIf(!services)('a change whose broadcast never left its node', () => {
  let cluster: Awaited<ReturnType<typeof startNodes>>;
  let socket: ClientSocket | undefined;
  beforeAll(async () => {
    cluster = await startNodes(2);
  }, 60_000);
  afterAll(async () => {
    socket?.close();
    await cluster?.stop();
  });

  it('reaches the clients of the other node from the database, without waiting for the room’s next change', async () => {
    const [a, b] = cluster.nodes as [Node, Node];
    const ann = await register(a.url);
    const bob = await register(b.url);
    const roomId = await defaultRoomId(b.url, bob.token);
    socket = await connect(b.url, bob.token);
    const heard = nextEvent(
      socket,
      'message:new',
      (m) => m.roomId === roomId && m.text === 'lost broadcast',
      15_000,
    );

    // What a node that died between its commit and its broadcast leaves behind: the message stored, the
    // room's counters moved, and nothing said on Redis.
    const db = new pg.Client({ connectionString: cluster.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query('BEGIN');
      const room = await db.query<{ last_seq: string; last_rev: string }>(
        'SELECT last_seq, last_rev FROM rooms WHERE id = $1 FOR UPDATE',
        [roomId],
      );
      const seq = Number(room.rows[0]?.last_seq) + 1;
      const rev = Number(room.rows[0]?.last_rev) + 1;
      await db.query(
        `INSERT INTO messages (id, room_id, seq, rev, born_rev, author_id, text, client_id, created_at, thread_seq, also_in_room, mentions, files)
         VALUES ($1, $2, $3, $4, $4, $5, 'lost broadcast', NULL, $6, NULL, 0, '[]', '[]')`,
        [`lost${Date.now()}`, roomId, seq, rev, ann.user.id, new Date().toISOString()],
      );
      await db.query('UPDATE rooms SET last_seq = $1, last_rev = $2 WHERE id = $3', [seq, rev, roomId]);
      await db.query('COMMIT');
    } finally {
      await db.end();
    }

    const message = await heard;
    expect(message.author.id).toBe(ann.user.id);
  }, 60_000);
});
