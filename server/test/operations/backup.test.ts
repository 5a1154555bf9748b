import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ClientSocket,
  connect,
  defaultRoomId,
  register,
  request,
  startServer,
  type TestServer,
  tempDir,
} from '../harness.js';
import { parley } from './cli.js';

// SQLite in both passes: on PostgreSQL, backups are pg_dump's (cli.test.ts checks what it says).
const sqlite = { DATABASE_URL: '', JWT_SECRET: '' };
const servers: TestServer[] = [];
const sockets: ClientSocket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.close();
  for (const server of servers) await server.close();
});

describe('parley backup and restore', () => {
  it('copies a running Parley taking 200 messages a second into a backup that restores whole', async () => {
    const dataDir = tempDir();
    const server = await startServer({ dataDir, env: sqlite });
    servers.push(server);
    const senders = await Promise.all([1, 2, 3, 4].map(() => register(server.url)));
    const roomId = await defaultRoomId(server.url, senders[0]?.token ?? '');
    for (const sender of senders) sockets.push(await connect(server.url, sender.token));

    // Four senders, one message each every 20 ms: 200 a second, each acked one is recorded.
    const acked: string[] = [];
    let sending = true;
    let refused = 0;
    const loops = sockets.map(async (socket, who) => {
      for (let i = 0; sending; i++) {
        const clientId = `s${who}-${i}`;
        const tick = new Promise((resolve) => setTimeout(resolve, 20));
        const ack = await request(socket, 'message:send', { roomId, text: `message ${clientId}`, clientId });
        if (ack.ok) acked.push(clientId);
        else refused++;
        await tick;
      }
    });
    // 1.5 s of load at 200 a second (longer on a loaded machine, where fewer are acked a second).
    const loadStart = Date.now();
    while (acked.length < 300 && Date.now() - loadStart < 15_000) await new Promise((r) => setTimeout(r, 50));
    const ackedBefore = [...acked];
    const rate = Math.round((ackedBefore.length * 1000) / (Date.now() - loadStart));
    const started = Date.now();
    const archive = path.join(tempDir('parley-backups-'), 'parley.tar.gz');
    const made = await parley(['backup', archive], { DATA_DIR: dataDir });
    const tookMs = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    sending = false;
    await Promise.all(loops);
    expect(made.code, made.out).toBe(0);
    expect(refused).toBe(0);
    // The load went on through the backup: messages were acked while it ran and after.
    expect(acked.length).toBeGreaterThan(ackedBefore.length + 20);
    expect(ackedBefore.length).toBeGreaterThan(150);
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);

    const restoredDir = tempDir();
    const restored = await parley(['restore', archive], { DATA_DIR: restoredDir, PORT: '9' });
    expect(restored.code, restored.out).toBe(0);
    const checked = await parley(['check'], { DATA_DIR: restoredDir });
    expect(checked.code, checked.out).toBe(0);
    expect(checked.out).toContain('integrity ok');

    const db = new SQLite(path.join(restoredDir, 'parley.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set(
      (
        db.prepare('SELECT client_id FROM messages WHERE room_id = ?').all(roomId) as { client_id: string }[]
      ).map((row) => row.client_id),
    );
    db.close();
    expect(ackedBefore.filter((clientId) => !stored.has(clientId))).toEqual([]);
    // Its seqs have no gaps: a snapshot of committed transactions, not of pages mid-write.
    const again = await startServer({ dataDir: restoredDir, env: sqlite });
    servers.push(again);
    const { token } = await register(again.url);
    const page = await fetch(`${again.url}/api/chat/rooms/${roomId}/messages?limit=100`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { messages } = (await page.json()) as { messages: { seq: number }[] };
    const seqs = messages.map((message) => message.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    console.log(`backup of ${stored.size} messages under ${rate} acked messages/s took ${tookMs} ms`);
  }, 240_000);

  it('refuses to restore under a running Parley, and sets what was there aside', async () => {
    const dataDir = tempDir();
    const server = await startServer({ dataDir, env: sqlite });
    servers.push(server);
    const archive = path.join(tempDir('parley-backups-'), 'b.tar.gz');
    expect((await parley(['backup', archive], { DATA_DIR: dataDir })).code).toBe(0);
    const refused = await parley(['restore', archive], { DATA_DIR: dataDir, PORT: String(server.port) });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/Parley is running on port \d+: stop it/);
    await server.close();
    const done = await parley(['restore', archive], { DATA_DIR: dataDir, PORT: String(server.port) });
    expect(done.code, done.out).toBe(0);
    const aside = fs.readdirSync(dataDir).filter((name) => name.startsWith('before-restore-'));
    expect(aside).toHaveLength(1);
    expect(fs.existsSync(path.join(dataDir, aside[0] ?? '', 'parley.sqlite'))).toBe(true);
  }, 240_000);
});
