import type { Message, User } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, type TestServer } from '../harness.js';
import { diskKeys, newRoom, phonePhoto, send, statusOf } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function putAvatar(token: string, bytes: Uint8Array, name = 'me.jpg', type = 'image/jpeg') {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const response = await fetch(`${server.url}/api/me/avatar`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as { user: User; code?: string } };
}

describe('avatars', () => {
  it('makes a square avatar without metadata, shows it beside the person, and replaces it', async () => {
    const ana = await register(server.url);
    const first = await putAvatar(ana.token, await phonePhoto(300, 200));
    expect(first.status).toBe(200);
    const avatar = first.body.user.avatar as string;
    expect(avatar).toMatch(/^\/api\/avatars\//);
    const image = await fetch(server.url + avatar);
    expect(image.headers.get('content-type')).toBe('image/webp');
    const bytes = Buffer.from(await image.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([256, 256, undefined]);
    expect(bytes.includes(Buffer.from('Parley Phone'))).toBe(false);

    expect(
      (await api<{ user: User }>(server.url, 'GET', '/api/me', { token: ana.token })).body.user.avatar,
    ).toBe(avatar);
    const roomId = await newRoom(server.url, ana.token);
    const sent = await send(server.url, ana.token, roomId, [], 'hello');
    expect((sent.body.message as Message).author.avatar).toBe(avatar);
    const history = await api<{ messages: Message[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      {
        token: ana.token,
      },
    );
    expect(history.body.messages.at(-1)?.author.avatar).toBe(avatar);

    const second = await putAvatar(ana.token, await phonePhoto(100, 100));
    expect(second.body.user.avatar).not.toBe(avatar);
    expect(await statusOf(server.url + avatar)).toBe(404);
    expect(diskKeys(server.dataDir)).not.toContain(avatar.split('/').at(-1));

    const removed = await api<{ user: User }>(server.url, 'DELETE', '/api/me/avatar', { token: ana.token });
    expect(removed.body.user.avatar).toBeUndefined();
    expect(await statusOf(server.url + (second.body.user.avatar as string))).toBe(404);
  });

  it('refuses an avatar that is not an image', async () => {
    const ana = await register(server.url);
    const reply = await putAvatar(ana.token, Buffer.from('just some text'), 'me.txt', 'text/plain');
    expect([reply.status, reply.body.code]).toEqual([400, 'invalid_image']);
  });
});
