import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  defaultRoomId,
  nextEvent,
  register,
  request,
  startServer,
  type TestServer,
  uniqueName,
} from '../harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('listeners of the writer’s announcements', () => {
  it('cannot wedge the writer, reject into the process or keep other listeners from delivering', async () => {
    const ana = await register(server.url);
    const bo = await register(server.url);
    const roomId = await defaultRoomId(server.url, ana.token);
    const anaSocket = await connect(server.url, ana.token);
    const boSocket = await connect(server.url, bo.token);
    const { events } = server.parley.ctx;
    let calls = 0;
    const throws = () => {
      calls++;
      throw new Error('a listener that throws');
    };
    const rejects = async () => {
      calls++;
      throw new Error('a listener whose promise rejects');
    };
    // Ahead of the delivery listener, so that it runs only if the bus goes on past a failure.
    events.prependListener('room.changed', throws);
    events.prependListener('room.changed', rejects);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (let i = 0; i < 5; i++) {
        const text = `through ${i}`;
        const heard = nextEvent(boSocket, 'message:new', (message) => message.text === text);
        const ack = await request(anaSocket, 'message:send', { roomId, text, clientId: uniqueName() });
        expect(ack.ok).toBe(true);
        await heard;
      }
      // Many at once: one batch, one announcement per room, still delivered.
      const burst = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          request(anaSocket, 'message:send', { roomId, text: `burst ${i}`, clientId: uniqueName() }),
        ),
      );
      expect(burst.every((ack) => ack.ok)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      events.off('room.changed', throws);
      events.off('room.changed', rejects);
      process.off('unhandledRejection', onUnhandled);
    }
    expect(calls).toBeGreaterThanOrEqual(12);
    expect(unhandled).toEqual([]);
    expect((await api(server.url, 'GET', '/readyz')).status).toBe(200);
    anaSocket.close();
    boSocket.close();
  });
});
