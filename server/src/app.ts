import fastifyCors from '@fastify/cors';
import fastifyMultipart from '@fastify/multipart';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyReply, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { openBus } from './bus/index.js';
import type { Config } from './config.js';
import type { Ctx } from './domain/context.js';
import { DomainEventBus } from './domain/events.js';
import { ensureDefaultRooms } from './domain/rooms/rooms.js';
import { loadTokenKeys } from './domain/accounts/tokens.js';
import { scheduleRetention } from './domain/admin/retention.js';
import { LiveSettings } from './domain/admin/settings.js';
import { startFileLifecycle } from './domain/files/lifecycle.js';
import { MessageWriter } from './domain/messages/writer.js';
import { SeenSessions } from './domain/accounts/seen.js';
import { startBackfill } from './domain/search/backfill.js';
import { type Attention, startAttention } from './domain/attention/index.js';
import { grantConfiguredAdmins } from './domain/accounts/admin-names.js';
import { accountDeleteRoutes } from './http/account.delete.js';
import { accountPasswordRoutes } from './http/account.password.js';
import { accountProfileRoutes } from './http/account.profile.js';
import { accountSessionRoutes } from './http/account.sessions.js';
import { accountRoutes } from './http/accounts.js';
import { oidcRoutes } from './http/auth.oidc.js';
import { totpRoutes } from './http/auth.totp.js';
import { adminInviteRoutes } from './http/admin/invites.js';
import { adminRoomRoutes } from './http/admin/rooms.js';
import { adminSettingsRoutes } from './http/admin/settings.js';
import { adminUserRoutes } from './http/admin/users.js';
import { adminResetLinkRoutes } from './http/admin/users.reset.js';
import { blockRoutes } from './http/moderation/blocks.js';
import { reportRoutes } from './http/moderation/reports.js';
import { roomModerationRoutes } from './http/moderation/rooms.js';
import { dmRoutes } from './http/dms.js';
import { docs } from './http/docs.js';
import { errorBody, installErrorHandling } from './http/errors.js';
import { fileRoutes } from './http/files.js';
import { healthRoutes } from './http/health.js';
import { metricsEndpoint } from './http/metrics.js';
import { securityHeaders } from './http/security.js';
import { roomMemberRoutes } from './http/rooms.members.js';
import { messageChangeRoutes } from './http/rooms.messages.changes.js';
import { roomMessageRoutes } from './http/rooms.messages.js';
import { pinRoutes } from './http/rooms.pins.js';
import { pushRoutes } from './http/push.js';
import { roomAttentionRoutes } from './http/rooms.attention.js';
import { reactionRoutes } from './http/rooms.reactions.js';
import { threadRoutes } from './http/rooms.threads.js';
import { roomRoutes } from './http/rooms.js';
import { searchRoutes } from './http/search.js';
import type { App } from './http/types.js';
import { userRoutes } from './http/users.js';
import { webClient } from './http/web.js';
import { createMetrics } from './metrics.js';
import { attachRealtime, type Realtime } from './realtime/index.js';
import { openBlobs } from './store/blobs/index.js';
import { openStore } from './store/index.js';

export interface Parley {
  app: App;
  ctx: Ctx;
  /** Mention counts and Web Push, fed by the writer's commits. */
  attention: Attention;
  realtime: Realtime;
  /** Starts listening (on `port`, else PORT); resolves to the base URL. */
  listen(port?: number): Promise<string>;
  /** Stops accepting, finishes in-flight sends, closes sockets and the database. Safe to call twice. */
  close(): Promise<void>;
}

/** Believe the nearest `hops` proxies, as proxy-addr does for a number (Fastify's types lack it). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** What start-up is waiting for, told to whoever holds the port meanwhile (main.ts's standby). */
export interface StartupProgress {
  waitingForDatabase(reason: string): void;
  databaseOpen(): void;
}

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
/**
 * Every schema is zod. Given as the factories, the zod compilers spare loading Fastify's default ajv
 * and fast-json-stringify compilers (a hundred modules, a good part of start-up), which
 * setValidatorCompiler would only replace. Fastify types the factories after ajv's; it calls them
 * with the route's schema all the same.
 */
const zodCompilers = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as CompilersFactory;

export async function buildApp(config: Config, progress?: StartupProgress): Promise<Parley> {
  const app: App = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    // Behind a proxy, X-Forwarded-For names the client; login rate limits are per client IP.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Errors Fastify raises before routing (a malformed %-escape in the path) get the catalog's shape too.
    frameworkErrors: (error, _request, reply) => {
      (reply as unknown as FastifyReply).status(400).send(errorBody('validation_failed', error.message));
    },
    schemaController: { compilersFactory: zodCompilers },
  }).withTypeProvider<ZodTypeProvider>();
  installErrorHandling(app);

  // Before anything is opened: a node that cannot sign tokens must not start at all.
  const tokens = loadTokenKeys(config.jwtSecret, config.dataDir);
  const store = await openStore(config, (message) => {
    app.log.warn(message);
    progress?.waitingForDatabase(message);
  });
  progress?.databaseOpen();
  const bus = await openBus(config);
  const blobs = await openBlobs(config);
  if (config.databaseUrl && blobs.kind === 'disk')
    app.log.warn('files are kept in DATA_DIR/files: several nodes need S3_BUCKET (shared object storage)');
  // Uploads a crash left half-written are of no use to anyone.
  fs.rmSync(path.join(config.dataDir, 'uploads'), { recursive: true, force: true });
  const events = new DomainEventBus((error, event) =>
    app.log.error({ err: error, event }, 'a listener of a domain event failed'),
  );
  const metrics = createMetrics(events);
  const writer = new MessageWriter(store, events, (size) => metrics.batchSize.observe(size));
  const ctx: Ctx = {
    config,
    store,
    bus,
    events,
    writer,
    tokens,
    blobs,
    log: app.log,
    settings: new LiveSettings(config.settingsDefaults),
    seen: new SeenSessions(store, app.log),
  };
  await ctx.settings.load(ctx);
  // A node that missed a change (the bus was down when it was announced) catches up within a minute.
  const settingsPoll = setInterval(() => {
    ctx.settings.load(ctx).catch((error: unknown) => app.log.warn({ err: error }, 'settings reload failed'));
  }, 60_000).unref();
  const stopFiles = startFileLifecycle(ctx, metrics.registry);
  await ensureDefaultRooms(ctx);
  await grantConfiguredAdmins(ctx);
  const deps = { ctx, writer };
  const attention = await startAttention(ctx);

  await securityHeaders(app, config.webDir);
  if (config.corsOrigins.length > 0) await app.register(fastifyCors, { origin: config.corsOrigins });
  await app.register(fastifyMultipart);
  await docs(app);
  for (const routes of [
    accountRoutes,
    accountPasswordRoutes,
    accountSessionRoutes,
    accountProfileRoutes,
    accountDeleteRoutes,
    totpRoutes,
    oidcRoutes,
    roomRoutes,
    roomMemberRoutes,
    roomMessageRoutes,
    messageChangeRoutes,
    reactionRoutes,
    pinRoutes,
    threadRoutes,
    roomAttentionRoutes,
    dmRoutes,
    userRoutes,
    searchRoutes,
    roomModerationRoutes,
    blockRoutes,
    reportRoutes,
    adminUserRoutes,
    adminResetLinkRoutes,
    adminRoomRoutes,
    adminInviteRoutes,
    adminSettingsRoutes,
    fileRoutes,
  ]) {
    routes(app, deps);
  }
  pushRoutes(app, deps, attention);
  healthRoutes(app, deps);
  const metricsServer = metricsEndpoint(app, config, metrics);
  await webClient(app, config.webDir);
  const realtime = attachRealtime(app.server, { ctx, writer, metrics });
  const stopRetention = scheduleRetention(ctx);
  await app.ready();
  const backfill = startBackfill(ctx);

  let closing: Promise<void> | undefined;
  return {
    app,
    ctx,
    attention,
    realtime,
    async listen(port = config.port) {
      const url = await app.listen({ port, host: config.host });
      await metricsServer.listen();
      return url;
    },
    close() {
      closing ??= (async () => {
        await backfill.stop();
        clearInterval(settingsPoll);
        stopRetention();
        await writer.close();
        await attention.close();
        stopFiles();
        await realtime.close();
        await app.close();
        await ctx.seen.flush();
        await metricsServer.close();
        await bus.close();
        await store.close();
        metrics.close();
        await blobs.close();
      })();
      return closing;
    },
  };
}
