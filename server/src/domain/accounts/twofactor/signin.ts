import type { LoginReply, TotpLoginReply, TotpSetupReply } from '@parley/protocol';
import { fail } from '../../../errors.js';
import type { UserRow } from '../../../store/schema.js';
import type { Ctx } from '../../context.js';
import { type ClientInfo, startSession } from '../sessions.js';
import { looksLikeTotp } from './codes.js';
import { limitCodeAttempts } from './limits.js';
import { twoFactorRequired } from './policy.js';
import { beginEnrolment } from './setup.js';
import { acceptTotp, enableTotp, replaceRecoveryCodes, totpOf, useRecoveryCode } from './store.js';
import { readTicket, signTicket } from './ticket.js';

/** Where every sign-in lands once a session is due: the one place that starts it. */
export const openSession = (ctx: Ctx, user: UserRow, client: ClientInfo) => startSession(ctx, user, client);

/**
 * After the first factor (the password, or the provider) succeeded: a session, or — when the account
 * has two-factor on, or the server requires it of this account — a ticket for the second step.
 */
export async function afterFirstFactor(ctx: Ctx, user: UserRow, client: ClientInfo): Promise<LoginReply> {
  const totp = await totpOf(ctx, user.id);
  const enrol = !totp?.enabled && twoFactorRequired(ctx, user);
  if (!totp?.enabled && !enrol) return openSession(ctx, user, client);
  const { ticket, expiresAt } = await signTicket(ctx.tokens, { userId: user.id, enrol });
  return { secondStep: { ticket, enrol, expiresAt: expiresAt.toISOString() } };
}

async function ticketHolder(ctx: Ctx, ticket: string): Promise<UserRow> {
  const claims = await readTicket(ctx.tokens, ticket);
  if (!claims) fail('two_factor_expired');
  const user = await ctx.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', claims.userId)
    .executeTakeFirst();
  if (!user || user.deleted_at !== null) fail('two_factor_expired');
  if (user.disabled_at !== null) fail('account_disabled');
  return user;
}

/** An account that must enrol before it may sign in gets its secret with the ticket, not a session. */
export async function enrolAtSignIn(ctx: Ctx, ticket: string): Promise<TotpSetupReply> {
  const user = await ticketHolder(ctx, ticket);
  return beginEnrolment(ctx, user);
}

/**
 * The second step: a TOTP code (each accepted once) or an unused recovery code. For an account that
 * must enrol, the code confirms the secret from `enrolAtSignIn`, and the recovery codes come back once.
 */
export async function completeSecondStep(
  ctx: Ctx,
  input: { ticket: string; code: string } & ClientInfo,
): Promise<TotpLoginReply> {
  const user = await ticketHolder(ctx, input.ticket);
  await limitCodeAttempts(ctx, user.id);
  const totp = await totpOf(ctx, user.id);
  if (totp?.enabled) {
    const ok = looksLikeTotp(input.code)
      ? await acceptTotp(ctx, user.id, input.code)
      : await useRecoveryCode(ctx, user.id, input.code);
    if (!ok) fail('two_factor_invalid');
    return openSession(ctx, user, input);
  }
  if (!twoFactorRequired(ctx, user)) return openSession(ctx, user, input);
  if (!totp || !looksLikeTotp(input.code) || !(await acceptTotp(ctx, user.id, input.code, true)))
    fail('two_factor_invalid');
  if (!(await enableTotp(ctx, user.id))) fail('two_factor_invalid');
  const recoveryCodes = await replaceRecoveryCodes(ctx, user.id);
  return { ...(await openSession(ctx, user, input)), recoveryCodes };
}
