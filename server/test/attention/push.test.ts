import type { Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  connect,
  register,
  request,
  startServer,
  type TestServer,
} from '../harness.js';
import { startPushService, type TestSubscription } from './push-service.js';

let server: TestServer;
let service: Awaited<ReturnType<typeof startPushService>>;
const sockets: ClientSocket[] = [];
const quietMs = 1000;

beforeAll(async () => {
  service = await startPushService();
  server = await startServer({
    env: { PUSH_ALLOW_LOOPBACK: 'true', PUSH_QUIET_MS: String(quietMs), PUSH_MAX_WAIT_MS: '3000' },
  });
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
  await service.close();
});

type Person = Awaited<ReturnType<typeof register>>;

async function subscribed(person: Person): Promise<TestSubscription> {
  const subscription = service.subscribe();
  const reply = await api(server.url, 'POST', '/api/push/subscriptions', {
    token: person.token,
    body: subscription.body,
  });
  expect(reply.status).toBe(204);
  return subscription;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets every burst end and every queued push reach the push service. */
async function pushesSettle(): Promise<void> {
  const { attention } = server.parley;
  await attention.settled();
  await sleep(quietMs + 200);
  await attention.push?.dispatcher.flushAll();
  await attention.push?.sender.drained();
}

async function dm(a: Person, b: Person): Promise<string> {
  const reply = await api<{ room: Room }>(server.url, 'POST', '/api/dms', {
    token: a.token,
    body: { userId: b.user.id },
  });
  return reply.body.room.id;
}

const say = (person: Person, roomId: string, text: string) =>
  api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, { token: person.token, body: { text } });

describe('Web Push', () => {
  it('hands out the VAPID public key', async () => {
    const reply = await api<{ key: string }>(server.url, 'GET', '/api/push/key');
    expect(Buffer.from(reply.body.key, 'base64url')).toHaveLength(65);
  });

  it('sends one push per burst to a person with no client open, encrypted for their browser', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const roomId = await dm(ana, ben);
    const browser = await subscribed(ben);
    for (const text of ['are you there?', 'it is about the release', 'call me when you can'])
      expect((await say(ana, roomId, text)).status).toBe(201);
    await pushesSettle();
    expect(service.errors).toEqual([]);
    expect(browser.received).toHaveLength(1);
    const [push] = browser.received;
    expect(push?.payload).toMatchObject({
      roomId,
      title: `3 new messages from ${ana.user.username}`,
      body: 'call me when you can',
      count: 3,
      badge: 3,
      tag: `room:${roomId}`,
    });
    expect(push?.payload.url).toBe(`#/rooms/${roomId}/messages/1`);
    expect(push?.headers.urgency).toBe('high');
    expect(push?.claims.sub).toMatch(/^mailto:|^https:/);
    // The author's own words never push to the author.
    const anaBrowser = await subscribed(ana);
    await say(ana, roomId, 'one more');
    await pushesSettle();
    expect(anaBrowser.received).toHaveLength(0);
    expect(browser.received).toHaveLength(2);
  });

  it('sends nothing while the person is at Parley, and once their tab is away', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const roomId = await dm(ana, ben);
    const browser = await subscribed(ben);
    const tab = await connect(server.url, ben.token);
    sockets.push(tab);
    await say(ana, roomId, 'you are here, no push');
    await pushesSettle();
    expect(browser.received).toHaveLength(0);
    expect(await request(tab, 'presence:away', { away: true })).toMatchObject({ ok: true });
    await say(ana, roomId, 'now you are away');
    await pushesSettle();
    expect(browser.received.map((push) => push.payload.body)).toEqual(['now you are away']);
  });

  it('follows the notification level and mute: mentions only, then nothing while muted', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const made = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
      token: ana.token,
      body: { name: `lvl${Math.random().toString(36).slice(2, 8)}`, visibility: 'private' },
    });
    const roomId = made.body.room.id;
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/members`, {
      token: ana.token,
      body: { userId: ben.user.id },
    });
    const browser = await subscribed(ben);
    const set = (body: object) =>
      api<{ notifications: Record<string, unknown> }>(
        server.url,
        'PUT',
        `/api/chat/rooms/${roomId}/notifications`,
        {
          token: ben.token,
          body,
        },
      );
    // A small room tells of everything by default.
    await say(ana, roomId, 'small talk');
    await pushesSettle();
    expect(browser.received.map((push) => push.payload.title)).toEqual([
      `${ana.user.username} in #${made.body.room.name}`,
    ]);

    expect((await set({ level: 'mentions' })).body.notifications).toMatchObject({
      level: 'mentions',
      custom: true,
    });
    await say(ana, roomId, 'more small talk');
    await say(ana, roomId, `@${ben.user.username} a question for you`);
    await pushesSettle();
    expect(browser.received.at(-1)?.payload).toMatchObject({
      title: `${ana.user.username} mentioned you in #${made.body.room.name}`,
      count: 1,
    });
    expect(browser.received).toHaveLength(2);

    const muted = await set({ mutedUntil: 'forever' });
    expect(muted.body.notifications).toMatchObject({ muted: true, mutedUntil: null });
    await say(ana, roomId, `@${ben.user.username} are you ignoring me?`);
    await pushesSettle();
    expect(browser.received).toHaveLength(2);

    await set({ mutedUntil: null, level: 'none' });
    await say(ana, roomId, `@${ben.user.username} hello?`);
    await pushesSettle();
    expect(browser.received).toHaveLength(2);
    const rooms = await api<{ rooms: Room[] }>(server.url, 'GET', '/api/chat/rooms', { token: ben.token });
    expect(rooms.body.rooms.find((room) => room.id === roomId)?.notifications).toEqual({
      level: 'none',
      custom: true,
      muted: false,
      mutedUntil: null,
    });
  });

  it('leaves the text out when the person asks', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const roomId = await dm(ana, ben);
    const browser = await subscribed(ben);
    await api(server.url, 'PATCH', '/api/me/notifications', { token: ben.token, body: { pushText: false } });
    // A word no id or count can contain by chance (ids are lower-case Crockford base32, without l or o).
    await say(ana, roomId, 'the secret word is xylophone');
    await pushesSettle();
    expect(browser.received).toHaveLength(1);
    expect(JSON.stringify(browser.received[0]?.payload)).not.toContain('xylophone');
    expect(browser.received[0]?.payload.title).toBe(ana.user.username);
  });

  it('forgets a subscription the push service says is gone (410), and one whose session ended', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const roomId = await dm(ana, ben);
    const gone = await subscribed(ben);
    gone.status = 410;
    const count = async () =>
      Number(
        (
          await server.parley.ctx.store.db
            .selectFrom('push_subscriptions')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('user_id', '=', ben.user.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(1);
    await say(ana, roomId, 'anyone?');
    await pushesSettle();
    expect(await count()).toBe(0);

    // Signed out on that browser: its pushes stop with the session.
    const kept = await subscribed(ben);
    await api(server.url, 'POST', '/api/logout', { token: ben.token });
    await say(ana, roomId, 'after the logout');
    await pushesSettle();
    expect(kept.received).toHaveLength(0);
  });

  it('refuses a non-https endpoint, malformed keys and an eleventh device, storing nothing', async () => {
    const ben = await register(server.url);
    const good = service.subscribe().body;
    const post = (body: unknown) =>
      api(server.url, 'POST', '/api/push/subscriptions', { token: ben.token, body });
    const refusals = [
      { ...good, endpoint: 'http://push.example.org/x' },
      { ...good, endpoint: 'ftp://127.0.0.1/x' },
      { ...good, endpoint: 'not a url' },
      { ...good, keys: { ...good.keys, p256dh: Buffer.alloc(65, 1).toString('base64url') } },
      { ...good, keys: { ...good.keys, p256dh: 'bad key!' } },
      { ...good, keys: { ...good.keys, auth: Buffer.alloc(8).toString('base64url') } },
    ];
    for (const body of refusals) {
      const reply = await post(body);
      expect(reply.body, JSON.stringify(body)).toMatchObject({
        statusCode: 400,
        code: 'invalid_subscription',
      });
    }
    for (let i = 0; i < 10; i++) expect((await post(service.subscribe().body)).status).toBe(204);
    expect((await post(good)).body).toMatchObject({ statusCode: 409, code: 'too_many_subscriptions' });
    // Subscribing a browser it already has again is fine.
    const again = await post({
      ...good,
      endpoint: (
        await server.parley.ctx.store.db
          .selectFrom('push_subscriptions')
          .select('endpoint')
          .where('user_id', '=', ben.user.id)
          .executeTakeFirstOrThrow()
      ).endpoint,
    });
    expect(again.status).toBe(204);
  });
});
