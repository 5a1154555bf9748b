// Files in the SQLite writer thread's transaction (sqlite.writer.mjs): a send attaches its files only if
// each is still its author's, uploaded to that room and unattached; a deleted or cleared message takes
// its files' rows with it, and their ids go back in the answers so the blobs are removed after the
// commit. Two sends racing for one file are serialized by this thread: the second finds it attached.

export function fileStatements(db) {
  return {
    state: db.prepare(
      `SELECT message_seq FROM files WHERE id = ? AND room_id = ? AND uploader_id = ? AND kind = 'file'`,
    ),
    claim: db.prepare('UPDATE files SET message_seq = ? WHERE id = ?'),
    emptyMessage: db.prepare(
      `UPDATE messages SET files = '[]' WHERE room_id = ? AND seq = ? AND files <> '[]'`,
    ),
    dropOfMessage: db.prepare('DELETE FROM files WHERE room_id = ? AND message_seq = ? RETURNING id').pluck(),
    dropUpto: db.prepare('DELETE FROM files WHERE room_id = ? AND message_seq <= ? RETURNING id').pluck(),
  };
}

const ids = (op) => (op.filesJson === '[]' ? [] : JSON.parse(op.filesJson).map((file) => file.id));

/** Why a send's files cannot be attached ('file_not_found', 'file_attached'), or undefined if they can. */
export function refuseFiles(q, op) {
  for (const id of ids(op)) {
    const row = q.state.get(id, op.roomId, op.authorId);
    if (!row) return 'file_not_found';
    if (row.message_seq !== null) return 'file_attached';
  }
  return undefined;
}

/** Attaches the send's files to the message just stored at `seq`. */
export function claimFiles(q, op, seq) {
  for (const id of ids(op)) q.claim.run(seq, id);
}

/** A message became a tombstone: its files' rows go, and their ids into `answers.files`. */
export function dropFilesOf(q, answers, roomId, seq) {
  if (q.emptyMessage.run(roomId, seq).changes === 0) return;
  answers.files.push(...q.dropOfMessage.all(roomId, seq));
}

/** A history cleared up to `seq`: the files of those messages go with them. */
export function dropFilesUpto(q, answers, roomId, seq) {
  answers.files.push(...q.dropUpto.all(roomId, seq));
}
