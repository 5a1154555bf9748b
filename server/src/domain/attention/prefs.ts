import type { NotificationPrefs } from '@parley/protocol';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';

const defaults: NotificationPrefs = { readReceipts: true, pushText: true };

/** A person's receipt and push preferences (defaults until they change one). */
export async function prefsOf(ctx: Ctx, userId: string): Promise<NotificationPrefs> {
  const row = await ctx.store.db
    .selectFrom('notification_prefs')
    .select(['read_receipts', 'push_text'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? { readReceipts: row.read_receipts === 1, pushText: row.push_text === 1 } : defaults;
}

export async function updatePrefs(
  ctx: Ctx,
  auth: Auth,
  change: Partial<NotificationPrefs>,
): Promise<NotificationPrefs> {
  const prefs = { ...(await prefsOf(ctx, auth.user.id)), ...change };
  const row = { read_receipts: prefs.readReceipts ? 1 : 0, push_text: prefs.pushText ? 1 : 0 };
  await ctx.store.db
    .insertInto('notification_prefs')
    .values({ user_id: auth.user.id, ...row })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
    .execute();
  return prefs;
}

/** Of a room's members, those who do not share read receipts (so see none of others'). */
export async function receiptsWithheld(ctx: Ctx, roomId: string): Promise<string[]> {
  const rows = await ctx.store.db
    .selectFrom('memberships as m')
    .innerJoin('notification_prefs as p', 'p.user_id', 'm.user_id')
    .select('m.user_id')
    .where('m.room_id', '=', roomId)
    .where('p.read_receipts', '=', 0)
    .execute();
  return rows.map((row) => row.user_id);
}
