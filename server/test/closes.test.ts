import type { Socket as NetSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closesPerTurn } from '../src/realtime/closes.js';
import {
  type ClientSocket,
  connect,
  defaultRoomId,
  nextEvent,
  register,
  request,
  startServer,
  type TestServer,
} from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { PRESENCE_WINDOW_MS: '100' } });
});
afterAll(() => server.close());

/** The TCP socket under a server-side socket's WebSocket. */
const tcpOf = (socket: unknown) =>
  (socket as { conn: { transport: { socket: { _socket: NetSocket } } } }).conn.transport.socket._socket;

describe('many connections closing at once (issue 16, the reconnect storm)', () => {
  it('run a slice per turn of the event loop; the person still goes offline and stops typing', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const roomId = await defaultRoomId(server.url, ana.token);
    const watcher = await connect(server.url, ben.token);
    expect(await request(watcher, 'presence:watch', { userIds: [ana.user.id] })).toMatchObject({
      ok: true,
    });
    const online = nextEvent(
      watcher,
      'presence:changed',
      ({ presence }) => presence[ana.user.id] === 'online',
    );
    // Enough for three slices.
    const count = 2 * closesPerTurn + 1;
    const tabs: ClientSocket[] = [];
    while (tabs.length < count) {
      const batch = Math.min(32, count - tabs.length);
      tabs.push(...(await Promise.all(Array.from({ length: batch }, () => connect(server.url, ana.token)))));
    }
    await online;
    const typing = nextEvent(watcher, 'typing', (event) => event.typing);
    await request(tabs[0]!, 'typing', { roomId, typing: true });
    await typing;

    // Every turn of the event loop has a number; each disconnect handler notes the turn it ran in.
    let turn = 0;
    let counting = true;
    const tick = () => {
      turn++;
      if (counting) setImmediate(tick);
    };
    tick();
    const perTurn = new Map<number, number>();
    const { io } = server.parley.realtime;
    const anas = [...io.of('/').sockets.values()].filter(
      (socket) => socket.data.auth.user.id === ana.user.id,
    );
    expect(anas).toHaveLength(count);
    const gone = Promise.all(
      anas.map(
        (socket) =>
          new Promise<void>((resolve) =>
            socket.once('disconnect', () => {
              perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
              resolve();
            }),
          ),
      ),
    );
    const offline = nextEvent(
      watcher,
      'presence:changed',
      ({ presence }) => presence[ana.user.id] === 'offline',
    );
    const stopped = nextEvent(watcher, 'typing', (event) => !event.typing);
    // All of them drop in the same instant, as when a network between the clients and the server fails.
    for (const socket of anas) tcpOf(socket).destroy();
    await gone;
    counting = false;

    // Before, all of them ran in the turn the drops were noticed in.
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(closesPerTurn);
    expect(perTurn.size).toBeGreaterThanOrEqual(3);
    expect(await stopped).toMatchObject({ roomId, user: { id: ana.user.id }, typing: false });
    await offline;
    for (const socket of [watcher, ...tabs]) socket.close();
  });
});
