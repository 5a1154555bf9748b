// The SQLite message writer: its own connection, in its own thread. better-sqlite3 is synchronous, so
// with `synchronous = FULL` every commit waits for the disk; here that wait stalls this thread only,
// while the main thread goes on delivering. Plain JavaScript, because worker threads start without the
// TypeScript loader. The main thread's side is `WriterThread` in sqlite.ts.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const db = new SQLite(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const findByClientId = db.prepare('SELECT * FROM messages WHERE author_id = ? AND client_id = ?');
const isMember = db.prepare('SELECT 1 AS one FROM memberships WHERE room_id = ? AND user_id = ?');
const bumpSeq = db.prepare('UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq');
const insert = db.prepare(
  'INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
);

// One message, in the order `Store.appendMessages` (types.ts) promises: a used clientId answers with
// the stored message, a non-member stores nothing, otherwise the room's next seq.
function appendOne(request) {
  if (request.clientId !== null) {
    const existing = findByClientId.get(request.authorId, request.clientId);
    if (existing) return { kind: 'duplicate', row: existing };
  }
  if (!isMember.get(request.roomId, request.authorId)) return { kind: 'not_a_member' };
  const bumped = bumpSeq.get(request.roomId);
  if (!bumped) return { kind: 'not_a_member' };
  const row = {
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
}

// IMMEDIATE takes the write lock before the first read, so the main thread's connection committing
// in between cannot invalidate this transaction's snapshot.
const appendBatch = db.transaction((batch) => batch.map(appendOne)).immediate;

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
