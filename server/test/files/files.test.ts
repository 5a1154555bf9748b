import type { Message, MessageFile } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, nextEvent, register, request, startServer, type TestServer } from '../harness.js';
import {
  animatedGif,
  diskKeys,
  newRoom,
  phonePhoto,
  png,
  send,
  signedUrl,
  spooled,
  startS3,
  upload,
  uploaded,
} from './support.js';

for (const storage of ['disk', 's3'] as const) {
  describe(`files on ${storage}`, () => {
    let server: TestServer;
    let s3: Awaited<ReturnType<typeof startS3>> | undefined;
    const keys = async () => (s3 ? s3.keys() : diskKeys(server.dataDir));

    beforeAll(async () => {
      s3 = storage === 's3' ? await startS3() : undefined;
      server = await startServer({ env: { ...s3?.env, UPLOAD_MAX_BYTES: String(300 * 1024) } });
    });
    afterAll(async () => {
      await server.close();
      await s3?.close();
    });

    it('uploads a photo, sends it, and a member sees it with its size, thumbnail and no location', async () => {
      const ana = await register(server.url);
      const ben = await register(server.url);
      const roomId = await newRoom(server.url, ana.token, ben.token);
      const photo = await phonePhoto(64, 32);
      const file = await uploaded(server.url, ana.token, roomId, {
        name: 'beach.jpg',
        type: 'image/jpeg',
        bytes: photo,
      });
      expect(file).toMatchObject({ name: 'beach.jpg', type: 'image/jpeg', width: 32, height: 64, roomId });
      expect(await keys()).toEqual(expect.arrayContaining([file.id, `${file.id}.t`]));

      const benSocket = await connect(server.url, ben.token);
      const heard = nextEvent(benSocket, 'message:new', (m) => m.roomId === roomId);
      const sent = await send(server.url, ana.token, roomId, [file.id]);
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
      const original = await fetch(await signedUrl(server.url, ben.token, shown.url as string, shown.id));
      expect(original.status).toBe(200);
      expect(original.headers.get('content-type')).toBe('image/jpeg');
      expect(original.headers.get('x-content-type-options')).toBe('nosniff');
      expect(original.headers.get('content-security-policy')).toContain('sandbox');
      const bytes = Buffer.from(await original.arrayBuffer());
      expect(bytes.includes(Buffer.from('Parley Phone'))).toBe(false);
      const meta = await sharp(bytes).metadata();
      expect([meta.width, meta.height, meta.exif, meta.orientation ?? 1]).toEqual([32, 64, undefined, 1]);

      const thumb = await fetch(await signedUrl(server.url, ben.token, shown.thumbUrl as string, shown.id));
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
        server.url,
        'GET',
        `/api/chat/rooms/${roomId}/messages`,
        {
          token: ben.token,
        },
      );
      const inHistory = history.body.messages.at(-1)?.files[0];
      expect(inHistory?.url).toMatch(/\?g=.+&s=/);
      expect((await fetch(server.url + inHistory?.url)).status).toBe(200);
    });

    it('refuses the file to someone outside the room, and to a member who left', async () => {
      const ana = await register(server.url);
      const eve = await register(server.url);
      const roomId = await newRoom(server.url, ana.token, eve.token);
      const file = await uploaded(server.url, ana.token, roomId, {
        name: 'notes.txt',
        type: 'text/plain',
        bytes: Buffer.from('secret plans'),
      });
      await send(server.url, ana.token, roomId, [file.id]);
      const outsider = await register(server.url);
      const theirs = await fetch(await signedUrl(server.url, outsider.token, file.url as string, file.id));
      expect([theirs.status, ((await theirs.json()) as { code: string }).code]).toEqual([
        404,
        'file_not_found',
      ]);

      const whileMember = await signedUrl(server.url, eve.token, file.url as string, file.id);
      expect((await fetch(whileMember)).status).toBe(200);
      await api(server.url, 'POST', `/api/chat/rooms/${roomId}/leave`, { token: eve.token });
      expect((await fetch(whileMember)).status).toBe(404);
    });

    it('refuses a tampered link: another file, another viewer, a longer expiry', async () => {
      const ana = await register(server.url);
      const roomId = await newRoom(server.url, ana.token);
      const one = await uploaded(server.url, ana.token, roomId, {
        name: 'a.png',
        type: 'image/png',
        bytes: await png(),
      });
      const two = await uploaded(server.url, ana.token, roomId, {
        name: 'b.png',
        type: 'image/png',
        bytes: await png(),
      });
      const link = new URL(await signedUrl(server.url, ana.token, one.url as string, one.id));
      const [user, session, expires] = (link.searchParams.get('g') as string).split('.');
      const tampered = [
        `${server.url}${two.url?.split('?')[0]}${link.search}`,
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
      const ana = await register(server.url);
      const roomId = await newRoom(server.url, ana.token);
      const text = 'The quick brown fox jumps over the lazy dog';
      const file = await uploaded(server.url, ana.token, roomId, {
        name: 'fox.txt',
        bytes: Buffer.from(text),
      });
      const url = await signedUrl(server.url, ana.token, file.url as string, file.id);
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
      const ana = await register(server.url);
      const roomId = await newRoom(server.url, ana.token);
      const gif = await animatedGif();
      const file = await uploaded(server.url, ana.token, roomId, {
        name: 'blink.gif',
        type: 'image/gif',
        bytes: gif,
      });
      expect([file.width, file.height]).toEqual([20, 20]);
      const original = Buffer.from(
        await (
          await fetch(await signedUrl(server.url, ana.token, file.url as string, file.id))
        ).arrayBuffer(),
      );
      expect(original.equals(gif)).toBe(true);
      const thumb = await fetch(await signedUrl(server.url, ana.token, file.thumbUrl as string, file.id));
      const meta = await sharp(Buffer.from(await thumb.arrayBuffer()), { animated: true }).metadata();
      expect([meta.format, meta.pages]).toEqual(['webp', 2]);
    });

    it('serves anything but images and a few safe types as an inert download', async () => {
      const ana = await register(server.url);
      const roomId = await newRoom(server.url, ana.token);
      const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
      const file = await uploaded(server.url, ana.token, roomId, {
        name: 'logo.svg',
        type: 'image/svg+xml',
        bytes: Buffer.from(svg),
      });
      expect(file.thumbUrl).toBeUndefined();
      const reply = await fetch(await signedUrl(server.url, ana.token, file.url as string, file.id));
      expect(reply.headers.get('content-type')).toBe('application/octet-stream');
      expect(reply.headers.get('content-disposition')).toMatch(/^attachment; filename="logo.svg"/);
      expect(reply.headers.get('content-security-policy')).toMatch(/sandbox/);
    });

    it('refuses bad uploads with a code and leaves nothing behind', async () => {
      const ana = await register(server.url);
      const roomId = await newRoom(server.url, ana.token);
      const before = await keys();
      const cases: [string, Parameters<typeof upload>[3], number, string][] = [
        ['empty', { name: 'empty.txt', bytes: new Uint8Array() }, 400, 'file_empty'],
        ['too big', { name: 'big.bin', bytes: new Uint8Array(300 * 1024 + 1) }, 413, 'file_too_large'],
        [
          'a lying extension',
          { name: 'cat.png', type: 'image/png', bytes: Buffer.from('<html><script>alert(1)</script>') },
          400,
          'file_type_mismatch',
        ],
        [
          'a lying type',
          { name: 'cat', type: 'image/jpeg', bytes: Buffer.from('%PDF-1.4 not a jpeg at all') },
          400,
          'file_type_mismatch',
        ],
        [
          'a traversal name',
          { name: '../../etc/passwd', bytes: Buffer.from('root:x:0:0') },
          400,
          'invalid_file_name',
        ],
        [
          'a broken image',
          { name: 'broken.png', bytes: (await png()).subarray(0, 60) },
          400,
          'invalid_image',
        ],
      ];
      for (const [what, file, status, code] of cases) {
        const reply = await upload(server.url, ana.token, roomId, file);
        expect([reply.status, reply.body.code], what).toEqual([status, code]);
      }
      expect(await keys()).toEqual(before);
      expect(spooled(server.dataDir)).toEqual([]);
      const rows = await server.parley.ctx.store.db
        .selectFrom('files')
        .selectAll()
        .where('room_id', '=', roomId)
        .execute();
      expect(rows).toEqual([]);
    });

    it('attaches only the sender’s own uploads to that room, once', async () => {
      const ana = await register(server.url);
      const ben = await register(server.url);
      const roomId = await newRoom(server.url, ana.token, ben.token);
      const otherRoom = await newRoom(server.url, ana.token);
      const anas = await uploaded(server.url, ana.token, roomId, { name: 'a.txt', bytes: Buffer.from('a') });
      const elsewhere = await uploaded(server.url, ana.token, otherRoom, {
        name: 'b.txt',
        bytes: Buffer.from('b'),
      });
      expect((await send(server.url, ben.token, roomId, [anas.id])).body.code).toBe('file_not_found');
      expect((await send(server.url, ana.token, roomId, [elsewhere.id])).body.code).toBe('file_not_found');
      expect((await send(server.url, ana.token, roomId, ['nosuchfile'])).body.code).toBe('file_not_found');

      // Two sends racing for one file: exactly one message gets it.
      const sockets = await Promise.all([connect(server.url, ana.token), connect(server.url, ana.token)]);
      const acks = await Promise.all(
        sockets.map((socket, i) =>
          request(socket, 'message:send', {
            roomId,
            text: `race ${i}`,
            clientId: `race-${i}`,
            files: [anas.id],
          }),
        ),
      );
      for (const socket of sockets) socket.close();
      const outcomes = acks.map((ack) => (ack.ok ? 'sent' : ack.error.code)).sort();
      expect(outcomes).toEqual(['file_attached', 'sent']);
      // A retry of the send that won gets its message back, files and all.
      const winner = acks.findIndex((ack) => ack.ok);
      const socket = await connect(server.url, ana.token);
      const retry = await request(socket, 'message:send', {
        roomId,
        text: `race ${winner}`,
        clientId: `race-${winner}`,
        files: [anas.id],
      });
      socket.close();
      expect(retry.ok && (retry.message as Message).files.map((f) => f.id)).toEqual([anas.id]);
    });

    it('deletes a deleted message’s files and a cleared history’s from storage', async () => {
      const ana = await register(server.url);
      const roomId = await newRoom(server.url, ana.token);
      const photo = await uploaded(server.url, ana.token, roomId, { name: 'p.png', bytes: await png() });
      const doc = await uploaded(server.url, ana.token, roomId, { name: 'd.txt', bytes: Buffer.from('doc') });
      const kept = await uploaded(server.url, ana.token, roomId, {
        name: 'k.txt',
        bytes: Buffer.from('later'),
      });
      const one = (await send(server.url, ana.token, roomId, [photo.id], 'a photo')).body.message;
      await send(server.url, ana.token, roomId, [doc.id]);
      const link = await signedUrl(server.url, ana.token, photo.url as string, photo.id);
      expect(await keys()).toEqual(expect.arrayContaining([photo.id, `${photo.id}.t`, doc.id]));

      const deleted = await api<{ message: Message }>(
        server.url,
        'DELETE',
        `/api/chat/rooms/${roomId}/messages/${one.seq}`,
        {
          token: ana.token,
        },
      );
      expect(deleted.body.message).toMatchObject({ deleted: true, files: [] });
      await expect.poll(keys).not.toContain(photo.id);
      expect(await keys()).not.toContain(`${photo.id}.t`);
      expect((await fetch(link)).status).toBe(404);

      await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/messages`, { token: ana.token });
      await expect.poll(keys).not.toContain(doc.id);
      // An upload not yet sent is the uploader's, not the history's.
      expect(await keys()).toContain(kept.id);
    });

    it('removes uploads never attached, once they are a day old', async () => {
      const ana = await register(server.url);
      const roomId = await newRoom(server.url, ana.token);
      const pending = await uploaded(server.url, ana.token, roomId, {
        name: 'p.txt',
        bytes: Buffer.from('p'),
      });
      const { ctx } = server.parley;
      const { sweepFiles } = await import('../../src/domain/files/lifecycle.js');
      await sweepFiles(ctx);
      expect(await keys()).toContain(pending.id);
      const dayAgo = new Date(Date.now() - 86_401_000).toISOString();
      await ctx.store.db
        .updateTable('files')
        .set({ created_at: dayAgo })
        .where('id', '=', pending.id)
        .execute();
      await sweepFiles(ctx);
      expect(await keys()).not.toContain(pending.id);
      expect((await send(server.url, ana.token, roomId, [pending.id])).body.code).toBe('file_not_found');
    });

    it('reports stored bytes in /metrics', async () => {
      const ana = await register(server.url);
      const roomId = await newRoom(server.url, ana.token);
      const read = async () => {
        const text = (await api<string>(server.url, 'GET', '/metrics')).body;
        return Number(/parley_file_bytes\{kind="file"\} (\d+)/.exec(text)?.[1]);
      };
      const before = await read();
      await uploaded(server.url, ana.token, roomId, { name: 'm.txt', bytes: Buffer.alloc(1000, 97) });
      expect(await read()).toBe(before + 1000);
    });
  });
}
