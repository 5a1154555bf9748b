import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  connect,
  defaultRoomId,
  register,
  request,
  startServer,
  strongPassword,
  type TestServer,
  tempDir,
} from '../harness.js';

// A real full disk: DATA_DIR on a 12 MB tmpfs, filled to the last byte while clients send. Mounting
// needs root (CI runs as root); the mount is lazily detached after the test whatever happens.
const mountPoint = tempDir('parley-full-');
const filler = path.join(mountPoint, 'filler');
let server: TestServer;
let socket: ClientSocket;
let roomId: string;
let username: string;

beforeAll(async () => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mountPoint]);
  // SQLite on its own (PostgreSQL's disk is not this machine's to fill).
  server = await startServer({
    dataDir: path.join(mountPoint, 'data'),
    env: { DATABASE_URL: '', JWT_SECRET: '' },
  });
  username = `full_${Date.now().toString(36)}`;
  const { token } = await register(server.url, username);
  roomId = await defaultRoomId(server.url, token);
  socket = await connect(server.url, token);
});

afterAll(async () => {
  socket?.close();
  await server?.close();
  execFileSync('umount', ['-l', mountPoint]);
});

function fillDisk(): void {
  const fd = fs.openSync(filler, 'w');
  try {
    // Big blocks, then smaller ones: not a byte is left.
    for (const size of [64 * 1024, 4096, 512, 1]) {
      const block = Buffer.alloc(size, 7);
      try {
        for (;;) fs.writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

async function readyz() {
  return api<{ code?: string; checks: { database: string } }>(server.url, 'GET', '/readyz');
}

describe('a disk that fills up while Parley runs', () => {
  it('answers sends with unavailable, reports not-ready and refuses logins with 503, then recovers by itself', async () => {
    const text = 'x'.repeat(3000);
    const first = await request(socket, 'message:send', { roomId, text: 'before', clientId: 'before' });
    expect(first.ok).toBe(true);

    fillDisk();
    // Until the WAL needs to grow, writes still fit; after that every send is refused, never acked.
    const codes = new Set<string>();
    for (let i = 0; i < 400 && !codes.has('unavailable'); i++) {
      const ack = await request(socket, 'message:send', { roomId, text, clientId: `full-${i}` });
      if (!ack.ok) codes.add(ack.error.code);
    }
    expect([...codes]).toEqual(['unavailable']);

    const notReady = await readyz();
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ code: 'unavailable', checks: { database: 'unwritable' } });
    const login = await api(server.url, 'POST', '/api/login', {
      body: { username, password: strongPassword },
    });
    expect(login.status).toBe(503);
    expect(login.body).toMatchObject({ code: 'unavailable' });

    fs.rmSync(filler);
    // Nobody restarts it: the next probe writes, and it is ready again.
    const deadline = Date.now() + 10_000;
    while ((await readyz()).status !== 200 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect((await readyz()).body).toMatchObject({ ok: true, checks: { database: 'ok' } });
    const after = await request(socket, 'message:send', { roomId, text: 'after', clientId: 'after' });
    expect(after.ok).toBe(true);
    const relogin = await api(server.url, 'POST', '/api/login', {
      body: { username, password: strongPassword },
    });
    expect(relogin.status).toBe(200);

    // The database is whole, and what was acknowledged is there.
    const history = await api<{ messages: { text: string }[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages?limit=200`,
      { token: (relogin.body as { token: string }).token },
    );
    const texts = history.body.messages.map((message) => message.text);
    expect(texts).toContain('before');
    expect(texts.at(-1)).toBe('after');
  });
});
