import type { Message } from '@parley/protocol';
import type { Ctx } from '../context.js';
import type { RoomChange, RoomChangeEvent } from '../events.js';

/** Who a message mentions, one row each: what `unreadMentions` counts. `@room` is one row for "*". */
async function rowsFor(ctx: Ctx, message: Message) {
  const people = new Set(message.mentions);
  if (message.groupMention === 'here') {
    // Those online when it was said: @here asks whoever is around.
    const members = await ctx.store.db
      .selectFrom('memberships')
      .select('user_id')
      .where('room_id', '=', message.roomId)
      .execute();
    for (const id of await ctx.bus.presence.online(members.map((m) => m.user_id))) people.add(id);
  }
  if (message.groupMention === 'room') people.add('*');
  people.delete(message.author.id);
  return [...people].map((userId) => ({
    room_id: message.roomId,
    user_id: userId,
    seq: message.seq,
    author_id: message.author.id,
  }));
}

const mentionsSomeone = (message: Message) =>
  message.mentions.length > 0 || message.groupMention !== undefined;

/** A delete or an edit: its rows are replaced (or just removed). */
const changedWords = (event: RoomChangeEvent) =>
  event.type === 'updated' && (event.message.deleted || event.message.editedAt !== undefined);

/** Whether an event changes `user_mentions`: most mention nobody. */
const touches = (event: RoomChangeEvent) =>
  event.type === 'cleared' || changedWords(event) || (event.type === 'new' && mentionsSomeone(event.message));

/** Whether `indexMentions` has anything to do for the change (checked before calling it: no promise per batch). */
export const touchesMentions = (change: RoomChange): boolean => change.events.some(touches);

/**
 * Keeps `user_mentions` in step with one committed change, after the commit and off the send path:
 * a new message adds its rows, an edit replaces them, a delete or a cleared history removes them.
 */
export async function indexMentions(ctx: Ctx, change: RoomChange): Promise<void> {
  const { db } = ctx.store;
  for (const event of change.events) {
    if (event.type === 'cleared') {
      await db
        .deleteFrom('user_mentions')
        .where('room_id', '=', change.roomId)
        .where('seq', '<=', event.seq)
        .execute();
      continue;
    }
    if (!touches(event)) continue;
    const { message } = event;
    const edited = changedWords(event);
    const rows = message.deleted ? [] : await rowsFor(ctx, message);
    if (edited) {
      await db
        .deleteFrom('user_mentions')
        .where('room_id', '=', message.roomId)
        .where('seq', '=', message.seq)
        .execute();
    }
    // In chunks: an @here in a big room is thousands of rows, past a statement's parameter limit.
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('user_mentions')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['room_id', 'user_id', 'seq']).doNothing())
        .execute();
    }
  }
}
