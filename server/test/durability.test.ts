import fs from 'node:fs';
import path from 'node:path';
import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  connect,
  defaultRoomId,
  register,
  request,
  spawnServer,
  tempDir,
} from './harness.js';

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
  }, 90_000);

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
  }, 90_000);

  it('loses no acknowledged edit or reaction when the server is killed with SIGKILL mid-stream', async () => {
    const dataDir = tempDir();
    const first = await spawnServer({ dataDir });
    const { token } = await register(first.url);
    const roomId = await defaultRoomId(first.url, token);
    const socket = await connect(first.url, token);
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗'];
    // Sixteen writers, each changing its own message one operation at a time, alternately an edit and
    // a reaction: what the server acknowledged, and the one operation in flight when it died.
    const writers = await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        const sent = await request(socket, 'message:send', { roomId, text: `w${w} v0`, clientId: `w${w}` });
        if (!sent.ok) throw new Error('seed message refused');
        return {
          seq: (sent.message as Message).seq,
          acked: { text: `w${w} v0`, emoji: [] as string[] },
          inFlight: '',
        };
      }),
    );
    let running = true;
    const pump = async (w: number) => {
      const writer = writers[w] as (typeof writers)[0];
      for (let k = 1; running; k++) {
        const edit = k % 2 === 1;
        const value = edit ? `w${w} v${k}` : (emoji[(k / 2) % emoji.length] as string);
        writer.inFlight = value;
        const reply = await (edit
          ? request(socket, 'message:edit', { roomId, seq: writer.seq, text: value })
          : request(socket, 'reaction', { roomId, seq: writer.seq, emoji: value, on: true })
        ).catch(() => undefined);
        if (!reply?.ok) return;
        if (edit) writer.acked.text = value;
        else if (!writer.acked.emoji.includes(value)) writer.acked.emoji.push(value);
      }
    };
    const pumps = writers.map((_, w) => pump(w));
    await expect
      .poll(() => writers.reduce((n, w) => n + w.acked.emoji.length, 0), { timeout: 20_000 })
      .toBeGreaterThan(60);
    first.child.kill('SIGKILL');
    await first.exited;
    running = false;
    socket.close();
    await Promise.all(pumps);

    const second = await spawnServer({ dataDir });
    try {
      const stored = new Map((await readAll(second.url, token, roomId)).map((m) => [m.seq, m]));
      for (const writer of writers) {
        const message = stored.get(writer.seq) as Message;
        // The last acknowledged edit, or the one in flight when the server died (it may have committed).
        expect([writer.acked.text, writer.inFlight]).toContain(message.text);
        const kept = message.reactions.map((r) => r.emoji);
        for (const e of writer.acked.emoji) expect(kept).toContain(e);
        for (const e of kept) expect([...writer.acked.emoji, writer.inFlight]).toContain(e);
      }
    } finally {
      second.child.kill('SIGKILL');
    }
  }, 90_000);
});
