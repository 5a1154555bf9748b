import {
  BanBody,
  BansReply,
  MemberReply,
  MemberRoleBody,
  MuteBody,
  RoomIdParams,
  RoomMemberParams,
} from '@parley/protocol';
import { z } from 'zod';
import { archiveRoom } from '../../domain/moderation/archive.js';
import { banMember, listBans, unbanMember } from '../../domain/moderation/bans.js';
import { muteMember, unmuteMember } from '../../domain/moderation/mutes.js';
import { setMemberRole } from '../../domain/moderation/roles.js';
import { authOf, bearer, requireAuth } from '../auth.js';
import type { App, Deps } from '../types.js';

/** Room moderation: roles, bans, mutes, archiving. The domain decides who may do what. */
export function roomModerationRoutes(app: App, { ctx }: Deps): void {
  const tags = ['moderation'];
  const authed = { onRequest: requireAuth(ctx) };
  const none = { 204: z.null() };

  app.patch(
    '/api/chat/rooms/:id/members/:userId',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: RoomMemberParams,
        body: MemberRoleBody,
        response: { 200: MemberReply },
      },
    },
    async (req) => ({
      member: await setMemberRole(ctx, authOf(req), req.params.id, req.params.userId, req.body),
    }),
  );

  app.get(
    '/api/chat/rooms/:id/bans',
    { ...authed, schema: { tags, security: bearer, params: RoomIdParams, response: { 200: BansReply } } },
    async (req) => ({ bans: await listBans(ctx, authOf(req), req.params.id) }),
  );

  app.post(
    '/api/chat/rooms/:id/bans',
    { ...authed, schema: { tags, security: bearer, params: RoomIdParams, body: BanBody, response: none } },
    async (req, reply) => {
      await banMember(ctx, authOf(req), req.params.id, req.body);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/chat/rooms/:id/bans/:userId',
    { ...authed, schema: { tags, security: bearer, params: RoomMemberParams, response: none } },
    async (req, reply) => {
      await unbanMember(ctx, authOf(req), req.params.id, req.params.userId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/chat/rooms/:id/mutes',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        params: RoomIdParams,
        body: MuteBody,
        response: { 200: MemberReply },
      },
    },
    async (req) => ({ member: await muteMember(ctx, authOf(req), req.params.id, req.body) }),
  );

  app.delete(
    '/api/chat/rooms/:id/mutes/:userId',
    {
      ...authed,
      schema: { tags, security: bearer, params: RoomMemberParams, response: { 200: MemberReply } },
    },
    async (req) => ({ member: await unmuteMember(ctx, authOf(req), req.params.id, req.params.userId) }),
  );

  for (const [method, archived] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/api/chat/rooms/:id/archive',
      { ...authed, schema: { tags, security: bearer, params: RoomIdParams, response: none } },
      async (req, reply) => {
        await archiveRoom(ctx, authOf(req), req.params.id, archived);
        return reply.status(204).send(null);
      },
    );
  }
}
