import { EmailVerifyBody, MeReply, ProfilePatch, ProfileReply, UserParams } from '@parley/protocol';
import { z } from 'zod';
import { verifyEmail } from '../domain/accounts/email.js';
import { profileOf, updateProfile } from '../domain/accounts/profile.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

/** The person's own profile, anyone's card, and the email verification link. */
export function accountProfileRoutes(app: App, { ctx }: Deps): void {
  const tags = ['accounts'];
  const authed = { onRequest: requireAuth(ctx) };

  app.patch(
    '/api/me',
    { ...authed, schema: { tags, security: bearer, body: ProfilePatch, response: { 200: MeReply } } },
    async (req) => ({ user: await updateProfile(ctx, authOf(req), req.body) }),
  );

  app.get(
    '/api/users/:id',
    { ...authed, schema: { tags, security: bearer, params: UserParams, response: { 200: ProfileReply } } },
    async (req) => ({ profile: await profileOf(ctx, req.params.id) }),
  );

  app.post(
    '/api/email/verify',
    { schema: { tags, body: EmailVerifyBody, response: { 204: z.null() } } },
    async (req, reply) => {
      await verifyEmail(ctx, req.body.token);
      return reply.status(204).send(null);
    },
  );
}
