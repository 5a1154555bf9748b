import http from 'node:http';
import type { FileGrant } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, type TestServer } from '../harness.js';
import { diskKeys, newRoom, pngBomb, signedUrl, spooled, upload, uploaded, statusOf } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    env: {
      UPLOAD_MAX_BYTES: String(200 * 1024),
      UPLOAD_QUOTA_BYTES: String(250 * 1024),
      FILE_LINK_TTL_SECONDS: '1',
    },
  });
});
afterAll(() => server.close());

const nothingLeft = async (roomId: string) => {
  expect(spooled(server.dataDir)).toEqual([]);
  const rows = await server.parley.ctx.store.db
    .selectFrom('files')
    .select('id')
    .where('room_id', '=', roomId)
    .execute();
  return rows.map((row) => row.id);
};

describe('upload limits', () => {
  it('refuses what would take the uploader past the quota, counting what they already store', async () => {
    const ana = await register(server.url);
    const roomId = await newRoom(server.url, ana.token);
    const kept = [
      await uploaded(server.url, ana.token, roomId, { name: 'a.bin', bytes: new Uint8Array(120 * 1024) }),
      await uploaded(server.url, ana.token, roomId, { name: 'b.bin', bytes: new Uint8Array(120 * 1024) }),
    ];
    const third = await upload(server.url, ana.token, roomId, {
      name: 'c.bin',
      bytes: new Uint8Array(120 * 1024),
    });
    expect([third.status, third.body.code]).toEqual([413, 'upload_quota_exceeded']);
    expect((await nothingLeft(roomId)).sort()).toEqual(kept.map((file) => file.id).sort());
    // Someone else's quota is their own.
    const ben = await register(server.url);
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/members`, {
      token: ana.token,
      body: { userId: ben.user.id },
    });
    expect(
      (await upload(server.url, ben.token, roomId, { name: 'c.bin', bytes: new Uint8Array(120 * 1024) }))
        .status,
    ).toBe(201);
  });

  it('refuses an image bomb before decoding it', async () => {
    const ana = await register(server.url);
    const roomId = await newRoom(server.url, ana.token);
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(100 * 1024);
    const reply = await upload(server.url, ana.token, roomId, {
      name: 'bomb.png',
      type: 'image/png',
      bytes: bomb,
    });
    expect([reply.status, reply.body.code]).toEqual([413, 'image_too_large']);
    expect(await nothingLeft(roomId)).toEqual([]);
    expect(diskKeys(server.dataDir)).toEqual(expect.not.arrayContaining([expect.stringMatching(/^$/)]));
  });

  it('cuts a stream that grows past the limit without announcing its length, and keeps nothing', async () => {
    const ana = await register(server.url);
    const roomId = await newRoom(server.url, ana.token);
    const before = diskKeys(server.dataDir);
    const boundary = 'parleyboundary';
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${server.url}/api/chat/rooms/${roomId}/files`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ana.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'transfer-encoding': 'chunked',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="endless.bin"\r\n\r\n`,
      );
      let sent = 0;
      const more = () => {
        // 16 KB at a time, up to 2 MB: far past the 200 KB limit.
        while (sent < 2 * 1024 * 1024) {
          sent += 16 * 1024;
          if (!req.write(Buffer.alloc(16 * 1024, 1))) return req.once('drain', more);
        }
        req.end(`\r\n--${boundary}--\r\n`);
      };
      more();
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).code).toBe('file_too_large');
    expect(await nothingLeft(roomId)).toEqual([]);
    expect(diskKeys(server.dataDir)).toEqual(before);
  });

  it('keeps nothing of an upload cancelled halfway', async () => {
    const ana = await register(server.url);
    const roomId = await newRoom(server.url, ana.token);
    const before = diskKeys(server.dataDir);
    const boundary = 'parleyboundary';
    await new Promise<void>((resolve) => {
      const req = http.request(`${server.url}/api/chat/rooms/${roomId}/files`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ana.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(150 * 1024),
        },
      });
      req.on('error', () => resolve());
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\n\r\n`);
      req.write(Buffer.alloc(40 * 1024, 2), () => setTimeout(() => req.destroy(), 100));
      req.on('close', () => resolve());
    });
    await expect.poll(() => spooled(server.dataDir)).toEqual([]);
    expect(await nothingLeft(roomId)).toEqual([]);
    expect(diskKeys(server.dataDir)).toEqual(before);
  });

  it('refuses a link once its grant has expired', async () => {
    const ana = await register(server.url);
    const roomId = await newRoom(server.url, ana.token);
    const file = await uploaded(server.url, ana.token, roomId, { name: 'a.txt', bytes: Buffer.from('a') });
    const url = await signedUrl(server.url, ana.token, file.url as string, file.id);
    const { expiresAt } = (await api<FileGrant>(server.url, 'GET', '/api/files/grant', { token: ana.token }))
      .body;
    expect(await statusOf(url)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    const expired = await fetch(url);
    expect([expired.status, ((await expired.json()) as { code: string }).code]).toEqual([
      403,
      'file_link_expired',
    ]);
  });
});
