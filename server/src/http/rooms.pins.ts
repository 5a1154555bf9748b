import { MessageParams, MessageReply, PinsReply, RoomIdParams } from '@parley/protocol';
import { pin } from '../domain/messages/change.js';
import { pins } from '../domain/messages/history.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

/** Members pin (PUT) and unpin (DELETE) messages; the room's pinned list. */
export function pinRoutes(app: App, { ctx }: Deps): void {
  const tags = ['messages'];
  const onRequest = requireAuth(ctx);
  for (const [method, on] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/api/chat/rooms/:id/messages/:seq/pin',
      onRequest,
      schema: { tags, security: bearer, params: MessageParams, response: { 200: MessageReply } },
      handler: async (req) => ({
        message: await pin(ctx, authOf(req), { roomId: req.params.id, seq: req.params.seq }, on),
      }),
    });
  }

  app.get(
    '/api/chat/rooms/:id/pins',
    { onRequest, schema: { tags, security: bearer, params: RoomIdParams, response: { 200: PinsReply } } },
    async (req) => pins(ctx, authOf(req), req.params.id),
  );
}
