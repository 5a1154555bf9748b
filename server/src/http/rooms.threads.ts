import { MessageParams, ThreadQuery, ThreadReply } from '@parley/protocol';
import { thread } from '../domain/messages/history.js';
import { authOf, bearer, requireAuth } from './auth.js';
import { type App, builtReply, type Deps } from './types.js';

/** A thread: its root and its replies (send one with `message:send {…, threadSeq}` or the REST send). */
export function threadRoutes(app: App, { ctx }: Deps): void {
  app.get(
    '/api/chat/rooms/:id/messages/:seq/thread',
    {
      onRequest: requireAuth(ctx),
      ...builtReply,
      schema: {
        tags: ['messages'],
        security: bearer,
        params: MessageParams,
        querystring: ThreadQuery,
        response: { 200: ThreadReply },
      },
    },
    async (req) => thread(ctx, authOf(req), req.params.id, req.params.seq, req.query),
  );
}
