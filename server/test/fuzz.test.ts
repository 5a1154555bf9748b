import {
  OidcStartBody,
  TotpConfirmBody,
  TotpDisableBody,
  TotpLoginBody,
  TotpTicketBody,
  AddMemberBody,
  AdminRoomPatch,
  AdminUserPatch,
  BanBody,
  InviteBody,
  MemberRoleBody,
  MuteBody,
  RegisterBody,
  ReportBody,
  ResolveReportBody,
  SettingsPatch,
  type ClientToServerEvents,
  Credentials,
  CreateRoomBody,
  DeleteMeBody,
  EmailVerifyBody,
  ForgotPasswordBody,
  PasswordChangeBody,
  ProfilePatch,
  ResetPasswordBody,
  ResetTokenBody,
  DeliveredBody,
  DeliveredEvent,
  DmBody,
  EditBody,
  EditEvent,
  errorCatalog,
  GuestBody,
  limits,
  MessageRef,
  NotificationPrefsBody,
  PinEvent,
  PushSubscriptionBody,
  PushUnsubscribeBody,
  ReactionEvent,
  ReadBody,
  ReadEvent,
  RoomNotificationsBody,
  RoomRef,
  SendBody,
  SendEvent,
  SyncEvent,
  TypingEvent,
  UpdateRoomBody,
} from '@parley/protocol';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  api,
  type ClientSocket,
  connect,
  defaultRoomId,
  register,
  request,
  startServer,
  type TestServer,
} from './harness.js';

let server: TestServer;
let token: string;
let roomId: string;
let socket: ClientSocket;

const tables = [
  'users',
  'user_totp',
  'user_recovery_codes',
  'user_identities',
  'sessions',
  'rooms',
  'memberships',
  'messages',
  'push_subscriptions',
  'notification_prefs',
  'user_mentions',
  'account_tokens',
] as const;
async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of tables) {
    const row = await server.parley.ctx.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    result[table] = Number(row.n);
  }
  return result;
}

// Payloads a client could send: anything JSON can carry, plus the nasty shapes.
// (Just over the longest text the wire accepts; two of them stay under the socket frame limit, which has
// its own test.)
const nasty = fc.oneof(
  fc.constant(JSON.parse('{"__proto__": {"admin": true, "polluted": true}}')),
  fc.constant(JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')),
  fc.constant('x'.repeat(limits.messageWireMax + 1)),
  fc.constant(Array.from({ length: 5_000 }, () => 1)),
  fc.integer({ min: 100, max: 3_000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth))),
  fc.constant({ roomId: { $ne: null }, text: ['a'], clientId: 5 }),
);
const payload = fc.oneof(
  fc.jsonValue(),
  fc.anything({ withNullPrototype: true, withObjectString: true }),
  nasty,
);
// Right keys, wrong values: closer to what a buggy client sends than pure noise.
const fieldNames = [
  'roomId',
  'text',
  'clientId',
  'typing',
  'since',
  'seq',
  'username',
  'password',
  'name',
  'visibility',
  'userId',
  'nickname',
  'description',
  'emoji',
  'on',
  'threadSeq',
  'alsoToRoom',
  'files',
  'revs',
  'level',
  'mutedUntil',
  'endpoint',
  'keys',
  'readReceipts',
  'pushText',
];
const shaped = fc.dictionary(fc.constantFrom(...fieldNames), fc.oneof(fc.jsonValue(), nasty), { maxKeys: 2 });
const anyPayload = fc.oneof(payload, shaped);

/**
 * Only payloads the schema refuses, judged as they arrive (JSON turns Infinity into null, drops
 * undefined fields): a valid one would legitimately store something.
 */
const invalidFor = (schema: z.ZodType) =>
  anyPayload.filter((value) => {
    const wire = JSON.stringify(value);
    return wire === undefined || !schema.safeParse(JSON.parse(wire)).success;
  });

beforeAll(async () => {
  server = await startServer();
  ({ token } = await register(server.url));
  roomId = await defaultRoomId(server.url, token);
  socket = await connect(server.url, token);
});
afterAll(async () => {
  socket.close();
  await server.close();
});

interface RouteCase {
  method: string;
  path: string;
  body?: z.ZodType;
  /** Routes that change state with any body (logout, join) are fuzzed without a token. */
  anonymousOnly?: boolean;
  /** Reads anyone may make. */
  public?: boolean;
}

const routes: RouteCase[] = [
  { method: 'POST', path: '/api/register', body: RegisterBody },
  { method: 'POST', path: '/api/login', body: Credentials },
  { method: 'POST', path: '/api/guest', body: GuestBody.nullish() },
  { method: 'POST', path: '/api/logout', anonymousOnly: true },
  { method: 'GET', path: '/api/me' },
  { method: 'GET', path: '/api/config', public: true },
  { method: 'POST', path: '/api/me/upgrade', body: RegisterBody },
  { method: 'GET', path: '/api/users' },
  { method: 'GET', path: '/api/search' },
  { method: 'GET', path: '/api/chat/rooms' },
  { method: 'POST', path: '/api/chat/rooms', body: CreateRoomBody },
  { method: 'GET', path: '/api/chat/rooms/:id' },
  { method: 'PATCH', path: '/api/chat/rooms/:id', body: UpdateRoomBody },
  { method: 'POST', path: '/api/chat/rooms/:id/join', anonymousOnly: true },
  { method: 'POST', path: '/api/chat/rooms/:id/leave', anonymousOnly: true },
  { method: 'GET', path: '/api/chat/rooms/:id/members' },
  { method: 'POST', path: '/api/chat/rooms/:id/members', body: AddMemberBody },
  { method: 'DELETE', path: '/api/chat/rooms/:id/members/:userId', anonymousOnly: true },
  { method: 'GET', path: '/api/chat/rooms/:id/messages' },
  { method: 'POST', path: '/api/chat/rooms/:id/messages', body: SendBody },
  { method: 'DELETE', path: '/api/chat/rooms/:id/messages', anonymousOnly: true },
  { method: 'POST', path: '/api/chat/rooms/:id/read', body: ReadBody },
  { method: 'PATCH', path: '/api/chat/rooms/:id/messages/:seq', body: EditBody },
  { method: 'DELETE', path: '/api/chat/rooms/:id/messages/:seq', anonymousOnly: true },
  { method: 'PUT', path: '/api/chat/rooms/:id/messages/:seq/reactions/:emoji', anonymousOnly: true },
  { method: 'DELETE', path: '/api/chat/rooms/:id/messages/:seq/reactions/:emoji', anonymousOnly: true },
  { method: 'PUT', path: '/api/chat/rooms/:id/messages/:seq/pin', anonymousOnly: true },
  { method: 'DELETE', path: '/api/chat/rooms/:id/messages/:seq/pin', anonymousOnly: true },
  { method: 'GET', path: '/api/chat/rooms/:id/pins' },
  { method: 'GET', path: '/api/chat/rooms/:id/messages/:seq/thread' },
  { method: 'POST', path: '/api/dms', body: DmBody },
  { method: 'GET', path: '/api/chat/rooms/:id/reads' },
  { method: 'POST', path: '/api/chat/rooms/:id/delivered', body: DeliveredBody },
  { method: 'PUT', path: '/api/chat/rooms/:id/notifications', body: RoomNotificationsBody },
  { method: 'GET', path: '/api/push/key', public: true },
  { method: 'POST', path: '/api/push/subscriptions', body: PushSubscriptionBody },
  { method: 'DELETE', path: '/api/push/subscriptions', body: PushUnsubscribeBody },
  { method: 'GET', path: '/api/me/notifications' },
  { method: 'PATCH', path: '/api/me/notifications', body: NotificationPrefsBody },
  { method: 'PATCH', path: '/api/chat/rooms/:id/members/:userId', body: MemberRoleBody },
  { method: 'GET', path: '/api/chat/rooms/:id/bans' },
  { method: 'POST', path: '/api/chat/rooms/:id/bans', body: BanBody },
  { method: 'DELETE', path: '/api/chat/rooms/:id/bans/:userId', anonymousOnly: true },
  { method: 'POST', path: '/api/chat/rooms/:id/mutes', body: MuteBody },
  { method: 'DELETE', path: '/api/chat/rooms/:id/mutes/:userId', anonymousOnly: true },
  { method: 'PUT', path: '/api/chat/rooms/:id/archive', anonymousOnly: true },
  { method: 'DELETE', path: '/api/chat/rooms/:id/archive', anonymousOnly: true },
  { method: 'POST', path: '/api/chat/rooms/:id/messages/:seq/report', body: ReportBody },
  { method: 'GET', path: '/api/me/blocks' },
  { method: 'PUT', path: '/api/me/blocks/:userId', anonymousOnly: true },
  { method: 'DELETE', path: '/api/me/blocks/:userId', anonymousOnly: true },
  { method: 'GET', path: '/api/moderation/reports' },
  { method: 'PATCH', path: '/api/moderation/reports/:id', body: ResolveReportBody },
  { method: 'GET', path: '/api/admin/users' },
  { method: 'GET', path: '/api/admin/users/:id' },
  { method: 'PATCH', path: '/api/admin/users/:id', body: AdminUserPatch },
  { method: 'DELETE', path: '/api/admin/users/:id', anonymousOnly: true },
  { method: 'GET', path: '/api/admin/rooms' },
  { method: 'PATCH', path: '/api/admin/rooms/:id', body: AdminRoomPatch },
  { method: 'DELETE', path: '/api/admin/rooms/:id', anonymousOnly: true },
  { method: 'GET', path: '/api/admin/invites' },
  { method: 'POST', path: '/api/admin/invites', body: InviteBody },
  { method: 'DELETE', path: '/api/admin/invites/:id', anonymousOnly: true },
  { method: 'GET', path: '/api/admin/settings' },
  { method: 'PATCH', path: '/api/admin/settings', body: SettingsPatch },
  { method: 'GET', path: '/api/admin/audit' },
  { method: 'GET', path: '/api/admin/audit.csv' },
  // Multipart routes: a JSON body (what the fuzzer sends) is refused as the wrong media type.
  { method: 'POST', path: '/api/chat/rooms/:id/files' },
  { method: 'GET', path: '/api/files/grant' },
  { method: 'GET', path: '/api/files/:id/:name', public: true },
  { method: 'GET', path: '/api/thumbs/:id', public: true },
  { method: 'PUT', path: '/api/me/avatar' },
  { method: 'DELETE', path: '/api/me/avatar', anonymousOnly: true },
  { method: 'GET', path: '/api/avatars/:id', public: true },
  // Two-factor and single sign-on (this server has no provider: the sign-on routes answer 404 coded).
  { method: 'PATCH', path: '/api/me', body: ProfilePatch },
  { method: 'DELETE', path: '/api/me', body: DeleteMeBody },
  { method: 'GET', path: '/api/users/:id' },
  { method: 'POST', path: '/api/email/verify', body: EmailVerifyBody },
  { method: 'POST', path: '/api/me/password', body: PasswordChangeBody },
  { method: 'POST', path: '/api/password/forgot', body: ForgotPasswordBody },
  { method: 'POST', path: '/api/password/reset/check', body: ResetTokenBody },
  { method: 'POST', path: '/api/password/reset', body: ResetPasswordBody },
  { method: 'GET', path: '/api/me/sessions' },
  { method: 'DELETE', path: '/api/me/sessions/:id', anonymousOnly: true },
  { method: 'DELETE', path: '/api/me/sessions', anonymousOnly: true },
  { method: 'POST', path: '/api/admin/users/:id/password-reset', anonymousOnly: true },
  { method: 'POST', path: '/api/login/totp', body: TotpLoginBody },
  { method: 'POST', path: '/api/login/totp/setup', body: TotpTicketBody },
  { method: 'GET', path: '/api/me/totp' },
  { method: 'POST', path: '/api/me/totp/setup', anonymousOnly: true },
  { method: 'POST', path: '/api/me/totp/confirm', body: TotpConfirmBody },
  { method: 'POST', path: '/api/me/totp/recovery-codes', body: TotpConfirmBody },
  { method: 'DELETE', path: '/api/me/totp', body: TotpDisableBody },
  { method: 'POST', path: '/api/auth/oidc/start', body: OidcStartBody.nullish() },
  { method: 'POST', path: '/api/auth/oidc/finish', anonymousOnly: true },
  { method: 'GET', path: '/api/me/oidc' },
  { method: 'POST', path: '/api/me/oidc/link', anonymousOnly: true },
  { method: 'DELETE', path: '/api/me/oidc', anonymousOnly: true },
];

const events: [keyof ClientToServerEvents, z.ZodType][] = [
  ['room:join', RoomRef],
  ['room:leave', RoomRef],
  ['message:send', SendEvent],
  ['typing', TypingEvent],
  ['sync', SyncEvent],
  ['read', ReadEvent],
  ['message:edit', EditEvent],
  ['message:delete', MessageRef],
  ['reaction', ReactionEvent],
  ['message:pin', PinEvent],
  ['delivered', DeliveredEvent],
];

const knownCodes = new Set(Object.keys(errorCatalog));

/** Opens a raw Engine.IO socket, connects with the token, sends `frame`, then asks for a sync. */
async function afterFrame(frame: string): Promise<'answered' | 'closed'> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  try {
    return await new Promise<'answered' | 'closed'>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer and no close after ${JSON.stringify(frame)}`)),
        5_000,
      );
      const done = (outcome: 'answered' | 'closed') => {
        clearTimeout(timer);
        resolve(outcome);
      };
      ws.on('error', () => {});
      ws.on('close', () => done('closed'));
      let sent = false;
      ws.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token })}`);
        else if (text.startsWith('40') && !sent) {
          sent = true;
          ws.send(frame);
          // A DISCONNECT packet ('41…') leaves the namespace; connecting again must work.
          if (frame.startsWith('41')) ws.send(`40${JSON.stringify({ token })}`);
          else ws.send('42999["sync",{"since":{}}]');
        } else if (text.startsWith('40')) ws.send('42999["sync",{"since":{}}]');
        else if (text.startsWith('43999')) done('answered');
      });
    });
  } finally {
    ws.close();
  }
}

describe('hostile input', () => {
  it('fuzzes every route the OpenAPI document lists', async () => {
    const doc = await api<{ paths: Record<string, Record<string, unknown>> }>(
      server.url,
      'GET',
      '/openapi.json',
    );
    const documented = Object.entries(doc.body.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      );
    expect(routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(documented.sort());
  });

  it('answers random bodies, params and queries on every route without a 5xx, refusals coded, and stores nothing', async () => {
    const before = await counts();
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          route.body ? invalidFor(route.body) : anyPayload,
          fc.string({ maxLength: 80 }),
          fc.string({ maxLength: 40 }),
          fc.boolean(),
          async (body, id, query, withToken) => {
            const path = route.path
              .replace(':id', encodeURIComponent(id || 'x'))
              .replace(':userId', encodeURIComponent(`${id}u`))
              .replace(':seq', encodeURIComponent(query || '1'))
              .replace(':emoji', encodeURIComponent(id || '👍'));
            const useToken = withToken && !route.anonymousOnly;
            const reply = await api(
              server.url,
              route.method,
              `${path}?before=${encodeURIComponent(query)}&q=${encodeURIComponent(query)}`,
              {
                token: useToken ? token : undefined,
                ...(route.method === 'GET'
                  ? {}
                  : {
                      rawBody: JSON.stringify(body) ?? 'undefined',
                      headers: { 'content-type': 'application/json' },
                    }),
              },
            );
            // A read with a good token may well succeed; a write never does, since its body is invalid.
            expect(reply.status, `${route.method} ${path}: ${JSON.stringify(reply.body)}`).toBeLessThan(500);
            if (route.method !== 'GET' || (!useToken && !route.public))
              expect(reply.status).toBeGreaterThanOrEqual(400);
            if (reply.status >= 400) expect(knownCodes.has((reply.body as { code: string }).code)).toBe(true);
          },
        ),
        { numRuns: 100 },
      );
    }
    expect(await counts()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    // A hundred runs on every route: the time grows with the API, not with the machine's speed alone.
  }, 300_000);

  it('answers random payloads on every socket event with ok: false, with or without an ack, and stores nothing', async () => {
    const before = await counts();
    for (const [event, schema] of events) {
      await fc.assert(
        fc.asyncProperty(invalidFor(schema), fc.boolean(), async (value, withAck) => {
          if (!withAck) {
            (socket.emit as (event: string, ...args: unknown[]) => void)(event, value);
            return;
          }
          const reply = await request(socket, event, value as never);
          expect(reply.ok).toBe(false);
          if (!reply.ok) expect(knownCodes.has(reply.error.code)).toBe(true);
        }),
        { numRuns: 150 },
      );
    }
    // Odd argument shapes: no payload, only an ack, several payloads.
    const raw = socket as unknown as { emit: (...args: unknown[]) => void };
    raw.emit('message:send');
    raw.emit('message:send', () => {});
    raw.emit('message:send', { roomId, text: 'two args' }, 'extra', 42);
    raw.emit('no-such-event', { roomId });
    expect(socket.connected).toBe(true);
    expect(await counts()).toEqual(before);
    const ok = await request(socket, 'message:send', {
      roomId,
      text: 'still serving',
      clientId: 'after-fuzz',
    });
    expect(ok.ok).toBe(true);
  });

  it('drops only the connection that sends a frame over the size limit', async () => {
    const victim = await connect(server.url, token);
    const dropped = new Promise<string>((resolve) => victim.once('disconnect', resolve));
    victim.emit('message:send', { roomId, text: 'x'.repeat(400_000), clientId: 'too-big' });
    expect(await dropped).toBe('transport close');
    const ok = await request(socket, 'sync', { since: {} });
    expect(ok.ok).toBe(true);
  });

  it('answers a malformed %-escape in the path with the catalog’s error shape', async () => {
    const reply = await api(server.url, 'GET', '/api/chat/rooms/%E0%A4%A', { token });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ statusCode: 400, code: 'validation_failed', error: 'Bad Request' });
  });

  it('survives malformed Socket.IO frames on a raw WebSocket', async () => {
    const frames = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        '42[',
        '42["message:send",',
        '42{}',
        '4299999999999999999999["sync",{}]',
        '2',
        '41',
        '40{"token":1}',
        '451-["x",{"_placeholder":true,"num":99}]',
      ),
      fc.jsonValue().map((value) => `42${JSON.stringify(['message:send', value])}`),
    );
    // Each frame on its own connected socket, then a well-formed sync: the server either answers it
    // (the bad frame was ignored) or closes that connection (the parser refused it). Never silence.
    const outcomes = { answered: 0, closed: 0 };
    for (const frame of fc.sample(frames, 150)) outcomes[await afterFrame(frame)] += 1;
    expect(outcomes.answered + outcomes.closed).toBe(150);
    expect(outcomes.answered).toBeGreaterThan(0);
    expect(outcomes.closed).toBeGreaterThan(0);
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
    const ok = await request(socket, 'sync', { since: { [roomId]: 0 } });
    expect(ok.ok).toBe(true);
  });
});
