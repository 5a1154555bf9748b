import { SearchQuery, SearchReply } from '@parley/protocol';
import { search } from '../domain/search/search.js';
import { authOf, bearer, requireAuth } from './auth.js';
import { type App, builtReply, type Deps } from './types.js';

export function searchRoutes(app: App, { ctx }: Deps): void {
  app.get(
    '/api/search',
    {
      onRequest: requireAuth(ctx),
      ...builtReply,
      schema: {
        tags: ['search'],
        security: bearer,
        querystring: SearchQuery,
        response: { 200: SearchReply },
      },
    },
    async (req) => search(ctx, authOf(req), req.query),
  );
}
