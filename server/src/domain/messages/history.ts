import { type HistoryReply, limits, type Message, type ThreadReply } from '@parley/protocol';
import type { ExpressionBuilder, Kysely } from 'kysely';
import { fail } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { signMessages } from '../files/links.js';
import { memberRoom } from '../rooms/access.js';
import { present } from './present.js';

export const withAuthors = (ctx: Ctx) => withAuthorsIn(ctx.store.db);

/** Messages with their authors' names, read through `db` (a transaction, or the store's). */
export const withAuthorsIn = (db: Kysely<Database>) =>
  db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.author_id')
    .selectAll('messages')
    .select(['users.username', 'users.avatar_id', 'users.display_name']);

/** The room's main timeline: thread replies stay in their threads unless also sent to the room. */
const onTimeline = (eb: ExpressionBuilder<Database, 'messages'>) =>
  eb.or([eb('messages.thread_seq', 'is', null), eb('messages.also_in_room', '=', 1)]);

/**
 * A page of the main timeline in ascending seq: after a cursor, before one, around one (for links and
 * search results: up to half the page before it, the rest from it on), or the latest.
 */
export async function history(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  query: { before?: number; after?: number; around?: number; limit?: number },
): Promise<HistoryReply> {
  await memberRoom(ctx, auth.user.id, roomId);
  const limit = Math.min(query.limit ?? limits.historyPageDefault, limits.historyPageMax);
  const base = withAuthors(ctx).where('messages.room_id', '=', roomId).where(onTimeline);
  // The reply goes to the caller alone: file URLs are signed for them.
  const shown = (rows: Parameters<typeof present>[0]) => signMessages(ctx, auth, present(rows));
  const older = async (before: number | undefined, count: number) => {
    const page = before === undefined ? base : base.where('messages.seq', '<', before);
    const rows = await page
      .orderBy('messages.seq', 'desc')
      .limit(count + 1)
      .execute();
    return { messages: shown(rows.slice(0, count).reverse()), more: rows.length > count };
  };
  const newer = async (from: number, count: number, before?: number) => {
    let page = base.where('messages.seq', '>=', from);
    if (before !== undefined) page = page.where('messages.seq', '<', before);
    const rows = await page
      .orderBy('messages.seq', 'asc')
      .limit(count + 1)
      .execute();
    return { messages: shown(rows.slice(0, count)), more: rows.length > count };
  };

  if (query.around !== undefined) {
    const before = await older(query.around, Math.floor(limit / 2));
    const after = await newer(query.around, limit - before.messages.length);
    return {
      messages: [...before.messages, ...after.messages],
      hasMore: before.more,
      hasNewer: after.more,
    };
  }
  if (query.after !== undefined) {
    // Paging forward: `hasMore` has always meant "more in the direction of paging" here.
    const after = await newer(query.after + 1, limit, query.before);
    return { messages: after.messages, hasMore: after.more, hasNewer: after.more };
  }
  const page = await older(query.before, limit);
  return { messages: page.messages, hasMore: page.more };
}

/** A thread: its root and the replies after `after`, in seq order. */
export async function thread(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  rootSeq: number,
  query: { after?: number; limit?: number },
): Promise<ThreadReply> {
  await memberRoom(ctx, auth.user.id, roomId);
  const [root] = signMessages(
    ctx,
    auth,
    present(
      await withAuthors(ctx)
        .where('messages.room_id', '=', roomId)
        .where('messages.seq', '=', rootSeq)
        .execute(),
    ),
  );
  if (!root) fail('message_not_found');
  if (root.threadSeq !== undefined)
    fail('invalid_thread', 'That message is a reply; open its thread instead.');
  const limit = Math.min(query.limit ?? limits.threadPageMax, limits.threadPageMax);
  const rows = await withAuthors(ctx)
    .where('messages.room_id', '=', roomId)
    .where('messages.thread_seq', '=', rootSeq)
    .where('messages.seq', '>', query.after ?? 0)
    .orderBy('messages.seq', 'asc')
    .limit(limit + 1)
    .execute();
  return {
    root,
    messages: signMessages(ctx, auth, present(rows.slice(0, limit))),
    hasMore: rows.length > limit,
  };
}

const pinsMax = 100;

/** The room's pinned messages, most recently pinned first. */
export async function pins(ctx: Ctx, auth: Auth, roomId: string): Promise<{ messages: Message[] }> {
  await memberRoom(ctx, auth.user.id, roomId);
  const rows = await withAuthors(ctx)
    .where('messages.room_id', '=', roomId)
    .where('messages.pinned_at', 'is not', null)
    .orderBy('messages.pinned_at', 'desc')
    .limit(pinsMax)
    .execute();
  return { messages: signMessages(ctx, auth, present(rows)) };
}
