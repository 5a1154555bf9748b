import { limits, ServerConfigReply } from '@parley/protocol';
import { canMail } from '../domain/accounts/mailer.js';
import { z } from 'zod';
import { errorBody } from './errors.js';
import type { App, Deps } from './types.js';

export function healthRoutes(app: App, { ctx }: Deps): void {
  const tags = ['operations'];

  app.get(
    '/healthz',
    { schema: { tags, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async () => ({ ok: true as const }),
  );

  // Ready means this node can do its job: the database and the bus both answer.
  app.get('/readyz', { schema: { tags } }, async (_req, reply) => {
    const check = async (probe: () => Promise<void>) => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'down'>((resolve) => {
        timer = setTimeout(resolve, 2000, 'down');
      });
      return Promise.race([probe().then(() => 'ok' as const), timedOut])
        .catch(() => 'down' as const)
        .finally(() => clearTimeout(timer));
    };
    const [reachable, bus] = await Promise.all([check(() => ctx.store.ping()), check(() => ctx.bus.ping())]);
    // Answering reads is not enough: a node whose disk is full or read-only cannot take a message.
    const database = reachable === 'down' && ctx.store.writeFailure() ? 'unwritable' : reachable;
    const ready = database === 'ok' && bus === 'ok';
    if (!ready) return reply.status(503).send({ ...errorBody('unavailable'), checks: { database, bus } });
    return { ok: true, checks: { database, bus } };
  });

  app.get('/api/config', { schema: { tags, response: { 200: ServerConfigReply } } }, async () => ({
    maxMessageLength: ctx.config.maxMessageLength,
    historyPageMax: limits.historyPageMax,
    presenceWindowMs: ctx.config.presenceWindowMs,
    awayAfterMs: ctx.config.presenceAwayAfterMs,
    registration: ctx.settings.current.registration,
    guests: ctx.settings.current.guests,
    uploadMaxBytes: ctx.settings.current.uploadMaxBytes,
    passwordResetByEmail: canMail(ctx.config),
    signIn: {
      oidc: ctx.config.oidc ? { name: ctx.config.oidc.name } : undefined,
      passwordLogin: ctx.settings.current.passwordLogin,
    },
  }));
}
