import { SessionParams, SessionsEndedReply, SessionsReply } from '@parley/protocol';
import { z } from 'zod';
import { endOtherSessions, endSession, listSessions } from '../domain/accounts/session-list.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

/** Where the person is signed in; end one, or every other. */
export function accountSessionRoutes(app: App, { ctx }: Deps): void {
  const tags = ['accounts'];
  const authed = { onRequest: requireAuth(ctx) };

  app.get(
    '/api/me/sessions',
    { ...authed, schema: { tags, security: bearer, response: { 200: SessionsReply } } },
    async (req) => ({ sessions: await listSessions(ctx, authOf(req)) }),
  );

  app.delete(
    '/api/me/sessions/:id',
    { ...authed, schema: { tags, security: bearer, params: SessionParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await endSession(ctx, authOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/me/sessions',
    { ...authed, schema: { tags, security: bearer, response: { 200: SessionsEndedReply } } },
    async (req) => ({ ended: await endOtherSessions(ctx, authOf(req)) }),
  );
}
