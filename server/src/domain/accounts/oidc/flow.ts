import { AppError, fail } from '../../../errors.js';
import type { Ctx } from '../../context.js';
import { providerOf } from './client.js';
import type { Identity } from './identities.js';
import { seal, unseal } from './signed.js';

/**
 * The authorization code flow with PKCE. What the callback must check — the state, the nonce and the
 * PKCE verifier — travels in a signed, HttpOnly cookie bound to this browser (so a callback started in
 * someone else's browser is refused: login CSRF), lives ten minutes, and is spent on first use.
 */
export const flowCookie = 'parley_oidc_flow';
export const flowTtlSeconds = 600;
const flowAudience = 'parley:oidc-flow';

export interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  /** The client's path to return to (same origin). */
  returnTo: string;
  /** Set when a signed-in person links this identity to their account instead of signing in. */
  linkUserId?: string;
}

/** Only a path on this origin: `//evil.example` and `/\evil.example` are other hosts to a browser. */
export function safeReturnTo(raw: string | undefined): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || /[\s\\]/.test(raw)) return '/';
  return raw.split('#')[0] || '/';
}

export async function startFlow(
  ctx: Ctx,
  input: { origin: string; returnTo?: string; linkUserId?: string },
): Promise<{ url: string; cookie: string }> {
  const { config, client, lib: oidc } = await providerOf(ctx);
  const verifier = oidc.randomPKCECodeVerifier();
  const flow: Flow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier,
    redirectUri: config.redirectUri ?? `${input.origin}/api/auth/oidc/callback`,
    returnTo: safeReturnTo(input.returnTo),
    linkUserId: input.linkUserId,
  };
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: flow.redirectUri,
    scope: config.scopes.join(' '),
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url: url.href, cookie: await seal(ctx.tokens, flowAudience, { ...flow }, flowTtlSeconds) };
}

export async function readFlow(ctx: Ctx, cookie: string | undefined): Promise<Flow | null> {
  const claims = await unseal(ctx.tokens, flowAudience, cookie);
  if (!claims) return null;
  const text = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string) : '');
  const flow: Flow = {
    state: text('state'),
    nonce: text('nonce'),
    verifier: text('verifier'),
    redirectUri: text('redirectUri'),
    returnTo: safeReturnTo(text('returnTo')),
    linkUserId: text('linkUserId') || undefined,
  };
  return flow.state && flow.nonce && flow.verifier && flow.redirectUri ? flow : null;
}

const groupsOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : typeof value === 'string'
      ? value.split(/[\s,]+/).filter(Boolean)
      : [];

/**
 * The callback: `openid-client` exchanges the code (with the PKCE verifier) and checks the ID token —
 * its signature against the provider's keys, issuer, audience, expiry and nonce — and the state and
 * `iss` of the redirect. Any failure refuses the sign-on; nothing about an account changes before all
 * of it, and the allowed groups, have passed.
 */
export async function completeFlow(ctx: Ctx, flow: Flow, query: string): Promise<Identity> {
  const { config, client, lib: oidc } = await providerOf(ctx);
  // One flow, one callback, on every node: a replayed callback URL with its cookie is refused here.
  const { allowed } = await ctx.bus.limiter.hit(`oidc:state:${flow.state}`, 1, flowTtlSeconds * 1000);
  if (!allowed) fail('sso_failed');
  const currentUrl = new URL(flow.redirectUri);
  currentUrl.search = query;
  let claims: Record<string, unknown>;
  let issuer: string;
  try {
    const tokens = await oidc.authorizationCodeGrant(client, currentUrl, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) fail('sso_failed');
    claims = { ...idClaims };
    issuer = idClaims.iss;
    const wanted = [config.usernameClaim, config.groupsClaim];
    const endpoint = client.serverMetadata().userinfo_endpoint;
    if (endpoint && wanted.some((claim) => !(claim in claims))) {
      const info = await oidc.fetchUserInfo(client, tokens.access_token, idClaims.sub);
      claims = { ...info, ...claims };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The reason is logged for the operator, never the codes or tokens themselves.
    const { message, code, cause } = error as Error & { code?: string; cause?: { message?: unknown } };
    const detail = typeof cause?.message === 'string' ? cause.message : undefined;
    ctx.log.warn({ reason: message, detail, code }, 'sign-on refused');
    fail('sso_failed');
  }
  if (config.allowedGroups.length > 0) {
    const groups = groupsOf(claims[config.groupsClaim]);
    if (!groups.some((group) => config.allowedGroups.includes(group))) fail('sso_group_denied');
  }
  return { issuer, subject: String(claims.sub), claims };
}
