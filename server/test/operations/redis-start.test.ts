import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  defaultRoomId,
  nextEvent,
  register,
  request,
  startServer,
  type TestServer,
} from '../harness.js';
import { freePort, until } from '../scale/cluster.js';

// Start-up with Redis away: a node must start, say it is not ready, serve its own clients, and join
// when a real Redis appears on the port (a throwaway redis-server, never the shared one).
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function redisOn(port: number): ChildProcess {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  cleanup.push(() => {
    child.kill('SIGKILL');
  });
  return child;
}

async function servesItsOwnClients(server: TestServer) {
  const ana = await register(server.url);
  const bo = await register(server.url);
  const roomId = await defaultRoomId(server.url, ana.token);
  const anaSocket = await connect(server.url, ana.token);
  const boSocket = await connect(server.url, bo.token);
  const heard = nextEvent(
    boSocket,
    'message:new',
    (message) => message.text === 'while Redis is away',
    10_000,
  );
  const ack = await request(anaSocket, 'message:send', {
    roomId,
    text: 'while Redis is away',
    clientId: 'away',
  });
  expect(ack.ok).toBe(true);
  await heard;
  anaSocket.close();
  boSocket.close();
}

describe('a node whose Redis is not there at start-up', () => {
  for (const kind of ['closed', 'hanging'] as const) {
    it(`starts on a ${kind} port, is not ready, serves its clients, and is ready once Redis appears`, {
      timeout: 120_000,
    }, async () => {
      const port = await freePort();
      let hang: net.Server | undefined;
      const held: net.Socket[] = [];
      if (kind === 'hanging') {
        // Accepts and never answers a byte.
        hang = net.createServer((socket) => held.push(socket));
        await new Promise<void>((resolve) => hang?.listen(port, '127.0.0.1', resolve));
        cleanup.push(() => {
          for (const socket of held) socket.destroy();
          hang?.close();
        });
      }
      const server = await startServer({
        env: { REDIS_URL: `redis://127.0.0.1:${port}`, DATABASE_URL: '', JWT_SECRET: '' },
      });
      cleanup.push(() => server.close());
      const ready = await api<{ checks: { bus: string } }>(server.url, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.bus).toBe('down');
      await servesItsOwnClients(server);
      if (hang) {
        for (const socket of held) socket.destroy();
        await new Promise((resolve) => hang?.close(resolve));
      }
      redisOn(port);
      await until(
        'the node to become ready',
        async () => (await api(server.url, 'GET', '/readyz')).status === 200,
        60_000,
      );
    });
  }
});
