import { LoginReply, OidcIdentityReply, OidcStartBody, OidcStartReply } from '@parley/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  flowCookie,
  flowTtlSeconds,
  readFlow,
  safeReturnTo,
  startFlow,
} from '../domain/accounts/oidc/flow.js';
import {
  callback,
  finishSignOn,
  identityStatus,
  resultCookie,
  resultTtlSeconds,
  unlink,
} from '../domain/accounts/oidc/signon.js';
import { AppError } from '../errors.js';
import { authOf, bearer, clientOf, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

const cookiePath = '/api/auth/oidc';

function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** HttpOnly (no script reads it), Lax (it comes back on the provider's top-level redirect), Secure on https. */
function cookie(request: FastifyRequest, name: string, value: string, maxAge: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${name}=${value}; Path=${cookiePath}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** Back to the client's own page, with the outcome in the fragment (which never reaches a server). */
function backToClient(reply: FastifyReply, returnTo: string, page: string, error?: string) {
  const query = error ? `?error=${encodeURIComponent(error)}` : '';
  return reply.redirect(`${safeReturnTo(returnTo)}#/${page}${query}`, 303);
}

/** Single sign-on with an OpenID Connect provider (authorization code + PKCE). */
export function oidcRoutes(app: App, { ctx }: Deps): void {
  const tags = ['accounts'];
  const authed = { onRequest: requireAuth(ctx) };

  app.post(
    '/api/auth/oidc/start',
    {
      schema: {
        tags,
        description:
          'Starts a sign-on: sets the flow cookie and answers the provider URL to send the browser to.',
        body: OidcStartBody.nullish(),
        response: { 200: OidcStartReply },
      },
    },
    async (req, reply) => {
      const flow = await startFlow(ctx, { origin: originOf(req), returnTo: req.body?.returnTo });
      reply.header('set-cookie', cookie(req, flowCookie, flow.cookie, flowTtlSeconds));
      return { url: flow.url };
    },
  );

  // The provider's redirect carries the authorization code and state in the query: this route's
  // requests are not logged, so neither lands in a log file.
  app.get('/api/auth/oidc/callback', { logLevel: 'warn', schema: { hide: true } }, async (req, reply) => {
    const flow = await readFlow(ctx, readCookie(req, flowCookie));
    const spent = cookie(req, flowCookie, '', 0);
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    const page = flow?.linkUserId ? 'settings/sign-in' : 'signin/sso';
    if (!flow) {
      reply.header('set-cookie', spent);
      return backToClient(reply, '/', 'signin/sso', 'sso_failed');
    }
    try {
      const outcome = await callback(ctx, flow, query);
      reply.header(
        'set-cookie',
        outcome.kind === 'signed-in'
          ? [spent, cookie(req, resultCookie, outcome.cookie, resultTtlSeconds)]
          : spent,
      );
      return backToClient(reply, flow.returnTo, page);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      reply.header('set-cookie', spent);
      return backToClient(reply, flow.returnTo, page, error.code);
    }
  });

  app.post(
    '/api/auth/oidc/finish',
    {
      schema: {
        tags,
        description: 'Exchanges the cookie the callback set for a session, or for the second step.',
        response: { 200: LoginReply },
      },
    },
    async (req, reply) => {
      reply.header('set-cookie', cookie(req, resultCookie, '', 0));
      return finishSignOn(ctx, readCookie(req, resultCookie), clientOf(req));
    },
  );

  app.get(
    '/api/me/oidc',
    { ...authed, schema: { tags, security: bearer, response: { 200: OidcIdentityReply } } },
    async (req) => identityStatus(ctx, authOf(req)),
  );

  app.post(
    '/api/me/oidc/link',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        description: 'Like /api/auth/oidc/start, but the identity is linked to this account.',
        body: OidcStartBody.nullish(),
        response: { 200: OidcStartReply },
      },
    },
    async (req, reply) => {
      const auth = authOf(req);
      if (auth.user.guest) throw new AppError('forbidden', 'Guests pick a username before linking sign-on.');
      const flow = await startFlow(ctx, {
        origin: originOf(req),
        returnTo: req.body?.returnTo,
        linkUserId: auth.user.id,
      });
      reply.header('set-cookie', cookie(req, flowCookie, flow.cookie, flowTtlSeconds));
      return { url: flow.url };
    },
  );

  app.delete(
    '/api/me/oidc',
    { ...authed, schema: { tags, security: bearer, response: { 204: z.null() } } },
    async (req, reply) => {
      await unlink(ctx, authOf(req));
      return reply.status(204).send(null);
    },
  );
}
