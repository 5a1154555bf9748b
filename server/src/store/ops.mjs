// The contract of the message writer, defined once: which operations change a room's messages, the
// fields each carries, how a batch of them crosses to the SQLite writer thread (flat, because one array
// of strings and numbers clones far cheaper than an array of objects) and how the answers come back.
// Plain JavaScript so the writer thread (which runs without a TypeScript loader) imports the very same
// module as the main thread, the PostgreSQL batch and the bench; types are in ops.d.mts.

/** Field order per kind; the flat form is `kind, ...fields` per operation. */
export const opFields = {
  send: [
    'id',
    'roomId',
    'authorId',
    'text',
    'clientId',
    'createdAt',
    'threadSeq',
    'alsoToRoom',
    'mentions',
    'files',
  ],
  edit: ['roomId', 'seq', 'actorId', 'text', 'at', 'mentions'],
  delete: ['roomId', 'seq', 'actorId', 'asAuthor', 'at'],
  react: ['roomId', 'seq', 'actorId', 'emoji', 'on'],
  pin: ['roomId', 'seq', 'actorId', 'on', 'at'],
  clear: ['roomId', 'uptoSeq'],
};

/** Arrays (mentions, files) travel as JSON text, which is also how they are stored. */
const jsonFields = new Set(['mentions', 'files']);

export function encodeOps(ops) {
  const flat = [];
  for (const op of ops) {
    flat.push(op.kind);
    for (const field of opFields[op.kind]) {
      const value = op[field];
      flat.push(jsonFields.has(field) ? JSON.stringify(value) : value);
    }
  }
  return flat;
}

/** Operations as objects again; arrays stay JSON text (`mentionsJson`, `filesJson`), ready to store. */
export function decodeOps(flat) {
  const ops = [];
  for (let i = 0; i < flat.length; ) {
    const kind = flat[i++];
    const fields = opFields[kind];
    if (!fields) throw new Error(`unknown message operation "${kind}"`);
    const op = { kind };
    for (const field of fields) op[jsonFields.has(field) ? `${field}Json` : field] = flat[i++];
    ops.push(op);
  }
  return ops;
}

/**
 * The answers to a batch, built by either dialect with `batchAnswers()`: per operation two numbers
 * (`seq, rev` for a stored message, `0, rev` for a change, `floorSeq, rev` for a clear, `0, 0` when
 * nothing changed) and, for the
 * exceptions, `special[index]` (a refusal's error code, or the stored row a reused clientId found).
 * `rooms` lists per room touched `roomId, fromRev, toRev` (revs fromRev+1 … toRev were handed out, in
 * order); `events` the announcements in rev order, `roomId, kind, ref`: "n" a new message (ref: its
 * operation's index), "u" a changed message (ref: its seq; the row is in `rows`), "c" a cleared
 * history (ref: its operation's index). `rows` holds every message a change touched, at its state after the
 * batch, with the author's username. `files` lists the ids of the files whose rows the batch deleted
 * (with a deleted or cleared message): their blobs are removed after the commit.
 */
export function batchAnswers() {
  return { numbers: [], special: {}, rooms: [], events: [], rows: [], files: [] };
}

// Reactions are stored as `[{"e": emoji, "u": [userId, …]}, …]`, emoji in the order first used.
/** The reactions after `userId` turns `emoji` on or off; null when nothing changes; "full" at the cap. */
export function toggleReaction(json, emoji, userId, on, maxDistinct) {
  const reactions = JSON.parse(json);
  const index = reactions.findIndex((r) => r.e === emoji);
  const entry = reactions[index];
  if (on) {
    if (entry?.u.includes(userId)) return null;
    if (entry) entry.u.push(userId);
    else if (reactions.length >= maxDistinct) return 'full';
    else reactions.push({ e: emoji, u: [userId] });
  } else {
    if (!entry?.u.includes(userId)) return null;
    entry.u = entry.u.filter((id) => id !== userId);
    if (entry.u.length === 0) reactions.splice(index, 1);
  }
  return JSON.stringify(reactions);
}

/** The latest repliers, latest first, at most five. */
export function withReplier(json, userId) {
  return JSON.stringify([userId, ...JSON.parse(json).filter((id) => id !== userId)].slice(0, 5));
}

/**
 * A message changed twice in one batch is announced once, at its final state (its rev is the later
 * one; the room's rev range covers the other); one cleared in the same batch not at all.
 */
export function lastChangeOnly(events, rows) {
  const exists = new Set(rows.map((row) => `${row.room_id} ${row.seq}`));
  const last = new Map();
  for (let i = 0; i < events.length; i += 3) {
    if (events[i + 1] === 'u') last.set(`${events[i]} ${events[i + 2]}`, i);
  }
  if (last.size === 0) return events;
  const kept = [];
  for (let i = 0; i < events.length; i += 3) {
    const key = `${events[i]} ${events[i + 2]}`;
    if (events[i + 1] === 'u' && (last.get(key) !== i || !exists.has(key))) continue;
    kept.push(events[i], events[i + 1], events[i + 2]);
  }
  return kept;
}

/** The row a send operation stores, as read back (a new message has no reactions, pin or thread). */
export function newMessageRow(op, seq, rev) {
  return {
    id: op.id,
    room_id: op.roomId,
    seq,
    rev,
    author_id: op.authorId,
    text: op.text,
    client_id: op.clientId,
    created_at: op.createdAt,
    edited_at: null,
    deleted: 0,
    reactions: '[]',
    pinned_by: null,
    pinned_at: null,
    thread_seq: op.threadSeq,
    also_in_room: op.alsoToRoom ? 1 : 0,
    thread_replies: 0,
    thread_last_at: null,
    thread_users: '[]',
    mentions: JSON.stringify(op.mentions),
    files: op.files.length === 0 ? '[]' : JSON.stringify(op.files),
  };
}

/** PostgreSQL answers bigint columns as strings; rows read from either dialect go through this. */
export function numericRow(row) {
  return {
    ...row,
    seq: Number(row.seq),
    rev: Number(row.rev),
    thread_seq: row.thread_seq === null ? null : Number(row.thread_seq),
  };
}
