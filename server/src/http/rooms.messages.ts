import { HistoryQuery, HistoryReply, MessageReply, ReadBody, RoomIdParams, SendBody } from '@parley/protocol';
import { z } from 'zod';
import { clearHistory } from '../domain/messages/clear.js';
import { history } from '../domain/messages/history.js';
import { markRead } from '../domain/messages/reads.js';
import { sendMessage } from '../domain/messages/send.js';
import { authOf, bearer, requireAuth } from './auth.js';
import { type App, builtReply, type Deps } from './types.js';

export function roomMessageRoutes(app: App, { ctx }: Deps): void {
  const tags = ['messages'];
  const authed = { onRequest: requireAuth(ctx) };

  app.get(
    '/api/chat/rooms/:id/messages',
    {
      ...authed,
      ...builtReply,
      schema: {
        tags,
        security: bearer,
        params: RoomIdParams,
        querystring: HistoryQuery,
        response: { 200: HistoryReply },
      },
    },
    async (req) => history(ctx, authOf(req), req.params.id, req.query),
  );

  app.post(
    '/api/chat/rooms/:id/messages',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: RoomIdParams,
        body: SendBody,
        response: { 201: MessageReply },
      },
    },
    async (req, reply) => {
      const message = await sendMessage(ctx, authOf(req), { roomId: req.params.id, ...req.body });
      return reply.status(201).send({ message });
    },
  );

  app.delete(
    '/api/chat/rooms/:id/messages',
    { ...authed, schema: { tags, security: bearer, params: RoomIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await clearHistory(ctx, authOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/chat/rooms/:id/read',
    {
      ...authed,
      schema: { tags, security: bearer, params: RoomIdParams, body: ReadBody, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await markRead(ctx, authOf(req), req.params.id, req.body.seq);
      return reply.status(204).send(null);
    },
  );
}
