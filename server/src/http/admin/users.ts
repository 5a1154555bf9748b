import {
  AdminUserParams,
  AdminUserPatch,
  AdminUserReply,
  AdminUsersQuery,
  AdminUsersReply,
  DeleteUserQuery,
} from '@parley/protocol';
import { z } from 'zod';
import { deleteUser } from '../../domain/admin/delete-user.js';
import { adminUser, listUsers, updateUser } from '../../domain/admin/users.js';
import { authOf, bearer } from '../auth.js';
import type { App, Deps } from '../types.js';
import { adminOnly } from './guard.js';

export function adminUserRoutes(app: App, { ctx }: Deps): void {
  const tags = ['admin'];
  const admin = { onRequest: adminOnly(ctx) };

  app.get(
    '/api/admin/users',
    {
      ...admin,
      schema: { tags, security: bearer, querystring: AdminUsersQuery, response: { 200: AdminUsersReply } },
    },
    async (req) => listUsers(ctx, authOf(req), req.query),
  );

  app.get(
    '/api/admin/users/:id',
    {
      ...admin,
      schema: { tags, security: bearer, params: AdminUserParams, response: { 200: AdminUserReply } },
    },
    async (req) => ({ user: await adminUser(ctx, req.params.id) }),
  );

  app.patch(
    '/api/admin/users/:id',
    {
      ...admin,
      schema: {
        tags,
        security: bearer,
        params: AdminUserParams,
        body: AdminUserPatch,
        response: { 200: AdminUserReply },
      },
    },
    async (req) => ({ user: await updateUser(ctx, authOf(req), req.params.id, req.body) }),
  );

  app.delete(
    '/api/admin/users/:id',
    {
      ...admin,
      schema: {
        tags,
        security: bearer,
        params: AdminUserParams,
        querystring: DeleteUserQuery,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await deleteUser(ctx, authOf(req), req.params.id, { messages: req.query.messages ?? 'keep' });
      return reply.status(204).send(null);
    },
  );
}
