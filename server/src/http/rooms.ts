import {
  CreateRoomBody,
  RoomDetailsReply,
  RoomIdParams,
  RoomReply,
  RoomsQuery,
  RoomsReply,
  UpdateRoomBody,
} from '@parley/protocol';
import { createRoom, listRooms, roomDetails, updateRoom } from '../domain/rooms/rooms.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

export function roomRoutes(app: App, { ctx }: Deps): void {
  const tags = ['rooms'];
  const authed = { onRequest: requireAuth(ctx) };

  app.get(
    '/api/chat/rooms',
    { ...authed, schema: { tags, security: bearer, querystring: RoomsQuery, response: { 200: RoomsReply } } },
    async (req) => listRooms(ctx, authOf(req), req.query),
  );

  app.post(
    '/api/chat/rooms',
    { ...authed, schema: { tags, security: bearer, body: CreateRoomBody, response: { 201: RoomReply } } },
    async (req, reply) => reply.status(201).send({ room: await createRoom(ctx, authOf(req), req.body) }),
  );

  app.get(
    '/api/chat/rooms/:id',
    {
      ...authed,
      schema: { tags, security: bearer, params: RoomIdParams, response: { 200: RoomDetailsReply } },
    },
    async (req) => roomDetails(ctx, authOf(req), req.params.id),
  );

  app.patch(
    '/api/chat/rooms/:id',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: RoomIdParams,
        body: UpdateRoomBody,
        response: { 200: RoomReply },
      },
    },
    async (req) => ({ room: await updateRoom(ctx, authOf(req), req.params.id, req.body) }),
  );
}
