import {
  AddMemberBody,
  MembersQuery,
  MembersReply,
  RoomIdParams,
  RoomMemberParams,
  RoomReply,
} from '@parley/protocol';
import { z } from 'zod';
import { memberPage } from '../domain/rooms/members.js';
import { addMember, joinRoom, leaveRoom, removeMember } from '../domain/rooms/membership.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

export function roomMemberRoutes(app: App, { ctx }: Deps): void {
  const tags = ['members'];
  const authed = { onRequest: requireAuth(ctx) };
  const none = { 204: z.null() };

  app.get(
    '/api/chat/rooms/:id/members',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: RoomIdParams,
        querystring: MembersQuery,
        response: { 200: MembersReply },
      },
    },
    async (req) => memberPage(ctx, authOf(req), req.params.id, req.query),
  );

  app.post(
    '/api/chat/rooms/:id/join',
    { ...authed, schema: { tags, security: bearer, params: RoomIdParams, response: { 200: RoomReply } } },
    async (req) => ({ room: await joinRoom(ctx, authOf(req), req.params.id) }),
  );

  app.post(
    '/api/chat/rooms/:id/leave',
    { ...authed, schema: { tags, security: bearer, params: RoomIdParams, response: none } },
    async (req, reply) => {
      await leaveRoom(ctx, authOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/chat/rooms/:id/members',
    {
      ...authed,
      schema: { tags, security: bearer, params: RoomIdParams, body: AddMemberBody, response: none },
    },
    async (req, reply) => {
      await addMember(ctx, authOf(req), req.params.id, req.body.userId);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/chat/rooms/:id/members/:userId',
    { ...authed, schema: { tags, security: bearer, params: RoomMemberParams, response: none } },
    async (req, reply) => {
      await removeMember(ctx, authOf(req), req.params.id, req.params.userId);
      return reply.status(204).send(null);
    },
  );
}
