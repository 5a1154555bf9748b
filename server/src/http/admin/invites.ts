import { InviteBody, InviteParams, InviteReply, InvitesReply, PageQuery } from '@parley/protocol';
import { z } from 'zod';
import { createInvite, listInvites, revokeInvite } from '../../domain/admin/invites.js';
import { authOf, bearer } from '../auth.js';
import type { App, Deps } from '../types.js';
import { adminOnly } from './guard.js';

export function adminInviteRoutes(app: App, { ctx }: Deps): void {
  const tags = ['admin'];
  const admin = { onRequest: adminOnly(ctx) };

  app.get(
    '/api/admin/invites',
    { ...admin, schema: { tags, security: bearer, querystring: PageQuery, response: { 200: InvitesReply } } },
    async (req) => listInvites(ctx, authOf(req), req.query),
  );

  app.post(
    '/api/admin/invites',
    { ...admin, schema: { tags, security: bearer, body: InviteBody, response: { 201: InviteReply } } },
    async (req, reply) => reply.status(201).send({ invite: await createInvite(ctx, authOf(req), req.body) }),
  );

  app.delete(
    '/api/admin/invites/:id',
    { ...admin, schema: { tags, security: bearer, params: InviteParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await revokeInvite(ctx, authOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
