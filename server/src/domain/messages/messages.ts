import { type HistoryReply, limits, type Message } from '@parley/protocol';
import type { MessageRow } from '../../store/schema.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { AppError, fail } from '../../errors.js';
import { newId, now } from '../ids.js';
import { toMessage } from '../mapping.js';
import { canManage, memberRoom, roomFor } from '../rooms/access.js';
import type { MessageWriter } from './writer.js';

export interface SendInput {
  roomId: string;
  text: string;
  clientId?: string;
}

/**
 * The one path for a message, whether it came over REST or a socket: validate, authorize and commit in
 * one transaction (group commit, see MessageWriter), and only then answer. The writer announces it.
 */
export async function sendMessage(
  ctx: Ctx,
  writer: MessageWriter,
  auth: Auth,
  input: SendInput,
): Promise<Message> {
  const text = input.text.trim();
  if (!text) fail('message_empty');
  // PostgreSQL text cannot hold NUL; refusing it everywhere keeps both storages alike.
  if (text.includes('\u0000'))
    throw new AppError('validation_failed', 'Messages cannot contain NUL characters.');
  if (text.length > ctx.config.maxMessageLength) {
    throw new AppError('message_too_long', `Messages are at most ${ctx.config.maxMessageLength} characters.`);
  }
  const result = await writer.write(
    {
      id: newId(),
      roomId: input.roomId,
      authorId: auth.user.id,
      text,
      clientId: input.clientId ?? null,
      createdAt: now(),
    },
    { id: auth.user.id, username: auth.user.username },
  );
  if (result.kind === 'not_a_member') {
    // Membership is checked inside the transaction that stores the message, so the happy path pays for
    // no separate query; only a refusal looks the room up, to answer 404 for a room the sender cannot
    // see and 403 for a public room they have not joined.
    await memberRoom(ctx, auth.user.id, input.roomId);
    fail('not_a_member');
  }
  // A retry gets its stored message back; the same clientId sent to another room is a client bug.
  if (result.kind === 'duplicate' && result.message.roomId !== input.roomId) fail('client_id_reused');
  return result.message;
}

const withAuthors = (ctx: Ctx) =>
  ctx.store.db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.author_id')
    .selectAll('messages')
    .select('users.username');

function present(rows: (MessageRow & { username: string })[]): Message[] {
  return rows.map(({ username, ...row }) =>
    toMessage({ ...row, seq: Number(row.seq) }, { id: row.author_id, username }),
  );
}

/** A page of history in ascending seq: after a cursor, before one, or the latest. */
export async function history(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  query: { before?: number; after?: number; limit?: number },
): Promise<HistoryReply> {
  await memberRoom(ctx, auth.user.id, roomId);
  const limit = Math.min(query.limit ?? limits.historyPageDefault, limits.historyPageMax);
  const base = withAuthors(ctx).where('messages.room_id', '=', roomId);
  if (query.after !== undefined) {
    let forward = base.where('messages.seq', '>', query.after);
    if (query.before !== undefined) forward = forward.where('messages.seq', '<', query.before);
    const rows = await forward
      .orderBy('messages.seq', 'asc')
      .limit(limit + 1)
      .execute();
    return { messages: present(rows.slice(0, limit)), hasMore: rows.length > limit };
  }
  const backward = query.before === undefined ? base : base.where('messages.seq', '<', query.before);
  const rows = await backward
    .orderBy('messages.seq', 'desc')
    .limit(limit + 1)
    .execute();
  return { messages: present(rows.slice(0, limit).reverse()), hasMore: rows.length > limit };
}

/** What a reconnecting client missed, per room it is a member of; rooms it is not in are left out. */
export async function sync(ctx: Ctx, auth: Auth, since: Record<string, number>) {
  const roomIds = Object.keys(since);
  const messages: Record<string, Message[]> = {};
  const hasMore: Record<string, boolean> = {};
  if (roomIds.length === 0) return { messages, hasMore };
  const memberOf = await ctx.store.db
    .selectFrom('memberships')
    .select('room_id')
    .where('user_id', '=', auth.user.id)
    .where('room_id', 'in', roomIds)
    .execute();
  for (const { room_id: roomId } of memberOf) {
    const rows = await withAuthors(ctx)
      .where('messages.room_id', '=', roomId)
      .where('messages.seq', '>', since[roomId] ?? 0)
      .orderBy('messages.seq', 'asc')
      .limit(limits.syncPerRoomMax + 1)
      .execute();
    messages[roomId] = present(rows.slice(0, limits.syncPerRoomMax));
    hasMore[roomId] = rows.length > limits.syncPerRoomMax;
  }
  return { messages, hasMore };
}

/** Deletes a room's messages. Seqs keep counting from where they were, so clients' cursors stay valid. */
export async function clearHistory(ctx: Ctx, auth: Auth, roomId: string): Promise<void> {
  const access = await roomFor(ctx, auth.user.id, roomId);
  if (!canManage(auth, access)) fail('forbidden', 'Only the room owner or an admin can clear the history.');
  await ctx.store.db.deleteFrom('messages').where('room_id', '=', roomId).execute();
  ctx.events.emit('room.cleared', { roomId });
}

/** Moves the caller's read position forward (never back, never past the last message). */
export async function markRead(ctx: Ctx, auth: Auth, roomId: string, seq: number): Promise<void> {
  const { room, membership } = await memberRoom(ctx, auth.user.id, roomId);
  const target = Math.min(seq, room.last_seq);
  if (target <= membership.read_seq) return;
  await ctx.store.db
    .updateTable('memberships')
    .set({ read_seq: target })
    .where('room_id', '=', roomId)
    .where('user_id', '=', auth.user.id)
    .where('read_seq', '<', target)
    .execute();
  ctx.events.emit('read.moved', { userId: auth.user.id, roomId, seq: target });
}
