import { limits } from '@parley/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type BatchAnswers,
  batchAnswers,
  lastChangeOnly,
  newMessageRow,
  numericRow,
  type MessageOp,
  type Refusal,
  type SendOp,
  toggleReaction,
  withReplier,
} from './ops.mjs';
import { BatchFiles } from './files.postgres.js';
import type { Database, MessageRow } from './schema.js';
import type { PostgresSearch } from './search/postgres.js';
import type { StoredRow } from './types.js';

const pair = (a: string, b: string | number | null) => `${a}\u0000${b}`;

/** A message an operation of the batch changes, as it stands in the transaction so far. */
interface Target {
  room_id: string;
  seq: number;
  author_id: string;
  deleted: number;
  thread_seq: number | null;
  reactions: string;
  pinned_by: string | null;
  pinned_at: string | null;
  thread_users: string;
  thread_replies: number;
  thread_last_at: string | null;
  text: string;
  edited_at: string | null;
  mentions: string;
  rev: number;
  /** Columns to write back: set when an operation changed it. */
  dirty: boolean;
  /** Cleared by a later operation of the batch. */
  gone: boolean;
}

interface RoomState {
  seq: number;
  rev: number;
  fromRev: number;
  floor: number;
  floorRev: number | null;
}

/**
 * PostgreSQL's write path: a whole batch in a handful of statements rather than a round trip per
 * operation. The outcome of each operation is decided in order, in memory, with exactly the rules of
 * the SQLite writer thread (sqlite.writer.mjs), over rows read and locked up front: the authors'
 * clientIds already used, the memberships (FOR SHARE, so a member removed at the same moment is
 * removed either before or after), the rooms (FOR UPDATE, in id order: no deadlock between nodes; the
 * counters are bumped once each, so seqs and revs are handed out in commit order with no gaps) and the
 * messages the batch changes. Then: one insert, one update per changed message, the clears, the
 * counters, and the changed rows read back.
 */
export function applyBatch(
  db: Kysely<Database>,
  ops: MessageOp[],
  search?: PostgresSearch,
): Promise<BatchAnswers> {
  return db.transaction().execute(async (trx) => {
    const answers = batchAnswers();
    const sends = ops.filter((op): op is SendOp => op.kind === 'send');
    const used = await usedClientIds(trx, sends);
    const members = await lockMemberships(trx, ops);
    const rooms = await lockRooms(trx, ops);
    const targets = await lockTargets(trx, ops);
    const files = await BatchFiles.lock(trx, ops);

    const answer = (index: number, a: number, b: number) => {
      answers.numbers[2 * index] = a;
      answers.numbers[2 * index + 1] = b;
    };
    const refuse = (index: number, special: Refusal | MessageRow) => {
      answer(index, 0, 0);
      answers.special[index] = special;
    };
    const touched = new Set<Target>();
    const changed = (target: Target, rev: number) => {
      target.rev = rev;
      target.dirty = true;
      touched.add(target);
      answers.events.push(target.room_id, 'u', target.seq);
    };
    const inserts: (SendOp & { seq: number; rev: number })[] = [];
    const firstInBatch = new Map<string, number>();
    const clears: { roomId: string; upto: number }[] = [];
    const tombstones: Target[] = [];

    for (const [index, op] of ops.entries()) {
      const unchecked = op.kind === 'clear' || (op.kind === 'delete' && !op.asAuthor);
      const actor = op.kind === 'send' ? op.authorId : op.kind === 'clear' ? '' : op.actorId;
      const room = unchecked || members.has(pair(op.roomId, actor)) ? rooms.get(op.roomId) : undefined;
      if (op.kind === 'send') {
        const clientKey = op.clientId === null ? undefined : pair(op.authorId, op.clientId);
        const stored = clientKey === undefined ? undefined : used.get(clientKey);
        const earlier = clientKey === undefined ? undefined : firstInBatch.get(clientKey);
        if (stored) {
          refuse(index, stored);
          continue;
        }
        if (earlier !== undefined) {
          const first = inserts[earlier]!;
          refuse(index, newMessageRow(first, first.seq, first.rev));
          continue;
        }
        if (!room) {
          refuse(index, 'not_a_member');
          continue;
        }
        const root = op.threadSeq === null ? undefined : targets.get(pair(op.roomId, op.threadSeq));
        if (op.threadSeq !== null) {
          if (!root || root.gone || root.thread_seq !== null) {
            refuse(index, root && !root.gone ? 'invalid_thread' : 'message_not_found');
            continue;
          }
          if (root.deleted) {
            refuse(index, 'message_deleted');
            continue;
          }
        }
        const fileRefusal = files.refusal(op);
        if (fileRefusal) {
          refuse(index, fileRefusal);
          continue;
        }
        room.seq += 1;
        room.rev += 1;
        files.claim(op, room.seq);
        if (clientKey !== undefined) firstInBatch.set(clientKey, inserts.length);
        inserts.push({ ...op, seq: room.seq, rev: room.rev });
        answer(index, room.seq, room.rev);
        answers.events.push(op.roomId, 'n', index);
        if (root) {
          root.thread_replies += 1;
          root.thread_last_at = op.createdAt;
          root.thread_users = withReplier(root.thread_users, op.authorId);
          room.rev += 1;
          changed(root, room.rev);
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
        room.rev += 1;
        room.floor = upto;
        room.floorRev = room.rev;
        clears.push({ roomId: op.roomId, upto });
        for (const target of targets.values()) {
          if (target.room_id === op.roomId && target.seq <= upto) target.gone = true;
        }
        answer(index, upto, room.rev);
        answers.events.push(op.roomId, 'c', index);
        continue;
      }

      if (!room) {
        refuse(index, 'not_a_member');
        continue;
      }
      const target = targets.get(pair(op.roomId, op.seq));
      if (!target || target.gone) {
        refuse(index, 'message_not_found');
        continue;
      }
      touched.add(target);
      if (target.deleted) {
        if (op.kind === 'delete') answer(index, 0, 0);
        else refuse(index, 'message_deleted');
        continue;
      }
      if ((op.kind === 'edit' || (op.kind === 'delete' && op.asAuthor)) && target.author_id !== op.actorId) {
        refuse(index, 'forbidden');
        continue;
      }
      if (op.kind === 'react') {
        const next = toggleReaction(
          target.reactions,
          op.emoji,
          op.actorId,
          op.on,
          limits.reactionsPerMessageMax,
        );
        if (next === 'full') {
          refuse(index, 'too_many_reactions');
          continue;
        }
        if (next === null) {
          answer(index, 0, 0);
          continue;
        }
        target.reactions = next;
      } else if (op.kind === 'pin') {
        if ((target.pinned_at !== null) === op.on) {
          answer(index, 0, 0);
          continue;
        }
        target.pinned_by = op.on ? op.actorId : null;
        target.pinned_at = op.on ? op.at : null;
      } else if (op.kind === 'edit') {
        target.text = op.text;
        target.edited_at = op.at;
        target.mentions = JSON.stringify(op.mentions);
      } else {
        Object.assign(target, { text: '', deleted: 1, reactions: '[]', mentions: '[]' });
        Object.assign(target, { pinned_by: null, pinned_at: null });
        tombstones.push(target);
      }
      room.rev += 1;
      answer(index, 0, room.rev);
      changed(target, room.rev);
      // A deleted reply no longer counts in its thread.
      const thread =
        op.kind === 'delete' && target.thread_seq !== null
          ? targets.get(pair(op.roomId, target.thread_seq))
          : undefined;
      if (thread && !thread.gone && thread.thread_replies > 0) {
        thread.thread_replies -= 1;
        room.rev += 1;
        changed(thread, room.rev);
      }
    }

    await insertMessages(trx, inserts, search);
    await updateTargets(
      trx,
      [...touched].filter((target) => target.dirty && !target.gone),
    );
    for (const { roomId, upto } of clears) {
      await sql`DELETE FROM messages WHERE room_id = ${roomId} AND seq <= ${upto}`.execute(trx);
    }
    // Edits and deletes: the index follows the text in this transaction (clears cascade).
    await search?.reindex(trx, textChanges(ops));
    await files.write(
      trx,
      answers,
      tombstones.filter((target) => !target.gone),
      clears,
    );
    await writeCounters(trx, rooms, answers);
    answers.rows = await readBack(
      trx,
      [...touched].filter((target) => !target.gone),
    );
    answers.events = lastChangeOnly(answers.events, answers.rows);
    return answers;
  });
}

async function usedClientIds(trx: Transaction<Database>, sends: SendOp[]): Promise<Map<string, MessageRow>> {
  const used = new Map<string, MessageRow>();
  const withClientId = sends.filter((op) => op.clientId !== null);
  if (withClientId.length === 0) return used;
  const found = await sql<MessageRow>`
    SELECT m.* FROM messages m
    JOIN unnest(${withClientId.map((op) => op.authorId)}::text[], ${withClientId.map((op) => op.clientId)}::text[])
      AS k(author_id, client_id)
      ON m.author_id = k.author_id AND m.client_id = k.client_id`.execute(trx);
  for (const row of found.rows) used.set(pair(row.author_id, row.client_id), numericRow(row));
  return used;
}

async function lockMemberships(trx: Transaction<Database>, ops: MessageOp[]): Promise<Set<string>> {
  const wanted = new Map<string, [string, string]>();
  for (const op of ops) {
    if (op.kind === 'clear') continue;
    const actor = op.kind === 'send' ? op.authorId : op.actorId;
    wanted.set(pair(op.roomId, actor), [op.roomId, actor]);
  }
  const keys = [...wanted.values()];
  // Members who may write: not muted (a moderator's mute, or a block in a DM), the room not archived.
  const found = await sql<{ room_id: string; user_id: string }>`
    SELECT m.room_id, m.user_id FROM memberships m
    JOIN unnest(${keys.map((k) => k[0])}::text[], ${keys.map((k) => k[1])}::text[]) AS k(room_id, user_id)
      ON m.room_id = k.room_id AND m.user_id = k.user_id
    JOIN rooms r ON r.id = m.room_id AND r.archived_at IS NULL
    WHERE m.muted_until IS NULL OR m.muted_until <= ${new Date().toISOString()}
    FOR SHARE OF m`.execute(trx);
  return new Set(found.rows.map((row) => pair(row.room_id, row.user_id)));
}

async function lockRooms(trx: Transaction<Database>, ops: MessageOp[]): Promise<Map<string, RoomState>> {
  const roomIds = [...new Set(ops.map((op) => op.roomId))].sort();
  const found = await sql<{ id: string; last_seq: string; last_rev: string; floor_seq: string }>`
    SELECT id, last_seq, last_rev, floor_seq FROM rooms WHERE id = ANY(${roomIds}::text[])
    ORDER BY id FOR UPDATE`.execute(trx);
  return new Map(
    found.rows.map((row) => [
      row.id,
      {
        seq: Number(row.last_seq),
        rev: Number(row.last_rev),
        fromRev: Number(row.last_rev),
        floor: Number(row.floor_seq),
        floorRev: null,
      },
    ]),
  );
}

/** The messages the batch changes, and the roots of its replies. */
async function lockTargets(trx: Transaction<Database>, ops: MessageOp[]): Promise<Map<string, Target>> {
  const wanted = new Map<string, [string, number]>();
  for (const op of ops) {
    if (op.kind === 'send' && op.threadSeq !== null)
      wanted.set(pair(op.roomId, op.threadSeq), [op.roomId, op.threadSeq]);
    else if (op.kind !== 'send' && op.kind !== 'clear')
      wanted.set(pair(op.roomId, op.seq), [op.roomId, op.seq]);
  }
  const targets = new Map<string, Target>();
  if (wanted.size === 0) return targets;
  for (const target of await selectTargets(trx, [...wanted.values()])) {
    targets.set(pair(target.room_id, target.seq), target);
  }
  // A reply deleted in this batch takes its root along (its reply count drops), named or not.
  const roots = [...targets.values()]
    .filter((t) => t.thread_seq !== null && !targets.has(pair(t.room_id, t.thread_seq)))
    .map((t): [string, number] => [t.room_id, t.thread_seq as number]);
  for (const target of await selectTargets(trx, roots)) {
    targets.set(pair(target.room_id, target.seq), target);
  }
  return targets;
}

async function selectTargets(trx: Transaction<Database>, keys: [string, number][]): Promise<Target[]> {
  if (keys.length === 0) return [];
  const found = await sql<Target>`
    SELECT m.room_id, m.seq, m.author_id, m.deleted, m.thread_seq, m.reactions, m.pinned_by, m.pinned_at,
      m.thread_users, m.thread_replies, m.thread_last_at, m.text, m.edited_at, m.mentions, m.rev
    FROM messages m
    JOIN unnest(${keys.map((k) => k[0])}::text[], ${keys.map((k) => k[1])}::bigint[]) AS k(room_id, seq)
      ON m.room_id = k.room_id AND m.seq = k.seq
    ORDER BY m.room_id, m.seq
    FOR UPDATE OF m`.execute(trx);
  return found.rows.map((row) => ({
    ...row,
    seq: Number(row.seq),
    rev: Number(row.rev),
    thread_seq: row.thread_seq === null ? null : Number(row.thread_seq),
    dirty: false,
    gone: false,
  }));
}

async function insertMessages(
  trx: Transaction<Database>,
  rows: (SendOp & { seq: number; rev: number })[],
  search?: PostgresSearch,
) {
  if (rows.length === 0) return;
  const columns = sql`id, room_id, seq, rev, born_rev, author_id, text, client_id, created_at, thread_seq, also_in_room, mentions, files`;
  const values = sql`
      ${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.roomId)}::text[],
      ${rows.map((r) => r.seq)}::bigint[], ${rows.map((r) => r.rev)}::bigint[], ${rows.map((r) => r.rev)}::bigint[],
      ${rows.map((r) => r.authorId)}::text[], ${rows.map((r) => r.text)}::text[],
      ${rows.map((r) => r.clientId)}::text[], ${rows.map((r) => r.createdAt)}::text[],
      ${rows.map((r) => r.threadSeq)}::bigint[], ${rows.map((r) => (r.alsoToRoom ? 1 : 0))}::int[],
      ${rows.map((r) => JSON.stringify(r.mentions))}::text[],
      ${rows.map((r) => (r.files.length === 0 ? '[]' : JSON.stringify(r.files)))}::text[]`;
  const indexing = search?.indexNew(rows);
  if (!indexing) {
    await sql`INSERT INTO messages (${columns}) SELECT * FROM unnest(${values})`.execute(trx);
    return;
  }
  // The index rows in the same statement: no second round trip, and the texts are not sent twice.
  await sql`
    WITH k AS (SELECT * FROM unnest(${values}, ${indexing.texts}::text[]) AS k(${columns}, index_text)),
      m AS (INSERT INTO messages (${columns}) SELECT ${columns} FROM k)
    ${indexing.insert}`.execute(trx);
}

async function updateTargets(trx: Transaction<Database>, targets: Target[]) {
  for (const t of targets) {
    await sql`
      UPDATE messages SET text = ${t.text}, edited_at = ${t.edited_at}, deleted = ${t.deleted},
        reactions = ${t.reactions}, mentions = ${t.mentions}, pinned_by = ${t.pinned_by},
        pinned_at = ${t.pinned_at}, thread_replies = ${t.thread_replies},
        thread_last_at = ${t.thread_last_at}, thread_users = ${t.thread_users}, rev = ${t.rev}
      WHERE room_id = ${t.room_id} AND seq = ${t.seq}`.execute(trx);
  }
}

async function writeCounters(
  trx: Transaction<Database>,
  rooms: Map<string, RoomState>,
  answers: BatchAnswers,
) {
  const bumped = [...rooms].filter(([, room]) => room.rev !== room.fromRev);
  if (bumped.length === 0) return;
  await sql`
    UPDATE rooms SET last_seq = c.seq, last_rev = c.rev,
      floor_seq = c.floor, floor_rev = coalesce(c.floor_rev, rooms.floor_rev)
    FROM unnest(${bumped.map(([id]) => id)}::text[], ${bumped.map(([, r]) => r.seq)}::bigint[],
      ${bumped.map(([, r]) => r.rev)}::bigint[], ${bumped.map(([, r]) => r.floor)}::bigint[],
      ${bumped.map(([, r]) => r.floorRev)}::bigint[]) AS c(id, seq, rev, floor, floor_rev)
    WHERE rooms.id = c.id`.execute(trx);
  for (const [roomId, room] of bumped) answers.rooms.push(roomId, room.fromRev, room.rev);
}

async function readBack(trx: Transaction<Database>, targets: Target[]): Promise<StoredRow[]> {
  if (targets.length === 0) return [];
  const found = await sql<StoredRow>`
    SELECT m.*, u.username, u.avatar_id, u.display_name FROM messages m
    JOIN unnest(${targets.map((t) => t.room_id)}::text[], ${targets.map((t) => t.seq)}::bigint[]) AS k(room_id, seq)
      ON m.room_id = k.room_id AND m.seq = k.seq
    JOIN users u ON u.id = m.author_id`.execute(trx);
  return found.rows.map((row) => ({ ...numericRow(row), username: row.username }));
}

/** The messages whose text a batch may have changed. */
function textChanges(ops: MessageOp[]): [string, number][] {
  const keys = new Map<string, [string, number]>();
  for (const op of ops) {
    if (op.kind === 'edit' || op.kind === 'delete') keys.set(pair(op.roomId, op.seq), [op.roomId, op.seq]);
  }
  return [...keys.values()];
}
