import fs from 'node:fs';
import path from 'node:path';
import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { api, type ClientSocket, connect, defaultRoomId, register, spawnServer, tempDir } from './harness.js';

/** Keeps `inFlight` sends outstanding until stopped; records what the server acknowledged. */
function sendContinuously(socket: ClientSocket, roomId: string, inFlight: number) {
  const acked = new Map<string, Message>();
  const refused: string[] = [];
  let next = 0;
  let running = true;
  const pump = () => {
    if (!running) return;
    const clientId = `k${next++}`;
    socket.emit('message:send', { roomId, text: `durable ${clientId}`, clientId }, (reply) => {
      if (reply.ok) acked.set(clientId, reply.message);
      else refused.push(reply.error.code);
      pump();
    });
  };
  for (let i = 0; i < inFlight; i++) pump();
  return { acked, refused, stop: () => (running = false) };
}

async function readAll(url: string, token: string, roomId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = 0; ; ) {
    const page = await api<{ messages: Message[]; hasMore: boolean }>(
      url,
      'GET',
      `/api/chat/rooms/${roomId}/messages?after=${after}&limit=200`,
      { token },
    );
    all.push(...page.body.messages);
    if (!page.body.hasMore) return all;
    after = page.body.messages.at(-1)?.seq ?? after;
  }
}

describe('durability', () => {
  it('loses no acknowledged message when the server is killed with SIGKILL mid-stream', async () => {
    const dataDir = tempDir();
    const first = await spawnServer({ dataDir });
    const { token } = await register(first.url);
    const roomId = await defaultRoomId(first.url, token);
    const socket = await connect(first.url, token);
    const stream = sendContinuously(socket, roomId, 32);
    await expect.poll(() => stream.acked.size, { timeout: 20_000 }).toBeGreaterThan(300);
    first.child.kill('SIGKILL');
    await first.exited;
    stream.stop();
    socket.close();
    const acked = new Map(stream.acked);

    const second = await spawnServer({ dataDir });
    try {
      const stored = await readAll(second.url, token, roomId);
      const byClientId = new Map(stored.map((message) => [message.clientId, message]));
      for (const [clientId, message] of acked) {
        expect(byClientId.get(clientId), clientId).toMatchObject({
          id: message.id,
          seq: message.seq,
          text: message.text,
        });
      }
      // Nothing doubled and no holes: seqs run 1..n.
      expect(stored.map((message) => message.seq)).toEqual(stored.map((_, i) => i + 1));
      expect(byClientId.size).toBe(stored.length);
    } finally {
      second.child.kill('SIGKILL');
    }
  });

  it('on SIGTERM finishes the sends it accepted, closes the database cleanly and exits 0', async () => {
    const dataDir = tempDir();
    const server = await spawnServer({ dataDir });
    const { token } = await register(server.url);
    const roomId = await defaultRoomId(server.url, token);
    const socket = await connect(server.url, token);
    const stream = sendContinuously(socket, roomId, 32);
    await expect.poll(() => stream.acked.size, { timeout: 20_000 }).toBeGreaterThan(100);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    stream.stop();
    socket.close();
    // A clean close checkpoints the write-ahead log into the database file.
    const wal = path.join(dataDir, 'parley.sqlite-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);

    const again = await spawnServer({ dataDir });
    try {
      const stored = await readAll(again.url, token, roomId);
      const ids = new Set(stored.map((message) => message.id));
      for (const message of stream.acked.values()) expect(ids.has(message.id)).toBe(true);
      expect(stored.map((message) => message.seq)).toEqual(stored.map((_, i) => i + 1));
    } finally {
      again.child.kill('SIGKILL');
    }
  });
});
