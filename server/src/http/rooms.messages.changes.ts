import { EditBody, MessageParams, MessageReply } from '@parley/protocol';
import { deleteMessage, editMessage } from '../domain/messages/change.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

/** One message: its author edits it; the author, the room's owner or an admin deletes it (a tombstone). */
export function messageChangeRoutes(app: App, { ctx }: Deps): void {
  const tags = ['messages'];
  const authed = { onRequest: requireAuth(ctx) };
  const ref = (params: { id: string; seq: number }) => ({ roomId: params.id, seq: params.seq });

  app.patch(
    '/api/chat/rooms/:id/messages/:seq',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: MessageParams,
        body: EditBody,
        response: { 200: MessageReply },
      },
    },
    async (req) => ({ message: await editMessage(ctx, authOf(req), ref(req.params), req.body.text) }),
  );

  app.delete(
    '/api/chat/rooms/:id/messages/:seq',
    { ...authed, schema: { tags, security: bearer, params: MessageParams, response: { 200: MessageReply } } },
    async (req) => ({ message: await deleteMessage(ctx, authOf(req), ref(req.params)) }),
  );
}
