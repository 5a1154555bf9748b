import { UserSearchQuery, UsersReply } from '@parley/protocol';
import { searchUsers } from '../domain/accounts/users.js';
import { bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

export function userRoutes(app: App, { ctx }: Deps): void {
  app.get(
    '/api/users',
    {
      onRequest: requireAuth(ctx),
      schema: {
        tags: ['accounts'],
        security: bearer,
        querystring: UserSearchQuery,
        response: { 200: UsersReply },
      },
    },
    async (req) => ({ users: await searchUsers(ctx, req.query.q) }),
  );
}
