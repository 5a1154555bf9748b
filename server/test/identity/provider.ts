import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ClientMetadata } from 'oidc-provider';

/**
 * A real OpenID provider (`oidc-provider`) for the tests, on 127.0.0.1, port 0. Its dev login page
 * accepts any login name: `accounts` gives that name's claims (groups, preferred_username …).
 *
 * It sits behind a pass-through front (the issuer URL is the front's), which can replace the ID token
 * of the next token response with another genuine one — issued by this provider to another client (a
 * wrong audience), or by another provider (a wrong issuer) — to show the relying party refuses them.
 * Nothing else is changed: discovery, keys, the login, codes and signatures are the provider's own.
 */
export interface TestProvider {
  issuer: string;
  /** Where it answers (the issuer's address, except for an impostor). */
  url: string;
  accounts: Map<string, Record<string, unknown>>;
  start(clients: ClientMetadata[]): Promise<void>;
  swapNextIdToken(idToken: string): void;
  close(): Promise<void>;
}

const listen = (server: http.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

/**
 * `impersonate`: claim another provider's issuer name (an impostor, with its own signing key) — its
 * ID tokens then carry the right `iss` but a signature the real provider's keys do not verify.
 */
export async function openProvider(options: { impersonate?: string } = {}): Promise<TestProvider> {
  const front = http.createServer();
  const frontPort = await listen(front);
  const issuer = options.impersonate ?? `http://127.0.0.1:${frontPort}`;
  // A key of its own (oidc-provider's quick-start keys are the same in every instance), under the same
  // key id in every instance: an impostor's token then selects the real key and fails its signature.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'signing-key' };
  const accounts = new Map<string, Record<string, unknown>>();
  let backPort = 0;
  let back: http.Server | undefined;
  let swap: string | undefined;

  front.on('request', (req, res) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: backPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const replace = swap !== undefined && req.method === 'POST' && req.url === '/token';
        if (!replace) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
          body.id_token = swap;
          swap = undefined;
          const text = JSON.stringify(body);
          res.writeHead(answer.statusCode ?? 502, {
            ...answer.headers,
            'content-length': String(Buffer.byteLength(text)),
          });
          res.end(text);
        });
      },
    );
    req.pipe(upstream);
  });

  return {
    issuer,
    url: `http://127.0.0.1:${frontPort}`,
    accounts,
    async start(clients) {
      const provider = new Provider(issuer, {
        clients,
        jwks: { keys: [jwk] },
        findAccount: async (_ctx, id) => ({
          accountId: id,
          claims: async () => ({ sub: id, ...accounts.get(id) }),
        }),
        claims: {
          openid: ['sub'],
          profile: ['preferred_username', 'name'],
          email: ['email', 'email_verified'],
          groups: ['groups'],
        },
        scopes: ['openid', 'profile', 'email', 'groups'],
        // The profile claims go into the ID token too, as Keycloak and Authentik put them.
        conformIdTokenClaims: false,
        pkce: { required: () => true },
        features: { devInteractions: { enabled: true } },
        cookies: { keys: ['parley-test-provider'] },
        // First-party: consent is given already, so the dev pages show the login form only.
        loadExistingGrant: async (ctx) => {
          const accountId = ctx.oidc.session?.accountId;
          const clientId = ctx.oidc.client?.clientId;
          if (!accountId || !clientId) return undefined;
          const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
          grant.addOIDCScope('openid profile email groups');
          grant.addOIDCClaims(['preferred_username', 'name', 'email', 'email_verified', 'groups']);
          await grant.save();
          return grant;
        },
      });
      back = http.createServer(provider.callback());
      backPort = await listen(back);
    },
    swapNextIdToken(idToken) {
      swap = idToken;
    },
    async close() {
      front.closeAllConnections();
      back?.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => front.close(resolve)),
        back ? new Promise((resolve) => back?.close(resolve)) : undefined,
      ]);
    },
  };
}

/**
 * A browser, as far as the sign-on needs one: a cookie jar per origin, redirects followed by hand
 * (so each hop can be seen), and the provider's login form filled in when it appears.
 */
export class Browser {
  readonly jar = new Map<string, Map<string, string>>();

  cookieHeader(url: URL): string {
    return [...(this.jar.get(url.host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(new URL(origin).host)?.get(name);
  }

  async fetch(input: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(input);
    const headers = new Headers(init.headers);
    const cookies = this.cookieHeader(url);
    if (cookies) headers.set('cookie', cookies);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    const jar = this.jar.get(url.host) ?? new Map<string, string>();
    this.jar.set(url.host, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /expires=thu, 01 jan 1970/i.test(a),
      );
      if (!name) continue;
      if (expired || value.join('=') === '') jar.delete(name.trim());
      else jar.set(name.trim(), value.join('='));
    }
    return response;
  }

  /**
   * Follows redirects from `url`, logging in as `login` if the provider asks, until a redirect leaves
   * for `stopAt` (the relying party's callback, or any address with a fragment): that address is returned.
   */
  async browse(
    url: string,
    options: { login: string; stopAt?: (url: string) => boolean },
  ): Promise<{ location: string; status: number; body: string }> {
    let next = url;
    let init: RequestInit = {};
    for (let hop = 0; hop < 20; hop++) {
      const response = await this.fetch(next, init);
      init = {};
      const location = response.headers.get('location');
      if (location) {
        const target = new URL(location, next).href;
        await response.arrayBuffer();
        if (options.stopAt?.(target) || target.includes('#'))
          return { location: target, status: response.status, body: '' };
        next = target;
        continue;
      }
      const body = await response.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*>[\s\S]*?name="prompt" value="login"/.exec(body);
      if (response.status === 200 && form?.[1]) {
        next = new URL(form[1], next).href;
        init = {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ prompt: 'login', login: options.login, password: 'any' }).toString(),
        };
        continue;
      }
      return { location: next, status: response.status, body };
    }
    throw new Error('too many redirects');
  }
}
