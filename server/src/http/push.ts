import {
  NotificationPrefsBody,
  NotificationPrefsReply,
  PushKeyReply,
  PushSubscriptionBody,
  PushUnsubscribeBody,
} from '@parley/protocol';
import { z } from 'zod';
import { prefsOf, updatePrefs } from '../domain/attention/prefs.js';
import { subscribe, unsubscribe } from '../domain/attention/push/subscriptions.js';
import type { Attention } from '../domain/attention/index.js';
import { fail } from '../errors.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { App, Deps } from './types.js';

/** Web Push subscriptions and a person's own notification preferences. */
export function pushRoutes(app: App, { ctx }: Deps, attention: Attention): void {
  const tags = ['attention'];
  const authed = { onRequest: requireAuth(ctx) };
  const pushOn = () => attention.push ?? fail('push_unavailable');

  app.get('/api/push/key', { schema: { tags, response: { 200: PushKeyReply } } }, async () => ({
    key: pushOn().keys.publicKey,
  }));

  app.post(
    '/api/push/subscriptions',
    {
      ...authed,
      schema: { tags, security: bearer, body: PushSubscriptionBody, response: { 204: z.null() } },
    },
    async (req, reply) => {
      pushOn();
      await subscribe(ctx, authOf(req), req.body);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/push/subscriptions',
    { ...authed, schema: { tags, security: bearer, body: PushUnsubscribeBody, response: { 204: z.null() } } },
    async (req, reply) => {
      await unsubscribe(ctx, authOf(req), req.body.endpoint);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/notifications',
    { ...authed, schema: { tags, security: bearer, response: { 200: NotificationPrefsReply } } },
    async (req) => ({ prefs: await prefsOf(ctx, authOf(req).user.id) }),
  );

  app.patch(
    '/api/me/notifications',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        body: NotificationPrefsBody,
        response: { 200: NotificationPrefsReply },
      },
    },
    async (req) => ({ prefs: await updatePrefs(ctx, authOf(req), req.body) }),
  );
}
