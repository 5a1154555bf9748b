import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  connect,
  defaultRoomId,
  register,
  request,
  startServer,
  type TestServer,
} from '../harness.js';
import { ackedMessage, readyStatus, services, ThrowawayPostgres, until } from './cluster.js';

describe.skipIf(!services)('PostgreSQL stopped and started again under a node', () => {
  let postgres: ThrowawayPostgres;
  let server: TestServer;
  let socket: ClientSocket | undefined;

  beforeAll(async () => {
    postgres = await ThrowawayPostgres.start();
    server = await startServer({ env: { DATABASE_URL: postgres.url } });
  }, 60_000);
  afterAll(async () => {
    socket?.close();
    await server?.close();
    await postgres?.destroy();
  });

  it('refuses sends with "unavailable" and reports not ready while the database is down, then recovers', async () => {
    const alice = await register(server.url);
    const room = await defaultRoomId(server.url, alice.token);
    socket = await connect(server.url, alice.token);
    const first = ackedMessage(
      await request(socket, 'message:send', { roomId: room, text: 'one', clientId: 'c1' }),
    );

    await postgres.stop();
    await until('the node to report not ready', async () => (await readyStatus(server.url)) === 503);
    expect((await api(server.url, 'GET', '/readyz')).body).toMatchObject({
      code: 'unavailable',
      checks: { database: 'down', bus: 'ok' },
    });
    const refused = await request(socket, 'message:send', { roomId: room, text: 'lost?', clientId: 'c2' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const overRest = await api(server.url, 'POST', `/api/chat/rooms/${room}/messages`, {
      token: alice.token,
      body: { text: 'lost?', clientId: 'c3' },
    });
    expect(overRest.status).toBe(503);
    expect(overRest.body).toMatchObject({ code: 'unavailable' });

    await postgres.start();
    await until(
      'the node to report ready again',
      async () => (await readyStatus(server.url)) === 200,
      20_000,
    );
    const next = ackedMessage(
      await request(socket, 'message:send', { roomId: room, text: 'two', clientId: 'c2' }),
    );
    // Refused sends took no seq: the room goes on without a gap.
    expect(next.seq).toBe(first.seq + 1);
    expect(next.text).toBe('two');
  }, 60_000);
});
