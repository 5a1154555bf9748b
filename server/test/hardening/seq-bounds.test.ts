import type { Message } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, defaultRoomId, register, request, startServer, type TestServer } from '../harness.js';

// Runs on SQLite and, in `npm run test:scale`, on PostgreSQL, where seq was a 32-bit integer.
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const big = 2 ** 31 + 10;

describe('message numbers past 32 bits', () => {
  it('stores, pages and marks read seqs above 2^31, the same on both dialects', async () => {
    const { token } = await register(server.url);
    const roomId = await defaultRoomId(server.url, token);
    // A room that has seen more than two billion messages: its counters say so.
    await server.parley.ctx.store.db
      .updateTable('rooms')
      .set({ last_seq: big, last_rev: big })
      .where('id', '=', roomId)
      .execute();
    const socket = await connect(server.url, token);
    const ack = (await request(socket, 'message:send', {
      roomId,
      text: 'far along',
      clientId: 'far',
    })) as unknown as {
      ok: true;
      message: Message;
    };
    expect(ack).toMatchObject({ ok: true, message: { seq: big + 1, rev: big + 1 } });

    const page = (query: string) =>
      api<{ messages: Message[] }>(server.url, 'GET', `/api/chat/rooms/${roomId}/messages?${query}`, {
        token,
      });
    for (const query of [`before=${big + 100}`, `after=${big}`, `around=${big + 1}`]) {
      const reply = await page(query);
      expect(reply.status, query).toBe(200);
      expect(
        reply.body.messages.map((m) => m.seq),
        query,
      ).toContain(big + 1);
    }
    const one = await api(server.url, 'PATCH', `/api/chat/rooms/${roomId}/messages/${big + 1}`, {
      token,
      body: { text: 'edited far along' },
    });
    expect(one.status).toBe(200);
    expect((await request(socket, 'read', { roomId, seq: big + 1 })).ok).toBe(true);
    const synced = (await request(socket, 'sync', { since: { [roomId]: big } })) as unknown as {
      ok: true;
      messages: Record<string, Message[]>;
    };
    expect(synced.messages[roomId]?.map((m) => m.text)).toEqual(['edited far along']);
    socket.close();
  });

  it('refuses cursors past Number.MAX_SAFE_INTEGER with 400 on both dialects, and takes the largest', async () => {
    const { token } = await register(server.url);
    const roomId = await defaultRoomId(server.url, token);
    const max = Number.MAX_SAFE_INTEGER;
    for (const query of [`before=${max}`, `after=${max}`, `around=${max}`]) {
      const reply = await api(server.url, 'GET', `/api/chat/rooms/${roomId}/messages?${query}`, { token });
      expect(reply.status, query).toBe(200);
    }
    for (const query of [
      'before=9007199254740992',
      'after=1e300',
      'around=-1',
      'before=99999999999999999999',
    ]) {
      const reply = await api(server.url, 'GET', `/api/chat/rooms/${roomId}/messages?${query}`, { token });
      expect(reply.status, query).toBe(400);
      expect(reply.body.code).toBe('validation_failed');
    }
    const thread = await api(server.url, 'GET', `/api/chat/rooms/${roomId}/messages/${max}/thread`, {
      token,
    });
    expect(thread.status).toBe(404);
  });
});
