import { DeleteMeBody } from '@parley/protocol';
import { z } from 'zod';
import { deleteOwnAccount } from '../domain/accounts/deletion.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

export function accountDeleteRoutes(app: App, { ctx }: Deps): void {
  app.delete(
    '/api/me',
    {
      onRequest: requireAuth(ctx),
      schema: { tags: ['accounts'], security: bearer, body: DeleteMeBody, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await deleteOwnAccount(ctx, authOf(req), req.body);
      return reply.status(204).send(null);
    },
  );
}
