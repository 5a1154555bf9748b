import type { Message, MessageFile } from '@parley/protocol';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { api, connect, nextEvent, register } from '../harness.js';
import {
  animatedGif,
  newRoom,
  phonePhoto,
  png,
  send,
  signedUrl,
  uploaded,
  statusOf,
  useFileServer,
} from './support.js';

for (const storage of ['disk', 's3'] as const) {
  describe(`files on ${storage}`, () => {
    const files = useFileServer(storage);
    const keys = files.keys;

    it('uploads a photo, sends it, and a member sees it with its size, thumbnail and no location', async () => {
      const ana = await register(files.server.url);
      const ben = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token, ben.token);
      const photo = await phonePhoto(64, 32);
      const file = await uploaded(files.server.url, ana.token, roomId, {
        name: 'beach.jpg',
        type: 'image/jpeg',
        bytes: photo,
      });
      expect(file).toMatchObject({ name: 'beach.jpg', type: 'image/jpeg', width: 32, height: 64, roomId });
      expect(await keys()).toEqual(expect.arrayContaining([file.id, `${file.id}.t`]));

      const benSocket = await connect(files.server.url, ben.token);
      const heard = nextEvent(benSocket, 'message:new', (m) => m.roomId === roomId);
      const sent = await send(files.server.url, ana.token, roomId, [file.id]);
      expect(sent.status).toBe(201);
      expect(sent.body.message.text).toBe('');
      const broadcast = await heard;
      benSocket.close();
      // The broadcast carries the bare path (framed once for everyone); each client signs it itself.
      expect(broadcast.files).toEqual([
        expect.objectContaining({ id: file.id, name: 'beach.jpg', size: file.size, width: 32, height: 64 }),
      ]);
      expect(broadcast.files[0]?.url).not.toContain('?');

      const [shown] = broadcast.files as [MessageFile];
      const original = await fetch(
        await signedUrl(files.server.url, ben.token, shown.url as string, shown.id),
      );
      expect(original.status).toBe(200);
      expect(original.headers.get('content-type')).toBe('image/jpeg');
      expect(original.headers.get('x-content-type-options')).toBe('nosniff');
      expect(original.headers.get('content-security-policy')).toContain('sandbox');
      // Only this origin's pages embed it (no CORS_ORIGINS here; web/test/hosting.test.ts has the other case).
      expect(original.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      const bytes = Buffer.from(await original.arrayBuffer());
      expect(bytes.includes(Buffer.from('Parley Phone'))).toBe(false);
      const meta = await sharp(bytes).metadata();
      expect([meta.width, meta.height, meta.exif, meta.orientation ?? 1]).toEqual([32, 64, undefined, 1]);

      const thumb = await fetch(
        await signedUrl(files.server.url, ben.token, shown.thumbUrl as string, shown.id),
      );
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
      expect([thumbMeta.format, thumbMeta.width, thumbMeta.height, thumbMeta.exif]).toEqual([
        'webp',
        32,
        64,
        undefined,
      ]);

      // History, a reply to one caller, comes with URLs already signed for them.
      const history = await api<{ messages: Message[] }>(
        files.server.url,
        'GET',
        `/api/chat/rooms/${roomId}/messages`,
        {
          token: ben.token,
        },
      );
      const inHistory = history.body.messages.at(-1)?.files[0];
      expect(inHistory?.url).toMatch(/\?g=.+&s=/);
      expect(await statusOf(files.server.url + inHistory?.url)).toBe(200);
    });

    it('refuses the file to someone outside the room, and to a member who left', async () => {
      const ana = await register(files.server.url);
      const eve = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token, eve.token);
      const file = await uploaded(files.server.url, ana.token, roomId, {
        name: 'notes.txt',
        type: 'text/plain',
        bytes: Buffer.from('secret plans'),
      });
      await send(files.server.url, ana.token, roomId, [file.id]);
      const outsider = await register(files.server.url);
      const theirs = await fetch(
        await signedUrl(files.server.url, outsider.token, file.url as string, file.id),
      );
      expect([theirs.status, ((await theirs.json()) as { code: string }).code]).toEqual([
        404,
        'file_not_found',
      ]);

      const whileMember = await signedUrl(files.server.url, eve.token, file.url as string, file.id);
      expect(await statusOf(whileMember)).toBe(200);
      await api(files.server.url, 'POST', `/api/chat/rooms/${roomId}/leave`, { token: eve.token });
      expect(await statusOf(whileMember)).toBe(404);
    });

    it('refuses a tampered link: another file, another viewer, a longer expiry', async () => {
      const ana = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token);
      const one = await uploaded(files.server.url, ana.token, roomId, {
        name: 'a.png',
        type: 'image/png',
        bytes: await png(),
      });
      const two = await uploaded(files.server.url, ana.token, roomId, {
        name: 'b.png',
        type: 'image/png',
        bytes: await png(),
      });
      const link = new URL(await signedUrl(files.server.url, ana.token, one.url as string, one.id));
      const [user, session, expires] = (link.searchParams.get('g') as string).split('.');
      const tampered = [
        `${files.server.url}${two.url?.split('?')[0]}${link.search}`,
        `${link.origin}${link.pathname}?g=${user}.${session}.${Number(expires) + 3600}&s=${link.searchParams.get('s')}`,
        `${link.origin}${link.pathname}?g=someoneelse.${session}.${expires}&s=${link.searchParams.get('s')}`,
        `${link.origin}${link.pathname}?g=${link.searchParams.get('g')}&s=AAAAAAAAAAAAAAAAAAAAAA`,
        `${link.origin}${link.pathname}`,
      ];
      for (const url of tampered) {
        const reply = await fetch(url);
        expect([reply.status, ((await reply.json()) as { code: string }).code], url).toEqual([
          403,
          'file_link_invalid',
        ]);
        expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      }
    });

    it('serves byte ranges of a file', async () => {
      const ana = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token);
      const text = 'The quick brown fox jumps over the lazy dog';
      const file = await uploaded(files.server.url, ana.token, roomId, {
        name: 'fox.txt',
        bytes: Buffer.from(text),
      });
      const url = await signedUrl(files.server.url, ana.token, file.url as string, file.id);
      const part = await fetch(url, { headers: { range: 'bytes=4-8' } });
      expect([part.status, part.headers.get('content-range'), await part.text()]).toEqual([
        206,
        `bytes 4-8/${text.length}`,
        'quick',
      ]);
      const tail = await fetch(url, { headers: { range: 'bytes=-3' } });
      expect(await tail.text()).toBe('dog');
      const outside = await fetch(url, { headers: { range: `bytes=${text.length}-` } });
      expect(outside.status).toBe(416);
    });

    it('keeps an animated GIF animated, with an animated thumbnail', async () => {
      const ana = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token);
      const gif = await animatedGif();
      const file = await uploaded(files.server.url, ana.token, roomId, {
        name: 'blink.gif',
        type: 'image/gif',
        bytes: gif,
      });
      expect([file.width, file.height]).toEqual([20, 20]);
      const original = Buffer.from(
        await (
          await fetch(await signedUrl(files.server.url, ana.token, file.url as string, file.id))
        ).arrayBuffer(),
      );
      expect(original.equals(gif)).toBe(true);
      const thumb = await fetch(
        await signedUrl(files.server.url, ana.token, file.thumbUrl as string, file.id),
      );
      const meta = await sharp(Buffer.from(await thumb.arrayBuffer()), { animated: true }).metadata();
      expect([meta.format, meta.pages]).toEqual(['webp', 2]);
    });

    it('serves anything but images and a few safe types as an inert download', async () => {
      const ana = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token);
      const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
      const file = await uploaded(files.server.url, ana.token, roomId, {
        name: 'logo.svg',
        type: 'image/svg+xml',
        bytes: Buffer.from(svg),
      });
      expect(file.thumbUrl).toBeUndefined();
      const reply = await fetch(await signedUrl(files.server.url, ana.token, file.url as string, file.id));
      expect(reply.headers.get('content-type')).toBe('application/octet-stream');
      expect(reply.headers.get('content-disposition')).toMatch(/^attachment; filename="logo.svg"/);
      expect(reply.headers.get('content-security-policy')).toMatch(/sandbox/);
    });
  });
}
