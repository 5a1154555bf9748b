import { MessageReply, ReactionParams } from '@parley/protocol';
import { react } from '../domain/messages/change.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

/** The caller's reaction with one emoji, on (PUT) or off (DELETE); both idempotent. */
export function reactionRoutes(app: App, { ctx }: Deps): void {
  const schema = {
    tags: ['messages'],
    security: bearer,
    params: ReactionParams,
    response: { 200: MessageReply },
  };
  for (const [method, on] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/api/chat/rooms/:id/messages/:seq/reactions/:emoji',
      onRequest: requireAuth(ctx),
      schema,
      handler: async (req) => {
        const { id, seq, emoji } = req.params;
        return { message: await react(ctx, authOf(req), { roomId: id, seq }, emoji, on) };
      },
    });
  }
}
