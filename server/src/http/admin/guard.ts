import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../../domain/context.js';
import { requireAdmin } from '../../domain/admin/guard.js';
import { authOf, requireAuth } from '../auth.js';

/**
 * The onRequest hook of every admin route: a live session of an admin, checked before the body is
 * even read, so a non-admin gets 403 whatever they send.
 */
export function adminOnly(ctx: Ctx) {
  const authenticate = requireAuth(ctx);
  return async (request: FastifyRequest) => {
    await authenticate(request);
    requireAdmin(authOf(request));
  };
}
