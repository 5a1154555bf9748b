import { AdminUserParams, ResetLinkReply } from '@parley/protocol';
import { adminResetLink } from '../../domain/accounts/resets.js';
import { authOf, bearer } from '../auth.js';
import type { App, Deps } from '../types.js';
import { adminOnly } from './guard.js';

/** A one-time password reset link for an account, for the admin to hand over. */
export function adminResetLinkRoutes(app: App, { ctx }: Deps): void {
  app.post(
    '/api/admin/users/:id/password-reset',
    {
      onRequest: adminOnly(ctx),
      schema: {
        tags: ['admin'],
        security: bearer,
        params: AdminUserParams,
        response: { 201: ResetLinkReply },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await adminResetLink(ctx, authOf(req), req.params.id, `${req.protocol}://${req.host}`)),
  );
}
