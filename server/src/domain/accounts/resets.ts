import type { Auth } from './sessions.js';
import type { Ctx } from '../context.js';
import { AppError, fail } from '../../errors.js';
import { audit } from '../admin/audit.js';
import { requireAdmin } from '../admin/guard.js';
import { consumeAccountToken, issueAccountToken, peekAccountToken } from './account-tokens.js';
import { appLink, canMail, sendMail } from './mailer.js';
import { setPassword } from './password-change.js';
import { checkPassword } from './passwords.js';

const resetTtlMs = (ctx: Ctx) => ctx.config.resetLinkTtlMinutes * 60_000;

/**
 * An admin makes a one-time reset link for someone who forgot their password (and has no mail, or the
 * server sends none), to hand over in person. `origin` is where the admin's own request came from, used
 * when PUBLIC_URL is not set.
 */
export async function adminResetLink(ctx: Ctx, auth: Auth, userId: string, origin: string) {
  requireAdmin(auth);
  const user = await ctx.store.db
    .selectFrom('users')
    .select(['id', 'username', 'guest', 'deleted_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.deleted_at) fail('user_not_found');
  if (user.guest) fail('validation_failed', 'A guest has no password to reset.');
  const { token, expiresAt } = await issueAccountToken(ctx, {
    kind: 'password_reset',
    userId,
    ttlMs: resetTtlMs(ctx),
    createdBy: auth.user.id,
  });
  await audit(ctx, auth, 'user.password_reset_link', {
    target: { type: 'user', id: user.id, name: user.username },
  });
  return { url: appLink(ctx.config.publicUrl ?? origin, `/reset-password/${token}`), token, expiresAt };
}

/**
 * "I forgot my password", by username or email address: when mail is set up and the account has a
 * verified address, a reset link goes there. The answer is the same whether or not any of that is so,
 * so the form tells nobody which accounts or addresses exist.
 */
export async function forgotPassword(ctx: Ctx, input: { username: string; ip: string }): Promise<void> {
  const name = input.username.trim().toLowerCase().slice(0, 254);
  for (const [key, max] of [
    [`forgot:ip:${input.ip}`, 20],
    [`forgot:user:${name}`, 3],
  ] as const) {
    const { allowed, retryAfterMs } = await ctx.bus.limiter.hit(key, max, 3_600_000);
    if (!allowed) throw new AppError('rate_limited', undefined, { retryAfterMs });
  }
  if (!canMail(ctx.config) || !name) return;
  const user = await ctx.store.db
    .selectFrom('users')
    .select(['id', 'username', 'email'])
    .where((eb) => eb.or([eb('username_key', '=', name), eb('email', '=', input.username.trim())]))
    .where('email_verified_at', 'is not', null)
    .where('deleted_at', 'is', null)
    .where('disabled_at', 'is', null)
    .where('guest', '=', 0)
    .executeTakeFirst();
  if (!user?.email) return;
  const { token } = await issueAccountToken(ctx, {
    kind: 'password_reset',
    userId: user.id,
    ttlMs: resetTtlMs(ctx),
  });
  const link = appLink(ctx.config.publicUrl as string, `/reset-password/${token}`);
  try {
    await sendMail(ctx.config, {
      to: user.email,
      subject: 'Reset your Parley password',
      text: `Someone (you, we hope) asked to reset the password of ${user.username}.\n\nOpen this link to choose a new one:\n\n${link}\n\nIt works once, for ${ctx.config.resetLinkTtlMinutes} minutes. If you did not ask, ignore this mail: your password stays as it is.`,
    });
  } catch (error) {
    ctx.log.warn({ err: error }, 'could not send a password reset mail');
  }
}

/** Whose link this is, for the form to show (and check the new password against the username). */
export async function checkResetLink(ctx: Ctx, token: string) {
  const row = await peekAccountToken(ctx, 'password_reset', token);
  if (!row) fail('reset_link_invalid');
  const user = await ctx.store.db
    .selectFrom('users')
    .select('username')
    .where('id', '=', row.user_id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!user) fail('reset_link_invalid');
  return { username: user.username, expiresAt: row.expires_at };
}

/**
 * Sets a new password through a reset link, once: the link is used up, and every session of the account
 * ends (whoever knew the old password is signed out). A weak password leaves the link working.
 */
export async function resetPassword(ctx: Ctx, input: { token: string; password: string }): Promise<void> {
  const { username } = await checkResetLink(ctx, input.token);
  checkPassword(input.password, username);
  const row = await consumeAccountToken(ctx, 'password_reset', input.token);
  if (!row) fail('reset_link_invalid');
  await setPassword(ctx, row.user_id, input.password);
}
