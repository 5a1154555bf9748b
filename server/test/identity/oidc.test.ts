import { createHash, randomBytes } from 'node:crypto';
import type { AuthReply, LoginReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, strongPassword, type TestServer, uniqueName } from '../harness.js';
import { Browser, openProvider, type TestProvider } from './provider.js';

const secret = 'parley-test-client-secret-0123456789';
const env = (idp: TestProvider, extra: Record<string, string> = {}) => ({
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID: 'parley',
  OIDC_CLIENT_SECRET: secret,
  OIDC_SCOPES: 'openid profile email groups',
  OIDC_NAME: 'Test IdP',
  ...extra,
});
const callbackOf = (server: TestServer) => `${server.url}/api/auth/oidc/callback`;
const otherApp = {
  id: 'other-app',
  secret: 'other-app-secret-0123456789',
  redirect: 'http://127.0.0.1:9/cb',
};

let idp: TestProvider;
let otherIdp: TestProvider;
let impostor: TestProvider;
let server: TestServer;
let grouped: TestServer;
let misdirected: TestServer;
let admin: AuthReply;

beforeAll(async () => {
  [idp, otherIdp] = await Promise.all([openProvider(), openProvider()]);
  impostor = await openProvider({ impersonate: idp.issuer });
  server = await startServer({ env: env(idp) });
  grouped = await startServer({ env: env(idp, { OIDC_ALLOWED_GROUPS: 'chat, staff' }) });
  misdirected = await startServer({ env: env(idp) });
  const parley = {
    client_id: 'parley',
    client_secret: secret,
    redirect_uris: [callbackOf(server), callbackOf(grouped)],
    token_endpoint_auth_method: 'client_secret_post' as const,
  };
  await idp.start([
    parley,
    {
      client_id: otherApp.id,
      client_secret: otherApp.secret,
      redirect_uris: [otherApp.redirect],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ]);
  await otherIdp.start([parley]);
  await impostor.start([parley]);
  admin = await register(server.url, uniqueName('owner'));
});
afterAll(async () => {
  await Promise.all([server?.close(), grouped?.close(), misdirected?.close()]);
  await Promise.all([idp?.close(), otherIdp?.close(), impostor?.close()]);
});

async function counts(target: TestServer) {
  const db = target.parley.ctx.store.db;
  const users = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const links = await db
    .selectFrom('user_identities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { users: Number(users.n), links: Number(links.n) };
}

/** Starts a sign-on at Parley and goes through the provider's login up to the redirect back to Parley. */
async function toCallback(
  target: TestServer,
  browser: Browser,
  login: string,
  start = '/api/auth/oidc/start',
  token?: string,
) {
  const started = await browser.fetch(`${target.url}${start}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ returnTo: '/' }),
  });
  expect(started.status).toBe(200);
  const { url } = (await started.json()) as { url: string };
  const authorization = new URL(url);
  const back = await browser.browse(url, { login, stopAt: (u) => u.startsWith(callbackOf(target)) });
  return { authorization, callback: back.location };
}

/** Opens the callback in the browser: where Parley sends it (the client's page, with the outcome). */
async function openCallback(browser: Browser, callback: string): Promise<string> {
  const response = await browser.fetch(callback);
  expect(response.status).toBe(303);
  return response.headers.get('location') ?? '';
}

const finish = (target: TestServer, browser: Browser) =>
  browser.fetch(`${target.url}/api/auth/oidc/finish`, { method: 'POST' }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as LoginReply & { code?: string },
  }));

async function signOn(target: TestServer, login: string, browser = new Browser()) {
  const { callback } = await toCallback(target, browser, login);
  const location = await openCallback(browser, callback);
  return { location, reply: location.endsWith('#/signin/sso') ? await finish(target, browser) : undefined };
}

/** A genuine ID token from `provider` for `client`, carrying the nonce of Parley's request. */
async function idTokenFor(
  provider: TestProvider,
  client: { id: string; secret: string; redirect: string },
  nonce: string,
  login: string,
) {
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(`${provider.url}/auth`);
  for (const [key, value] of Object.entries({
    client_id: client.id,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: client.redirect,
    nonce,
    state: 'independent',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }))
    auth.searchParams.set(key, value);
  const { location } = await new Browser().browse(auth.href, {
    login,
    stopAt: (u) => u.startsWith(client.redirect),
  });
  const code = new URL(location).searchParams.get('code') ?? '';
  const response = await fetch(`${provider.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirect,
      code_verifier: verifier,
      client_id: client.id,
      client_secret: client.secret,
    }),
  });
  const body = (await response.json()) as { id_token?: string };
  if (!body.id_token) throw new Error(`no ID token: ${JSON.stringify(body)}`);
  return body.id_token;
}

describe('single sign-on (OpenID Connect against oidc-provider)', () => {
  it('tells the sign-in screen about the provider', async () => {
    const config = await api(server.url, 'GET', '/api/config');
    expect(config.body).toMatchObject({ signIn: { oidc: { name: 'Test IdP' }, passwordLogin: true } });
  });

  it('creates the account on the first sign-on and signs the same identity in to it afterwards', async () => {
    const sub = uniqueName('dana');
    idp.accounts.set(sub, { preferred_username: 'Dana Scully', email: 'dana@example.test' });
    const before = await counts(server);
    const first = await signOn(server, sub);
    expect(first.location).toBe('/#/signin/sso');
    expect(first.reply?.status).toBe(200);
    const session = first.reply?.body as AuthReply;
    expect(session.user.username).toBe('Dana-Scully');
    expect(session.user.admin).toBe(false);
    expect((await api(server.url, 'GET', '/api/me', { token: session.token })).status).toBe(200);
    expect(await counts(server)).toEqual({ users: before.users + 1, links: before.links + 1 });

    const again = await signOn(server, sub);
    expect((again.reply?.body as AuthReply | undefined)?.user.id).toBe(session.user.id);
    expect(await counts(server)).toEqual({ users: before.users + 1, links: before.links + 1 });
  });

  it('de-duplicates the username when preferred_username is taken', async () => {
    const taken = uniqueName('taken');
    await register(server.url, taken);
    const sub = uniqueName('sub');
    idp.accounts.set(sub, { preferred_username: taken });
    const { reply } = await signOn(server, sub);
    expect((reply?.body as AuthReply | undefined)?.user.username).toBe(`${taken}2`);
  });

  it('hands the session over once: the result cookie cannot be spent twice', async () => {
    const sub = uniqueName('once');
    const browser = new Browser();
    const { callback } = await toCallback(server, browser, sub);
    await openCallback(browser, callback);
    const kept = browser.cookie(server.url, 'parley_oidc_result');
    expect(kept).toBeTruthy();
    expect((await finish(server, browser)).status).toBe(200);
    const thief = new Browser();
    thief.jar.set(new URL(server.url).host, new Map([['parley_oidc_result', kept ?? '']]));
    const replay = await finish(server, thief);
    expect(replay.body).toMatchObject({ code: 'sso_failed' });
  });

  it('refuses a forged state, a callback without the flow cookie, and a replayed callback', async () => {
    const before = await counts(server);
    const sub = uniqueName('forged');
    const browser = new Browser();
    const { callback } = await toCallback(server, browser, sub);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-value');
    expect(await openCallback(browser, forged.href)).toBe('/#/signin/sso?error=sso_failed');

    // Someone else's callback URL opened in another browser (login CSRF): no flow cookie there.
    const victim = new Browser();
    const other = await toCallback(server, new Browser(), sub);
    expect(await openCallback(victim, other.callback)).toBe('/#/signin/sso?error=sso_failed');

    // The real flow's cookie was spent by the forged attempt: the genuine callback now fails too.
    expect(await openCallback(browser, callback)).toBe('/#/signin/sso?error=sso_failed');
    expect(await counts(server)).toEqual(before);
  });

  it('refuses an ID token issued to another client (wrong audience)', async () => {
    const before = await counts(server);
    const sub = uniqueName('aud');
    const browser = new Browser();
    const { authorization, callback } = await toCallback(server, browser, sub);
    const nonce = authorization.searchParams.get('nonce') ?? '';
    idp.swapNextIdToken(await idTokenFor(idp, otherApp, nonce, sub));
    expect(await openCallback(browser, callback)).toBe('/#/signin/sso?error=sso_failed');
    expect(await counts(server)).toEqual(before);
  });

  it('refuses an ID token from another issuer', async () => {
    const before = await counts(server);
    const sub = uniqueName('iss');
    const browser = new Browser();
    const { authorization, callback } = await toCallback(server, browser, sub);
    const nonce = authorization.searchParams.get('nonce') ?? '';
    const parleyAtOther = { id: 'parley', secret, redirect: callbackOf(server) };
    idp.swapNextIdToken(await idTokenFor(otherIdp, parleyAtOther, nonce, sub));
    expect(await openCallback(browser, callback)).toBe('/#/signin/sso?error=sso_failed');
    expect(await counts(server)).toEqual(before);
  });

  it('refuses an ID token that names the right issuer but is signed with another key', async () => {
    const before = await counts(server);
    const sub = uniqueName('sig');
    const browser = new Browser();
    const { authorization, callback } = await toCallback(server, browser, sub);
    const nonce = authorization.searchParams.get('nonce') ?? '';
    const parleyAtImpostor = { id: 'parley', secret, redirect: callbackOf(server) };
    idp.swapNextIdToken(await idTokenFor(impostor, parleyAtImpostor, nonce, sub));
    expect(await openCallback(browser, callback)).toBe('/#/signin/sso?error=sso_failed');
    expect(await counts(server)).toEqual(before);
  });

  it('never gets a code for a redirect URI the provider does not list', async () => {
    const before = await counts(misdirected);
    const browser = new Browser();
    const started = await browser.fetch(`${misdirected.url}/api/auth/oidc/start`, { method: 'POST' });
    const { url } = (await started.json()) as { url: string };
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(callbackOf(misdirected));
    const outcome = await browser.browse(url, {
      login: uniqueName('lost'),
      stopAt: (u) => u.startsWith(misdirected.url),
    });
    expect(outcome.status).toBe(400);
    expect(outcome.body).toContain('redirect_uri');
    expect(await counts(misdirected)).toEqual(before);
  });

  it('lets in only members of the allowed groups', async () => {
    const before = await counts(grouped);
    const outsider = uniqueName('outsider');
    idp.accounts.set(outsider, { preferred_username: outsider, groups: ['visitors'] });
    const refused = await signOn(grouped, outsider);
    expect(refused.location).toBe('/#/signin/sso?error=sso_group_denied');
    const noGroups = uniqueName('nogroups');
    idp.accounts.set(noGroups, { preferred_username: noGroups });
    expect((await signOn(grouped, noGroups)).location).toBe('/#/signin/sso?error=sso_group_denied');
    expect(await counts(grouped)).toEqual(before);

    const member = uniqueName('member');
    idp.accounts.set(member, { preferred_username: member, groups: ['visitors', 'staff'] });
    const allowed = await signOn(grouped, member);
    expect((allowed.reply?.body as AuthReply | undefined)?.user.username).toBe(member);
  });

  it('links a local account from its settings, and then signs it in; an identity links to one account only', async () => {
    const carol = await register(server.url, uniqueName('carol'));
    const sub = uniqueName('carol-idp');
    const browser = new Browser();
    const { callback } = await toCallback(server, browser, sub, '/api/me/oidc/link', carol.token);
    expect(await openCallback(browser, callback)).toBe('/#/settings/sign-in');
    expect((await api(server.url, 'GET', '/api/me/oidc', { token: carol.token })).body).toEqual({
      provider: 'Test IdP',
      linked: true,
    });
    const signedOn = await signOn(server, sub);
    expect((signedOn.reply?.body as AuthReply | undefined)?.user.id).toBe(carol.user.id);

    const before = await counts(server);
    const dave = await register(server.url, uniqueName('dave'));
    const steal = new Browser();
    const attempt = await toCallback(server, steal, sub, '/api/me/oidc/link', dave.token);
    expect(await openCallback(steal, attempt.callback)).toBe('/#/settings/sign-in?error=identity_taken');
    expect((await api(server.url, 'GET', '/api/me/oidc', { token: dave.token })).body).toMatchObject({
      linked: false,
    });
    expect((await counts(server)).links).toBe(before.links);
    expect((await signOn(server, sub)).reply?.body).toMatchObject({ user: { id: carol.user.id } });
  });

  it('asks for the second factor after the provider when the account has two-factor on', async () => {
    const { reply } = await signOn(server, uniqueName('tfa'));
    const session = reply?.body as AuthReply;
    await api(server.url, 'POST', '/api/me/totp/setup', { token: session.token });
    const row = await server.parley.ctx.store.db
      .selectFrom('user_totp')
      .select('secret')
      .where('user_id', '=', session.user.id)
      .executeTakeFirstOrThrow();
    expect(row.secret).toBeTruthy();
    // Not confirmed yet: it does not stand in the way.
    const sub = await server.parley.ctx.store.db
      .selectFrom('user_identities')
      .select('subject')
      .where('user_id', '=', session.user.id)
      .executeTakeFirstOrThrow();
    expect((await signOn(server, sub.subject)).reply?.body).toHaveProperty('token');
    await server.parley.ctx.store.db
      .updateTable('user_totp')
      .set({ enabled_at: new Date().toISOString() })
      .where('user_id', '=', session.user.id)
      .execute();
    expect((await signOn(server, sub.subject)).reply?.body).toMatchObject({ secondStep: { enrol: false } });
  });

  it('turns password sign-in off only for an admin who can sign on, and then refuses passwords', async () => {
    const refused = await api(server.url, 'PATCH', '/api/admin/settings', {
      token: admin.token,
      body: { passwordLogin: false },
    });
    expect(refused.status).toBe(400);
    const sub = uniqueName('admin-idp');
    const browser = new Browser();
    const { callback } = await toCallback(server, browser, sub, '/api/me/oidc/link', admin.token);
    expect(await openCallback(browser, callback)).toBe('/#/settings/sign-in');
    const off = await api(server.url, 'PATCH', '/api/admin/settings', {
      token: admin.token,
      body: { passwordLogin: false },
    });
    expect(off.status).toBe(200);
    try {
      const login = await api(server.url, 'POST', '/api/login', {
        body: { username: admin.user.username, password: strongPassword },
      });
      expect(login.body).toMatchObject({ code: 'password_login_disabled' });
      expect((await api(server.url, 'GET', '/api/config')).body).toMatchObject({
        signIn: { passwordLogin: false },
      });
      expect((await signOn(server, sub)).reply?.body).toMatchObject({ user: { id: admin.user.id } });
    } finally {
      await api(server.url, 'PATCH', '/api/admin/settings', {
        token: admin.token,
        body: { passwordLogin: true },
      });
    }
  });
});
