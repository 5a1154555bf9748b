import {
  ForgotPasswordBody,
  PasswordChangeBody,
  ResetCheckReply,
  ResetPasswordBody,
  ResetTokenBody,
} from '@parley/protocol';
import { z } from 'zod';
import { changePassword } from '../domain/accounts/password-change.js';
import { checkResetLink, forgotPassword, resetPassword } from '../domain/accounts/resets.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

/** The person's password: change it knowing it, or reset it through a one-time link. */
export function accountPasswordRoutes(app: App, { ctx }: Deps): void {
  const tags = ['accounts'];

  app.post(
    '/api/me/password',
    {
      onRequest: requireAuth(ctx),
      schema: { tags, security: bearer, body: PasswordChangeBody, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await changePassword(ctx, authOf(req), req.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/password/forgot',
    { schema: { tags, body: ForgotPasswordBody, response: { 202: z.null() } } },
    async (req, reply) => {
      await forgotPassword(ctx, { username: req.body.username, ip: req.ip });
      return reply.status(202).send(null);
    },
  );

  // The token travels in bodies, never in a URL a log or a Referer header would keep.
  app.post(
    '/api/password/reset/check',
    { schema: { tags, body: ResetTokenBody, response: { 200: ResetCheckReply } } },
    async (req) => checkResetLink(ctx, req.body.token),
  );

  app.post(
    '/api/password/reset',
    { schema: { tags, body: ResetPasswordBody, response: { 204: z.null() } } },
    async (req, reply) => {
      await resetPassword(ctx, req.body);
      return reply.status(204).send(null);
    },
  );
}
