import { DmBody, RoomReply } from '@parley/protocol';
import { openDm } from '../domain/rooms/dms.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

export function dmRoutes(app: App, { ctx }: Deps): void {
  app.post(
    '/api/dms',
    {
      onRequest: requireAuth(ctx),
      schema: { tags: ['rooms'], security: bearer, body: DmBody, response: { 200: RoomReply } },
    },
    async (req) => ({ room: await openDm(ctx, authOf(req), req.body.userId) }),
  );
}
