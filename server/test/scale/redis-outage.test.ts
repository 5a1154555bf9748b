import { describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  defaultRoomId,
  nextEvent,
  record,
  register,
  request,
  strongPassword,
} from '../harness.js';
import { ackedMessage, readyStatus, services, until } from './cluster.js';
import { twoNodesOnOwnRedis } from './own-redis.js';

describe.skipIf(!services)('Redis stopped and started again under two nodes', () => {
  const cluster = twoNodesOnOwnRedis();

  it('keeps each node serving its own clients while Redis is down, then delivers across nodes again', async () => {
    const [a, b] = cluster.nodes;
    const alice = await register(a.url);
    const ann = await register(a.url);
    const bob = await register(b.url);
    const room = await defaultRoomId(a.url, alice.token);
    const aliceSocket = await cluster.open(a, alice.token);
    const annSocket = await cluster.open(a, ann.token);
    const bobSocket = await cluster.open(b, bob.token);
    const bobHeard = record(bobSocket, 'message:new');
    const send = async (socket: ClientSocket, text: string) =>
      ackedMessage(await request(socket, 'message:send', { roomId: room, text, clientId: text }));

    await send(aliceSocket, 'before');
    await until('bob to hear across nodes', () => bobHeard.some((m) => m.text === 'before'));

    await cluster.redis.stop();
    await until('both nodes to report not ready', async () => {
      const statuses = await Promise.all([readyStatus(a.url), readyStatus(b.url)]);
      return statuses.every((status) => status === 503);
    });
    const readiness = await api(a.url, 'GET', '/readyz');
    expect(readiness.body).toMatchObject({ checks: { database: 'ok', bus: 'down' } });

    // Node A still serves its own: sends are acked and heard on the node, logins and new sockets
    // work, each within a bounded time because presence and limits fall back instead of waiting.
    const annHears = nextEvent(annSocket, 'message:new', (m) => m.text === 'during');
    const started = Date.now();
    const during = await send(aliceSocket, 'during');
    expect((await annHears).id).toBe(during.id);
    const login = await api(a.url, 'POST', '/api/login', {
      body: { username: ann.user.username, password: strongPassword },
    });
    expect(login.status).toBe(200);
    await cluster.open(a, ann.token);
    expect(Date.now() - started).toBeLessThan(5_000);

    await cluster.redis.start();
    await until(
      'both nodes to report ready again',
      async () => {
        const statuses = await Promise.all([readyStatus(a.url), readyStatus(b.url)]);
        return statuses.every((status) => status === 200);
      },
      20_000,
    );
    // The broadcast made during the outage reaches node B now: from node A's queue, or, if Redis lost
    // it, from the database when node B next compares its rooms with it (every 2 s).
    await until('bob to hear what was sent during the outage', () =>
      bobHeard.some((m) => m.id === during.id),
    );
    const aliceHears = nextEvent(aliceSocket, 'message:new', (m) => m.text === 'after');
    await send(bobSocket, 'after');
    await aliceHears;
    // His own broadcast may land after his ack: acks go out at commit, broadcasts through Redis.
    await until('bob to hear his own message', () => bobHeard.length === 3);
    expect(bobHeard.map((m) => m.text)).toEqual(['before', 'during', 'after']);
  }, 60_000);
});
