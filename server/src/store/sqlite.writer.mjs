// The SQLite message writer: its own connection, in its own thread. better-sqlite3 is synchronous, so
// with `synchronous = FULL` every commit waits for the disk; here that wait stalls this thread only,
// while the main thread goes on delivering. Plain JavaScript, because worker threads start without the
// TypeScript loader. The main thread's side is `WriterThread` in sqlite.ts.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const db = new SQLite(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
// No foreign-key checks on this connection: a message is only inserted after its author's membership
// row is found in the same transaction, and that row's own keys guarantee the room and the user exist.
// Checking again would cost two index lookups per message.
db.pragma('foreign_keys = OFF');
db.pragma('busy_timeout = 5000');

const findByClientId = db.prepare('SELECT * FROM messages WHERE author_id = ? AND client_id = ?');
const isMember = db.prepare('SELECT 1 AS one FROM memberships WHERE room_id = ? AND user_id = ?');
const readSeq = db.prepare('SELECT last_seq FROM rooms WHERE id = ?').pluck();
const writeSeq = db.prepare('UPDATE rooms SET last_seq = ? WHERE id = ?');
// A clientId the author already used is found by the insert itself (the unique index is probed
// anyway); only then is the stored message read. Any other conflict still throws.
const insert = db.prepare(
  `INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (author_id, client_id) DO NOTHING`,
);

// A batch, message by message in the order `Store.appendMessages` (types.ts) promises: a used clientId
// answers with the stored message (also one stored earlier in this batch), a non-member stores nothing,
// otherwise the room's next seq. Membership is read once per (room, author) and each room's counter
// once per batch, then written back once: a busy DM sends several messages per batch.
//
// The batch arrives flat, `fields` values per message in the order of `AppendRequest` (sqlite.writer.ts),
// and each answer is the new seq, 0 for not a member, or the stored row of a duplicate: copying between
// threads costs per object and per property name, and the main thread already has the rest.
const fields = 6;

function appendAll(flat) {
  const lastSeq = new Map(); // roomId → the last seq given out in this batch
  const member = new Map(); // roomId + authorId → boolean
  const results = [];
  for (let i = 0; i < flat.length; i += fields) {
    const id = flat[i];
    const roomId = flat[i + 1];
    const authorId = flat[i + 2];
    const text = flat[i + 3];
    const clientId = flat[i + 4];
    const createdAt = flat[i + 5];
    const memberKey = `${roomId} ${authorId}`;
    let isIn = member.get(memberKey);
    if (isIn === undefined) {
      isIn = isMember.get(roomId, authorId) !== undefined;
      member.set(memberKey, isIn);
    }
    const last = isIn ? (lastSeq.get(roomId) ?? readSeq.get(roomId)) : undefined;
    if (last === undefined) {
      // Not a member (any more): a retry of a message stored before still gets it back.
      results.push((clientId !== null && findByClientId.get(authorId, clientId)) || 0);
      continue;
    }
    if (insert.run(id, roomId, last + 1, authorId, text, clientId, createdAt).changes === 0) {
      const existing = findByClientId.get(authorId, clientId);
      if (!existing) throw new Error('a message conflicted with no stored message');
      results.push(existing);
      continue;
    }
    lastSeq.set(roomId, last + 1);
    results.push(last + 1);
  }
  for (const [roomId, seq] of lastSeq) writeSeq.run(seq, roomId);
  return results;
}

// IMMEDIATE takes the write lock before the first read, so the main thread's connection committing
// in between cannot invalidate this transaction's snapshot.
const appendBatch = db.transaction(appendAll).immediate;

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, results: appendBatch(message.batch) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error?.message), code: error?.code } });
  }
});
parentPort.postMessage({ type: 'ready' });
