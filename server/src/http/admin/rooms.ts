import {
  AdminRoomPatch,
  AdminRoomReply,
  AdminRoomsQuery,
  AdminRoomsReply,
  RoomIdParams,
} from '@parley/protocol';
import { z } from 'zod';
import { adminArchive, deleteRoom, listAllRooms } from '../../domain/admin/rooms.js';
import { authOf, bearer } from '../auth.js';
import type { App, Deps } from '../types.js';
import { adminOnly } from './guard.js';

export function adminRoomRoutes(app: App, { ctx }: Deps): void {
  const tags = ['admin'];
  const admin = { onRequest: adminOnly(ctx) };

  app.get(
    '/api/admin/rooms',
    {
      ...admin,
      schema: { tags, security: bearer, querystring: AdminRoomsQuery, response: { 200: AdminRoomsReply } },
    },
    async (req) => listAllRooms(ctx, authOf(req), req.query),
  );

  app.patch(
    '/api/admin/rooms/:id',
    {
      ...admin,
      schema: {
        tags,
        security: bearer,
        params: RoomIdParams,
        body: AdminRoomPatch,
        response: { 200: AdminRoomReply },
      },
    },
    async (req) => ({ room: await adminArchive(ctx, authOf(req), req.params.id, req.body.archived) }),
  );

  app.delete(
    '/api/admin/rooms/:id',
    { ...admin, schema: { tags, security: bearer, params: RoomIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await deleteRoom(ctx, authOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
