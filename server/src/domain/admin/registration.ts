import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { giveBack, takeInvite } from './invites.js';

/** How a new account comes in: registering, continuing as a guest, or a guest keeping its account. */
export type Arrival = 'register' | 'guest' | 'upgrade';

/**
 * Whether the live settings let this account be made, and the invite it used if any. The very first
 * account always may (someone has to run the server). Call `made` once the account exists, or
 * `failed` to give the invite's use back.
 */
export async function admit(ctx: Ctx, arrival: Arrival, invite?: string) {
  const { registration, guests } = ctx.settings.current;
  const none = { failed: async () => {} };
  if (arrival === 'guest') {
    if (!guests) fail('guests_disabled');
    return none;
  }
  if (registration === 'open' || !(await hasAccounts(ctx))) return none;
  if (registration === 'closed') fail('registration_closed');
  if (!invite) fail('invite_required');
  if (!(await takeInvite(ctx, invite))) fail('invite_invalid');
  return { failed: () => giveBack(ctx, invite) };
}

async function hasAccounts(ctx: Ctx): Promise<boolean> {
  const row = await ctx.store.db
    .selectFrom('users')
    .select('id')
    .where('guest', '=', 0)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
