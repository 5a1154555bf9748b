import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { api, connect, register, request } from '../harness.js';
import {
  newRoom,
  png,
  send,
  signedUrl,
  spooled,
  upload,
  uploaded,
  statusOf,
  useFileServer,
} from './support.js';

for (const storage of ['disk', 's3'] as const) {
  describe(`file lifecycle on ${storage}`, () => {
    const files = useFileServer(storage);
    const keys = files.keys;

    it('refuses bad uploads with a code and leaves nothing behind', async () => {
      const ana = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token);
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
        const reply = await upload(files.server.url, ana.token, roomId, file);
        expect([reply.status, reply.body.code], what).toEqual([status, code]);
      }
      expect(await keys()).toEqual(before);
      expect(spooled(files.server.dataDir)).toEqual([]);
      const rows = await files.server.parley.ctx.store.db
        .selectFrom('files')
        .selectAll()
        .where('room_id', '=', roomId)
        .execute();
      expect(rows).toEqual([]);
    });

    it('attaches only the sender’s own uploads to that room, once', async () => {
      const ana = await register(files.server.url);
      const ben = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token, ben.token);
      const otherRoom = await newRoom(files.server.url, ana.token);
      const anas = await uploaded(files.server.url, ana.token, roomId, {
        name: 'a.txt',
        bytes: Buffer.from('a'),
      });
      const elsewhere = await uploaded(files.server.url, ana.token, otherRoom, {
        name: 'b.txt',
        bytes: Buffer.from('b'),
      });
      expect((await send(files.server.url, ben.token, roomId, [anas.id])).body.code).toBe('file_not_found');
      expect((await send(files.server.url, ana.token, roomId, [elsewhere.id])).body.code).toBe(
        'file_not_found',
      );
      expect((await send(files.server.url, ana.token, roomId, ['nosuchfile'])).body.code).toBe(
        'file_not_found',
      );

      // Two sends racing for one file: exactly one message gets it.
      const sockets = await Promise.all([
        connect(files.server.url, ana.token),
        connect(files.server.url, ana.token),
      ]);
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
      const socket = await connect(files.server.url, ana.token);
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
      const ana = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token);
      const photo = await uploaded(files.server.url, ana.token, roomId, {
        name: 'p.png',
        bytes: await png(),
      });
      const doc = await uploaded(files.server.url, ana.token, roomId, {
        name: 'd.txt',
        bytes: Buffer.from('doc'),
      });
      const kept = await uploaded(files.server.url, ana.token, roomId, {
        name: 'k.txt',
        bytes: Buffer.from('later'),
      });
      const one = (await send(files.server.url, ana.token, roomId, [photo.id], 'a photo')).body.message;
      await send(files.server.url, ana.token, roomId, [doc.id]);
      const link = await signedUrl(files.server.url, ana.token, photo.url as string, photo.id);
      expect(await keys()).toEqual(expect.arrayContaining([photo.id, `${photo.id}.t`, doc.id]));

      const deleted = await api<{ message: Message }>(
        files.server.url,
        'DELETE',
        `/api/chat/rooms/${roomId}/messages/${one.seq}`,
        {
          token: ana.token,
        },
      );
      expect(deleted.body.message).toMatchObject({ deleted: true, files: [] });
      await expect.poll(keys).not.toContain(photo.id);
      expect(await keys()).not.toContain(`${photo.id}.t`);
      expect(await statusOf(link)).toBe(404);

      await api(files.server.url, 'DELETE', `/api/chat/rooms/${roomId}/messages`, { token: ana.token });
      await expect.poll(keys).not.toContain(doc.id);
      // An upload not yet sent is the uploader's, not the history's.
      expect(await keys()).toContain(kept.id);
    });

    it('removes uploads never attached, once they are a day old', async () => {
      const ana = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token);
      const pending = await uploaded(files.server.url, ana.token, roomId, {
        name: 'p.txt',
        bytes: Buffer.from('p'),
      });
      const { ctx } = files.server.parley;
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
      expect((await send(files.server.url, ana.token, roomId, [pending.id])).body.code).toBe(
        'file_not_found',
      );
    });

    it('reports stored bytes in /metrics', async () => {
      const ana = await register(files.server.url);
      const roomId = await newRoom(files.server.url, ana.token);
      const read = async () => {
        const text = (await api<string>(files.server.url, 'GET', '/metrics')).body;
        return Number(/parley_file_bytes\{kind="file"\} (\d+)/.exec(text)?.[1]);
      };
      const before = await read();
      await uploaded(files.server.url, ana.token, roomId, { name: 'm.txt', bytes: Buffer.alloc(1000, 97) });
      expect(await read()).toBe(before + 1000);
    });
  });
}
