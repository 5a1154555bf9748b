import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, defaultRoomId, register, startServer, type TestServer } from '../harness.js';
import { services } from './cluster.js';

describe.skipIf(!services)('PostgreSQL specifics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it('refuses text with NUL characters, which PostgreSQL cannot store, with a 400 and stores nothing', async () => {
    const { token } = await register(server.url);
    const room = await defaultRoomId(server.url, token);
    const send = await api(server.url, 'POST', `/api/chat/rooms/${room}/messages`, {
      token,
      body: { text: 'before\u0000after', clientId: 'nul' },
    });
    expect(send.status).toBe(400);
    expect(send.body).toMatchObject({ code: 'validation_failed' });
    const created = await api(server.url, 'POST', '/api/chat/rooms', { token, body: { name: 'a\u0000b' } });
    expect(created.status).toBe(400);
    const history = await api<{ messages: unknown[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${room}/messages`,
      {
        token,
      },
    );
    expect(history.body.messages).toEqual([]);
  });
});
