import type { Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movedSince, movesMark } from '../src/realtime/moves.js';
import { api, connect, register, request, startServer, type TestServer } from './harness.js';

// A new socket reads its session and rooms again once joined only if some socket was moved or
// disconnected by channel meanwhile (realtime/index.ts); these are the moves that must be seen.
describe('the moves a handshake re-check watches for', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('sees a membership change and a logout applied to sockets, and nothing else', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const { body } = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
      token: ana.token,
      body: { name: `Moves ${Math.random().toString(36).slice(2, 8)}` },
    });
    const anaSocket = await connect(server.url, ana.token);
    const benSocket = await connect(server.url, ben.token);

    let mark = movesMark();
    expect(
      (await request(anaSocket, 'message:send', { roomId: body.room.id, text: 'hi', clientId: 'm-1' })).ok,
    ).toBe(true);
    // A third tab connecting (its own joins) and a message are not moves.
    const third = await connect(server.url, ana.token);
    expect(movedSince(mark)).toBe(false);

    const joined = new Promise((resolve) => benSocket.once('message:new', resolve));
    await api(server.url, 'POST', `/api/chat/rooms/${body.room.id}/join`, { token: ben.token });
    await expect.poll(() => movedSince(mark)).toBe(true);
    await request(anaSocket, 'message:send', { roomId: body.room.id, text: 'welcome', clientId: 'm-2' });
    await joined;

    mark = movesMark();
    const closed = new Promise((resolve) => benSocket.once('disconnect', resolve));
    await api(server.url, 'POST', '/api/logout', { token: ben.token });
    await closed;
    expect(movedSince(mark)).toBe(true);
    for (const socket of [anaSocket, third]) socket.close();
  });
});
