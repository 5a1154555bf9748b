import {
  DeliveredBody,
  ReadsQuery,
  ReadsReply,
  RoomIdParams,
  RoomNotificationsBody,
  RoomNotificationsReply,
} from '@parley/protocol';
import { z } from 'zod';
import { setNotifications } from '../domain/attention/levels.js';
import { markDelivered, readPositions } from '../domain/attention/receipts.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

/** A member's attention in one room: everyone's read positions, delivery reports, notification level. */
export function roomAttentionRoutes(app: App, { ctx }: Deps): void {
  const tags = ['attention'];
  const authed = { onRequest: requireAuth(ctx) };

  app.get(
    '/api/chat/rooms/:id/reads',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: RoomIdParams,
        querystring: ReadsQuery,
        response: { 200: ReadsReply },
      },
    },
    async (req) => readPositions(ctx, authOf(req), req.params.id, req.query),
  );

  app.post(
    '/api/chat/rooms/:id/delivered',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: RoomIdParams,
        body: DeliveredBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await markDelivered(ctx, authOf(req), req.params.id, req.body.seq);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/chat/rooms/:id/notifications',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: RoomIdParams,
        body: RoomNotificationsBody,
        response: { 200: RoomNotificationsReply },
      },
    },
    async (req) => ({ notifications: await setNotifications(ctx, authOf(req), req.params.id, req.body) }),
  );
}
