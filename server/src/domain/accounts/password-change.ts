import type { Ctx } from '../context.js';
import { AppError, fail } from '../../errors.js';
import { now } from '../ids.js';
import { checkPassword, hashPassword, verifyPassword } from './passwords.js';
import type { Auth } from './sessions.js';

/**
 * Ends every session of the person but `keep` (none: all of them): each token stops working at once and
 * each session's sockets close on every node (the socket layer hears `session.revoked`).
 */
export async function endSessions(ctx: Ctx, userId: string, keep?: string): Promise<number> {
  const ended = await ctx.store.db
    .updateTable('sessions')
    .set({ revoked_at: now() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .$if(keep !== undefined, (qb) => qb.where('id', '!=', keep as string))
    .returning('id')
    .execute();
  for (const { id } of ended) ctx.events.emit('session.revoked', { sessionId: id });
  return ended.length;
}

/** Sets a new password (already checked) and ends every other session. */
export async function setPassword(ctx: Ctx, userId: string, password: string, keep?: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await ctx.store.db
    .updateTable('users')
    .set({ password_hash: passwordHash })
    .where('id', '=', userId)
    .execute();
  await endSessions(ctx, userId, keep);
}

/**
 * The person changes their password, knowing the current one. Someone who walked up to an open tab
 * cannot: and whoever else was signed in as them (a stolen token, a forgotten laptop) is signed out.
 */
export async function changePassword(
  ctx: Ctx,
  auth: Auth,
  input: { current: string; password: string },
): Promise<void> {
  if (auth.user.guest) fail('forbidden', 'A guest has no password; keep the account first.');
  // Someone at an open tab guessing the current password is as slow as a guesser at the sign-in form.
  const { allowed, retryAfterMs } = await ctx.bus.limiter.hit(`password:user:${auth.user.id}`, 10, 900_000);
  if (!allowed) throw new AppError('rate_limited', undefined, { retryAfterMs });
  const row = await ctx.store.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', auth.user.id)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, input.current))) fail('wrong_password');
  checkPassword(input.password, auth.user.username);
  if (input.password === input.current) fail('password_reused');
  await setPassword(ctx, auth.user.id, input.password, auth.sessionId);
}
