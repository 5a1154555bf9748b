// The SQLite message writer: its own connection, in its own thread. better-sqlite3 is synchronous, so
// with `synchronous = FULL` every commit waits for the disk; here that wait stalls this thread only,
// while the main thread goes on delivering. Plain JavaScript, because worker threads start without the
// TypeScript loader. The main thread's side is `WriterThread` in sqlite.writer.ts; the operations and
// the shape of the answers are defined once in ops.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { claimFiles, dropFilesOf, dropFilesUpto, fileStatements, refuseFiles } from './files.sqlite.mjs';
import { batchAnswers, decodeOps, lastChangeOnly, toggleReaction, withReplier } from './ops.mjs';
import { searchWriter } from './search.sqlite.mjs';

/** WAL pages after which a commit of this connection checkpoints (the main thread's never does). */
const walCheckpointPages = 8_000;

const db = new SQLite(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
// No foreign-key checks on this connection: a message is only inserted after its author's membership
// row is found in the same transaction, and that row's own keys guarantee the room and the user exist.
// Checking again would cost two index lookups per message.
db.pragma('foreign_keys = OFF');
db.pragma('busy_timeout = 5000');
// Each batch dirties a page or so per room in every index of `messages` (and the rooms it touches):
// hundreds of pages per commit under load. With SQLite's defaults (a 2 MB page cache, a checkpoint
// every 1,000 WAL pages) those pages were read back from the OS as the tables outgrew the cache, and
// copied into the database file every two or three commits. A 32 MB cache (filled only as messages
// are written) and a checkpoint every 8,000 pages (32 MB of WAL; the log starts over after each) cut
// the writer's statements by about a third in isolation, and took ingest to 1.17–1.24× the acked/s
// (bench/results.md, "Where the writer's time went").
db.pragma(`cache_size = -${32 * 1024}`);
db.pragma(`wal_autocheckpoint = ${walCheckpointPages}`);
// Under load the WAL outgrows the threshold (84 MB in the ingest bench: a checkpoint can only start the
// log over when no read is using it); once it does start over, the file is cut back to 32 MB.
db.pragma(`journal_size_limit = ${32 * 1024 * 1024}`);
// idleCheckpointMs: how often an idle writer checkpoints what the main thread's commits left in the WAL.
const { maxReactions, idleCheckpointMs } = workerData;

const q = {
  findByClientId: db.prepare('SELECT * FROM messages WHERE author_id = ? AND client_id = ?'),
  // A member who may write: not muted (a moderator's mute, or a block in a DM) — and the room not
  // archived, which the room's counters (read once per batch) tell.
  isMember: db.prepare(
    'SELECT 1 AS one FROM memberships WHERE room_id = ? AND user_id = ? AND (muted_until IS NULL OR muted_until <= ?)',
  ),
  counters: db.prepare('SELECT last_seq, last_rev, floor_seq, archived_at FROM rooms WHERE id = ?').raw(),
  writeCounters: db.prepare('UPDATE rooms SET last_seq = ?, last_rev = ? WHERE id = ?'),
  // A clientId the author already used is found by the insert itself (the unique index is probed
  // anyway); only then is the stored message read. Any other conflict still throws.
  insert: db.prepare(
    `INSERT INTO messages (id, room_id, seq, rev, born_rev, author_id, text, client_id, created_at, thread_seq, also_in_room, mentions, files)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (author_id, client_id) DO NOTHING`,
  ),
  target: db.prepare(
    'SELECT rowid, author_id, deleted, thread_seq, reactions, pinned_at, thread_users FROM messages WHERE room_id = ? AND seq = ?',
  ),
  reply: db.prepare(
    'UPDATE messages SET thread_replies = thread_replies + 1, thread_last_at = ?, thread_users = ?, rev = ? WHERE room_id = ? AND seq = ?',
  ),
  unreply: db.prepare(
    'UPDATE messages SET thread_replies = thread_replies - 1, rev = ? WHERE room_id = ? AND seq = ? AND thread_replies > 0',
  ),
  edit: db.prepare(
    'UPDATE messages SET text = ?, edited_at = ?, mentions = ?, rev = ? WHERE room_id = ? AND seq = ?',
  ),
  tombstone: db.prepare(
    `UPDATE messages SET text = '', deleted = 1, reactions = '[]', mentions = '[]', pinned_by = NULL,
       pinned_at = NULL, rev = ? WHERE room_id = ? AND seq = ?`,
  ),
  react: db.prepare('UPDATE messages SET reactions = ?, rev = ? WHERE room_id = ? AND seq = ?'),
  pin: db.prepare('UPDATE messages SET pinned_by = ?, pinned_at = ?, rev = ? WHERE room_id = ? AND seq = ?'),
  clear: db.prepare('DELETE FROM messages WHERE room_id = ? AND seq <= ?'),
  floor: db.prepare('UPDATE rooms SET floor_seq = ?, floor_rev = ? WHERE id = ?'),
  row: db.prepare(
    'SELECT m.*, u.username, u.avatar_id, u.display_name FROM messages m JOIN users u ON u.id = m.author_id WHERE m.room_id = ? AND m.seq = ?',
  ),
};
const files = fileStatements(db);
// The full-text index, when search is on (search.sqlite.mjs).
const search = searchWriter(db, workerData.search);

/**
 * One batch, operation by operation in order, as `Store.applyOps` (types.ts) promises. Each room's
 * counters are read once per batch and written back once; membership once per (room, user). Every
 * change takes the room's next rev; a new message also its next seq.
 */
function applyAll(flat) {
  const answers = batchAnswers();
  const rooms = new Map(); // roomId → { seq, rev, fromRev, floor, archived }
  const members = new Map(); // roomId + userId → boolean
  const at = new Date().toISOString(); // mutes end by this clock
  const touched = new Map(); // roomId + seq → [roomId, seq]: rows to read back
  const indexed = search?.batch(); // texts stored or changed, indexed after the batch's other writes
  const roomOf = (roomId) => {
    let room = rooms.get(roomId);
    if (!room) {
      const found = q.counters.get(roomId);
      if (!found) return undefined;
      room = {
        seq: found[0],
        rev: found[1],
        fromRev: found[1],
        floor: found[2],
        archived: found[3] !== null,
      };
      rooms.set(roomId, room);
    }
    return room;
  };
  const isMember = (roomId, userId) => {
    const key = `${roomId} ${userId}`;
    let is = members.get(key);
    if (is === undefined) {
      is = roomOf(roomId)?.archived === false && q.isMember.get(roomId, userId, at) !== undefined;
      members.set(key, is);
    }
    return is;
  };
  const answer = (index, a, b) => {
    answers.numbers[2 * index] = a;
    answers.numbers[2 * index + 1] = b;
  };
  // A refusal's code, or the stored row a reused clientId found.
  const refuse = (index, special) => {
    answer(index, 0, 0);
    answers.special[index] = special;
  };
  const touch = (roomId, seq) => touched.set(`${roomId} ${seq}`, [roomId, seq]);
  const changed = (roomId, seq) => {
    touch(roomId, seq);
    answers.events.push(roomId, 'u', seq);
  };

  const ops = decodeOps(flat);
  for (const [index, op] of ops.entries()) {
    // A clear, and a delete whose authority the domain checked (a moderator, an admin), need no
    // membership; everything else is refused to someone who is not (or no longer) in the room.
    const unchecked = op.kind === 'clear' || (op.kind === 'delete' && !op.asAuthor);
    const room = unchecked || isMember(op.roomId, op.authorId ?? op.actorId) ? roomOf(op.roomId) : undefined;
    if (op.kind === 'send') {
      if (!room) {
        // Not a member (any more): a retry of a message stored before still gets it back.
        const stored = op.clientId !== null && q.findByClientId.get(op.authorId, op.clientId);
        refuse(index, stored || 'not_a_member');
        continue;
      }
      let root;
      if (op.threadSeq !== null) {
        root = q.target.get(op.roomId, op.threadSeq);
        if (!root || root.thread_seq !== null) {
          refuse(index, root ? 'invalid_thread' : 'message_not_found');
          continue;
        }
        if (root.deleted) {
          refuse(index, 'message_deleted');
          continue;
        }
      }
      const fileRefusal = refuseFiles(files, op);
      if (fileRefusal) {
        // A retry of a message whose files were attached when it was first stored gets that message.
        refuse(
          index,
          (op.clientId !== null && q.findByClientId.get(op.authorId, op.clientId)) || fileRefusal,
        );
        continue;
      }
      const seq = room.seq + 1;
      const rev = room.rev + 1;
      const inserted = q.insert.run(
        op.id,
        op.roomId,
        seq,
        rev,
        rev,
        op.authorId,
        op.text,
        op.clientId,
        op.createdAt,
        op.threadSeq,
        op.alsoToRoom ? 1 : 0,
        op.mentionsJson,
        op.filesJson,
      );
      if (inserted.changes === 0) {
        const existing = q.findByClientId.get(op.authorId, op.clientId);
        if (!existing) throw new Error('a message conflicted with no stored message');
        refuse(index, existing);
        continue;
      }
      claimFiles(files, op, seq);
      indexed?.stored(inserted.lastInsertRowid, op.roomId, seq, op.text);
      room.seq = seq;
      room.rev = rev;
      answer(index, seq, rev);
      answers.events.push(op.roomId, 'n', index);
      if (root) {
        room.rev += 1;
        q.reply.run(
          op.createdAt,
          withReplier(root.thread_users, op.authorId),
          room.rev,
          op.roomId,
          op.threadSeq,
        );
        changed(op.roomId, op.threadSeq);
      }
      continue;
    }
    if (op.kind === 'clear') {
      if (!room) {
        refuse(index, 'message_not_found');
        continue;
      }
      const upto = Math.min(op.uptoSeq ?? room.seq, room.seq);
      if (upto <= room.floor) {
        answer(index, 0, 0);
        continue;
      }
      q.clear.run(op.roomId, upto);
      indexed?.cleared(op.roomId, upto);
      dropFilesUpto(files, answers, op.roomId, upto);
      room.rev += 1;
      room.floor = upto;
      q.floor.run(upto, room.rev, op.roomId);
      answer(index, upto, room.rev);
      answers.events.push(op.roomId, 'c', index);
      continue;
    }

    // A change to an existing message.
    if (!room) {
      refuse(index, 'not_a_member');
      continue;
    }
    const target = q.target.get(op.roomId, op.seq);
    if (!target) {
      refuse(index, 'message_not_found');
      continue;
    }
    touch(op.roomId, op.seq);
    if (target.deleted) {
      // Deleting twice is not an error: the message is gone either way.
      if (op.kind === 'delete') answer(index, 0, 0);
      else refuse(index, 'message_deleted');
      continue;
    }
    if ((op.kind === 'edit' || (op.kind === 'delete' && op.asAuthor)) && target.author_id !== op.actorId) {
      refuse(index, 'forbidden');
      continue;
    }
    let next;
    if (op.kind === 'react') {
      next = toggleReaction(target.reactions, op.emoji, op.actorId, op.on, maxReactions);
      if (next === 'full') {
        refuse(index, 'too_many_reactions');
        continue;
      }
    }
    if (
      (op.kind === 'react' && next === null) ||
      (op.kind === 'pin' && (target.pinned_at !== null) === op.on)
    ) {
      answer(index, 0, 0);
      continue;
    }
    room.rev += 1;
    const rev = room.rev;
    if (op.kind === 'edit') {
      q.edit.run(op.text, op.at, op.mentionsJson, rev, op.roomId, op.seq);
      indexed?.changed(target.rowid, op.roomId, op.seq, op.text);
    } else if (op.kind === 'delete') {
      q.tombstone.run(rev, op.roomId, op.seq);
      indexed?.changed(target.rowid, op.roomId, op.seq, null);
      dropFilesOf(files, answers, op.roomId, op.seq);
    } else if (op.kind === 'react') q.react.run(next, rev, op.roomId, op.seq);
    else q.pin.run(op.on ? op.actorId : null, op.on ? op.at : null, rev, op.roomId, op.seq);
    answer(index, 0, rev);
    changed(op.roomId, op.seq);
    // A deleted reply no longer counts in its thread.
    if (op.kind === 'delete' && target.thread_seq !== null) {
      if (q.unreply.run(room.rev + 1, op.roomId, target.thread_seq).changes > 0) {
        room.rev += 1;
        changed(op.roomId, target.thread_seq);
      }
    }
  }

  for (const [roomId, room] of rooms) {
    if (room.rev === room.fromRev) continue;
    q.writeCounters.run(room.seq, room.rev, roomId);
    answers.rooms.push(roomId, room.fromRev, room.rev);
  }
  // Last of the batch's writes: any later statement that took a statement journal would make FTS5
  // write its pending terms out early.
  indexed?.apply();
  for (const [roomId, seq] of touched.values()) {
    const row = q.row.get(roomId, seq);
    if (row) answers.rows.push(row);
  }
  answers.events = lastChangeOnly(answers.events, answers.rows);
  return answers;
}

// IMMEDIATE takes the write lock before the first read, so the main thread's connection committing
// in between cannot invalidate this transaction's snapshot.
const applyBatch = db.transaction(applyAll).immediate;

// The main thread's connection never checkpoints (sqlite.ts: that would copy pages on the event loop),
// so a server that writes only there (sign-ins, read positions, no messages) still gets its WAL
// folded back in, here.
let wroteSinceCheckpoint = false;
const idleCheckpoint = setInterval(() => {
  try {
    if (!wroteSinceCheckpoint) db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A full disk: the next commit's own checkpoint, or the next interval, tries again.
  }
  wroteSinceCheckpoint = false;
}, idleCheckpointMs);
idleCheckpoint.unref();

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    clearInterval(idleCheckpoint);
    db.close();
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  wroteSinceCheckpoint = true;
  try {
    parentPort.postMessage({ id: message.id, answers: applyBatch(message.batch) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error?.message), code: error?.code } });
  }
});
parentPort.postMessage({ type: 'ready' });
