import type { RecoveryCodesReply, TotpSetupReply, TotpStatusReply } from '@parley/protocol';
import { fail } from '../../../errors.js';
import type { Ctx } from '../../context.js';
import { verifyPassword } from '../passwords.js';
import type { Auth } from '../sessions.js';
import { looksLikeTotp } from './codes.js';
import { limitCodeAttempts } from './limits.js';
import { twoFactorRequired } from './policy.js';
import { beginEnrolment } from './setup.js';
import {
  acceptTotp,
  enableTotp,
  recoveryCodesLeft,
  removeTotp,
  replaceRecoveryCodes,
  totpOf,
  useRecoveryCode,
} from './store.js';

/** Two-factor from the settings screen, for someone signed in. */
export async function twoFactorStatus(ctx: Ctx, auth: Auth): Promise<TotpStatusReply> {
  const totp = await totpOf(ctx, auth.user.id);
  return {
    enabled: Boolean(totp?.enabled),
    recoveryCodesLeft: totp?.enabled ? await recoveryCodesLeft(ctx, auth.user.id) : 0,
    required: twoFactorRequired(ctx, auth.user),
  };
}

export async function startEnrolment(ctx: Ctx, auth: Auth): Promise<TotpSetupReply> {
  if (auth.user.guest) fail('forbidden', 'Guests have no password to guard: pick a username first.');
  return beginEnrolment(ctx, auth.user);
}

/** The first code from the app turns two-factor on; the ten recovery codes are shown this once. */
export async function confirmEnrolment(ctx: Ctx, auth: Auth, code: string): Promise<RecoveryCodesReply> {
  await limitCodeAttempts(ctx, auth.user.id);
  const totp = await totpOf(ctx, auth.user.id);
  if (totp?.enabled) fail('two_factor_enabled');
  if (!totp || !looksLikeTotp(code) || !(await acceptTotp(ctx, auth.user.id, code, true)))
    fail('two_factor_invalid');
  if (!(await enableTotp(ctx, auth.user.id))) fail('two_factor_enabled');
  return { recoveryCodes: await replaceRecoveryCodes(ctx, auth.user.id) };
}

/** A code (or a recovery code) proves the second factor is at hand. */
async function proveCode(ctx: Ctx, userId: string, code: string): Promise<void> {
  await limitCodeAttempts(ctx, userId);
  const ok = looksLikeTotp(code)
    ? await acceptTotp(ctx, userId, code)
    : await useRecoveryCode(ctx, userId, code);
  if (!ok) fail('two_factor_invalid');
}

/** Turning it off takes the password (when the account has one) and a code: a stolen session is not enough. */
export async function disableTwoFactor(
  ctx: Ctx,
  auth: Auth,
  input: { password: string; code: string },
): Promise<void> {
  const totp = await totpOf(ctx, auth.user.id);
  if (!totp?.enabled) fail('two_factor_not_enabled');
  if (twoFactorRequired(ctx, auth.user)) fail('two_factor_required');
  const row = await ctx.store.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', auth.user.id)
    .executeTakeFirstOrThrow();
  if (row.password_hash !== null && !(await verifyPassword(row.password_hash, input.password)))
    fail('invalid_credentials', 'Wrong password.');
  await proveCode(ctx, auth.user.id, input.code);
  await removeTotp(ctx, auth.user.id);
}

/** New recovery codes (the old ones stop working), for a code. */
export async function renewRecoveryCodes(ctx: Ctx, auth: Auth, code: string): Promise<RecoveryCodesReply> {
  const totp = await totpOf(ctx, auth.user.id);
  if (!totp?.enabled) fail('two_factor_not_enabled');
  await proveCode(ctx, auth.user.id, code);
  return { recoveryCodes: await replaceRecoveryCodes(ctx, auth.user.id) };
}
