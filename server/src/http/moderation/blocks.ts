import { BlocksReply, UserIdParams } from '@parley/protocol';
import { z } from 'zod';
import { block, blockedBy, unblock } from '../../domain/moderation/blocks.js';
import { authOf, bearer, requireAuth } from '../auth.js';
import type { App, Deps } from '../types.js';

export function blockRoutes(app: App, { ctx }: Deps): void {
  const tags = ['moderation'];
  const authed = { onRequest: requireAuth(ctx) };
  const none = { 204: z.null() };

  app.get(
    '/api/me/blocks',
    { ...authed, schema: { tags, security: bearer, response: { 200: BlocksReply } } },
    async (req) => ({ users: await blockedBy(ctx, authOf(req)) }),
  );

  app.put(
    '/api/me/blocks/:userId',
    { ...authed, schema: { tags, security: bearer, params: UserIdParams, response: none } },
    async (req, reply) => {
      await block(ctx, authOf(req), req.params.userId);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/me/blocks/:userId',
    { ...authed, schema: { tags, security: bearer, params: UserIdParams, response: none } },
    async (req, reply) => {
      await unblock(ctx, authOf(req), req.params.userId);
      return reply.status(204).send(null);
    },
  );
}
