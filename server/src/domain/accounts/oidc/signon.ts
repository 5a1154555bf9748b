import type { LoginReply, OidcIdentityReply } from '@parley/protocol';
import { fail } from '../../../errors.js';
import type { Ctx } from '../../context.js';
import { newId } from '../../ids.js';
import type { Auth, ClientInfo } from '../sessions.js';
import { afterFirstFactor } from '../twofactor/signin.js';
import { completeFlow, type Flow } from './flow.js';
import { accountFor, identityOf, linkIdentity, unlinkIdentity } from './identities.js';
import { seal, unseal } from './signed.js';

/**
 * The callback hands the browser over to the web client without putting a token in a URL: it sets a
 * signed cookie naming the account (two minutes, spent on first use), and the client, back on its own
 * page, exchanges it for a session (or the second step) with `POST /api/auth/oidc/finish`.
 */
export const resultCookie = 'parley_oidc_result';
export const resultTtlSeconds = 120;
const resultAudience = 'parley:oidc-result';

export type CallbackOutcome = { kind: 'signed-in'; cookie: string } | { kind: 'linked' };

export async function callback(ctx: Ctx, flow: Flow, query: string): Promise<CallbackOutcome> {
  const identity = await completeFlow(ctx, flow, query);
  if (flow.linkUserId) {
    const user = await ctx.store.db
      .selectFrom('users')
      .select(['id', 'deleted_at', 'disabled_at', 'guest'])
      .where('id', '=', flow.linkUserId)
      .executeTakeFirst();
    if (!user || user.deleted_at !== null || user.disabled_at !== null) fail('unauthorized');
    await linkIdentity(ctx, user.id, identity);
    return { kind: 'linked' };
  }
  const user = await accountFor(ctx, identity);
  const cookie = await seal(ctx.tokens, resultAudience, { sub: user.id, jti: newId() }, resultTtlSeconds);
  return { kind: 'signed-in', cookie };
}

export async function finishSignOn(
  ctx: Ctx,
  cookie: string | undefined,
  client: ClientInfo,
): Promise<LoginReply> {
  const claims = await unseal(ctx.tokens, resultAudience, cookie);
  if (!claims || typeof claims.sub !== 'string' || typeof claims.jti !== 'string') fail('sso_failed');
  const { allowed } = await ctx.bus.limiter.hit(`oidc:result:${claims.jti}`, 1, resultTtlSeconds * 1000);
  if (!allowed) fail('sso_failed');
  const user = await ctx.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', claims.sub)
    .executeTakeFirst();
  if (!user || user.deleted_at !== null) fail('sso_failed');
  if (user.disabled_at !== null) fail('account_disabled');
  return afterFirstFactor(ctx, user, client);
}

export async function identityStatus(ctx: Ctx, auth: Auth): Promise<OidcIdentityReply> {
  const config = ctx.config.oidc;
  if (!config) return { provider: null, linked: false };
  const issuer = config.issuer;
  // The stored issuer is the one the ID token named, which may differ from OIDC_ISSUER by a slash.
  const linked =
    (await identityOf(ctx, auth.user.id, issuer)) ??
    (await identityOf(ctx, auth.user.id, issuer.endsWith('/') ? issuer.slice(0, -1) : `${issuer}/`));
  return { provider: config.name, linked: Boolean(linked) };
}

export async function unlink(ctx: Ctx, auth: Auth): Promise<void> {
  const config = ctx.config.oidc;
  if (!config) fail('sso_not_configured');
  const issuer = config.issuer;
  await unlinkIdentity(ctx, auth.user.id, issuer);
  await unlinkIdentity(ctx, auth.user.id, issuer.endsWith('/') ? issuer.slice(0, -1) : `${issuer}/`);
}

/**
 * Password sign-in may be turned off only while single sign-on is set up and the admin turning it off
 * can use it themselves: otherwise the setting would lock everyone out, its author first.
 */
export async function checkPasswordLoginChange(ctx: Ctx, auth: Auth, passwordLogin: boolean | undefined) {
  if (passwordLogin !== false || ctx.settings.current.passwordLogin === false) return;
  const status = await identityStatus(ctx, auth);
  if (!status.provider)
    fail('validation_failed', 'Password sign-in can be turned off only when single sign-on is set up.');
  if (!status.linked)
    fail('validation_failed', 'Link your own account to single sign-on before turning password sign-in off.');
}
