import type { Message, SyncReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, nextEvent, request, startServer, type TestServer } from '../harness.js';
import { until } from '../scale/cluster.js';
import { type Person, people, roomWith } from '../moderation/support.js';

let server: TestServer;
let cast: Record<'admin' | 'owner' | 'reader', Person>;

beforeAll(async () => {
  server = await startServer({ env: { RETENTION_INTERVAL_MS: '200' } });
  cast = await people(server, 'admin', 'owner', 'reader');
});
afterAll(() => server.close());

describe('retention', () => {
  it('deletes messages past the retention period in batches, and a client’s sync afterwards agrees', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.reader] });
    const writer = await connect(server.url, cast.owner.token);
    const sent: Message[] = [];
    for (let start = 0; start < 1_100; start += 100) {
      const acks = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          request(writer, 'message:send', { roomId, text: `m${start + i}`, clientId: `r${start + i}` }),
        ),
      );
      sent.push(...acks.map((ack) => (ack as unknown as { message: Message }).message));
    }
    writer.close();
    const lastSeen = sent.reduce((max, message) => Math.max(max, message.rev), 0);
    // The first 1,050 messages are made two days old, as if the server had been running that long.
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await server.parley.ctx.store.db
      .updateTable('messages')
      .set({ created_at: twoDaysAgo })
      .where('room_id', '=', roomId)
      .where('seq', '<=', 1_050)
      .execute();

    const online = await connect(server.url, cast.reader.token);
    try {
      const told = nextEvent(
        online,
        'room:cleared',
        (event) => event.roomId === roomId && event.seq === 1_050,
        15_000,
      );
      const set = await api(server.url, 'PATCH', '/api/admin/settings', {
        token: cast.admin.token,
        body: { retentionDays: 1, confirmRetentionDays: 1 },
      });
      expect(set.status).toBe(200);
      expect((await told).seq).toBe(1_050);
      await until('retention to finish', async () => {
        const page = await api<{ messages: Message[] }>(
          server.url,
          'GET',
          `/api/chat/rooms/${roomId}/messages?after=0&limit=5`,
          {
            token: cast.reader.token,
          },
        );
        return page.body.messages[0]?.seq === 1_051;
      });
      // A client that had everything up to the last rev learns the floor, and keeps the rest.
      const reply = (await request(online, 'sync', {
        since: { [roomId]: 1_100 },
        revs: { [roomId]: lastSeen },
      })) as unknown as SyncReply & { ok: boolean };
      expect(reply.ok).toBe(true);
      expect(reply.cleared?.[roomId]?.seq).toBe(1_050);
      expect(reply.messages[roomId]).toEqual([]);
      // A client that was away from the start gets only what is left.
      const fresh = (await request(online, 'sync', {
        since: { [roomId]: 0 },
        revs: { [roomId]: 0 },
      })) as unknown as SyncReply;
      const left = fresh.messages[roomId] ?? [];
      expect(left.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 1_051 + i));
      const stored = await server.parley.ctx.store.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('room_id', '=', roomId)
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(50);
      const log = await api<{ entries: { action: string }[] }>(
        server.url,
        'GET',
        '/api/admin/audit?action=settings',
        {
          token: cast.admin.token,
        },
      );
      expect(log.body.entries[0]?.action).toBe('settings.update');
    } finally {
      online.close();
      await api(server.url, 'PATCH', '/api/admin/settings', {
        token: cast.admin.token,
        body: { retentionDays: null },
      });
    }
  });
});
