import {
  AuthReply,
  Credentials,
  GuestBody,
  LoginReply,
  MeReply,
  RegisterBody,
  UpgradeBody,
} from '@parley/protocol';
import { z } from 'zod';
import { createGuest, login, register, upgradeGuest } from '../domain/accounts/accounts.js';
import { logout } from '../domain/accounts/sessions.js';
import { authOf, bearer, clientOf, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

export function accountRoutes(app: App, { ctx }: Deps): void {
  const tags = ['accounts'];
  const authed = { onRequest: requireAuth(ctx) };

  app.post(
    '/api/register',
    { schema: { tags, body: RegisterBody, response: { 201: AuthReply } } },
    async (req, reply) => reply.status(201).send(await register(ctx, { ...req.body, ...clientOf(req) })),
  );

  app.post(
    '/api/login',
    { schema: { tags, body: Credentials, response: { 200: LoginReply } } },
    async (req) => login(ctx, { ...req.body, ...clientOf(req) }),
  );

  app.post(
    '/api/guest',
    { schema: { tags, body: GuestBody.nullish(), response: { 201: AuthReply } } },
    async (req, reply) =>
      reply.status(201).send(await createGuest(ctx, { ...(req.body ?? {}), ...clientOf(req) })),
  );

  app.post(
    '/api/me/upgrade',
    { ...authed, schema: { tags, security: bearer, body: UpgradeBody, response: { 200: AuthReply } } },
    async (req) => upgradeGuest(ctx, authOf(req), req.body),
  );

  app.post(
    '/api/logout',
    { ...authed, schema: { tags, security: bearer, response: { 204: z.null() } } },
    async (req, reply) => {
      await logout(ctx, authOf(req));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { ...authed, schema: { tags, security: bearer, response: { 200: MeReply } } },
    async (req) => ({
      user: authOf(req).user,
    }),
  );
}
