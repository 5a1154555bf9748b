import type { Room } from '@parley/protocol';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  defaultRoomId,
  looseLimits,
  record,
  register,
  request,
  roundTrip,
  startServer,
  type TestServer,
} from '../harness.js';
import { type Person, people } from './support.js';

/** Small buckets, so that each limit is reached in a few calls. */
const tight = {
  ...looseLimits,
  RATE_TYPING: '3/60s',
  RATE_ROOM_CREATE: '2/1h',
  RATE_MEMBER_ADD: '2/1h',
  RATE_DM_OPEN: '2/1h',
  RATE_REPORT: '1/1h',
  RATE_MODERATE: '3/1h',
  MAX_SOCKETS_PER_USER: '3',
  MAX_PENDING_SOCKETS_PER_IP: '3',
  HANDSHAKE_TIMEOUT_MS: '400',
};

let server: TestServer;
let cast: Record<'admin' | 'flooder' | 'calm', Person>;

beforeAll(async () => {
  server = await startServer({ env: tight });
  cast = await people(server, 'admin', 'flooder', 'calm');
});
afterAll(() => server.close());

function expectLimited(reply: { status: number; body: unknown; headers: Headers }) {
  expect(reply.status).toBe(429);
  expect(reply.body).toMatchObject({ code: 'rate_limited', retryAfter: expect.any(Number) });
  expect((reply.body as { retryAfter: number }).retryAfter).toBeGreaterThan(0);
  expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe('abuse limits', () => {
  it('limits typing updates per user, answering rate_limited with retryAfter; others type on', async () => {
    const roomId = await defaultRoomId(server.url, cast.flooder.token);
    const [flooder, calm] = await Promise.all([
      connect(server.url, cast.flooder.token),
      connect(server.url, cast.calm.token),
    ]);
    try {
      const acks = [];
      for (let i = 0; i < 5; i++)
        acks.push(await request(flooder, 'typing', { roomId, typing: i % 2 === 0 }));
      expect(acks.slice(0, 3).every((ack) => ack.ok)).toBe(true);
      expect(acks[3]).toMatchObject({
        ok: false,
        error: { code: 'rate_limited', retryAfter: expect.any(Number) },
      });
      expect(acks[4]?.ok).toBe(false);
      expect((await request(calm, 'typing', { roomId, typing: true })).ok).toBe(true);
    } finally {
      flooder.close();
      calm.close();
    }
  });

  it('limits room creation, adding people and new DMs, each with its own bucket', async () => {
    const make = (i: number) =>
      api(server.url, 'POST', '/api/chat/rooms', {
        token: cast.flooder.token,
        body: { name: `flood ${i} ${Math.random()}`, visibility: 'private' },
      });
    expect((await make(1)).status).toBe(201);
    const second = await make(2);
    expect(second.status).toBe(201);
    expectLimited(await make(3));
    const roomId = (second.body as { room: Room }).room.id;

    const victims = await Promise.all([1, 2, 3].map(() => register(server.url)));
    const add = (victim: Person) =>
      api(server.url, 'POST', `/api/chat/rooms/${roomId}/members`, {
        token: cast.flooder.token,
        body: { userId: victim.user.id },
      });
    expect((await add(victims[0] as Person)).status).toBe(204);
    expect((await add(victims[1] as Person)).status).toBe(204);
    expectLimited(await add(victims[2] as Person));

    const dm = (victim: Person) =>
      api(server.url, 'POST', '/api/dms', { token: cast.flooder.token, body: { userId: victim.user.id } });
    expect((await dm(victims[0] as Person)).status).toBe(200);
    expect((await dm(victims[1] as Person)).status).toBe(200);
    // Opening a DM that exists costs nothing; a new one is over the limit.
    expect((await dm(victims[0] as Person)).status).toBe(200);
    expectLimited(await dm(victims[2] as Person));
    // The calm user's buckets are their own.
    expect(
      (
        await api(server.url, 'POST', '/api/dms', {
          token: cast.calm.token,
          body: { userId: cast.flooder.user.id },
        })
      ).status,
    ).toBe(200);
  });

  it('limits reports and moderation actions', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => register(server.url)));
    const made = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
      token: cast.calm.token,
      body: { name: `reports ${Math.random()}` },
    });
    const roomId = made.body.room.id;
    for (const person of [a, b, c] as Person[]) {
      await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: person.token });
    }
    const socket = await connect(server.url, (a as Person).token);
    const seqs: number[] = [];
    for (const text of ['meh', 'meh again']) {
      const sent = await request(socket, 'message:send', { roomId, text, clientId: `${text}${Date.now()}` });
      seqs.push((sent as unknown as { message: { seq: number } }).message.seq);
    }
    socket.close();
    const report = (seq: number | undefined) =>
      api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages/${seq}/report`, {
        token: (b as Person).token,
        body: {},
      });
    expect((await report(seqs[0])).status).toBe(201);
    // A second report of the same message by the same person answers the first, costing nothing.
    expect((await report(seqs[0])).status).toBe(201);
    expectLimited(await report(seqs[1]));
    const mute = (person: Person) =>
      api(server.url, 'POST', `/api/chat/rooms/${roomId}/mutes`, {
        token: cast.calm.token,
        body: { userId: person.user.id },
      });
    expect((await mute(a as Person)).status).toBe(200);
    expect((await mute(b as Person)).status).toBe(200);
    expect((await mute(c as Person)).status).toBe(200);
    expectLimited(await mute(a as Person));
  });

  it('caps the sockets one user holds open', async () => {
    const person = await register(server.url);
    const sockets = await Promise.all([1, 2, 3].map(() => connect(server.url, person.token)));
    try {
      await expect(connect(server.url, person.token)).rejects.toThrow('too_many_connections');
      sockets.pop()?.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      sockets.push(await connect(server.url, person.token));
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  it('caps connections that have not signed in per address, and closes them after the handshake timeout', async () => {
    const url = `${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const open = () =>
      new Promise<{ ws: WebSocket; opened: boolean; closedAt: Promise<number> }>((resolve) => {
        const ws = new WebSocket(url);
        const closedAt = new Promise<number>((done) => ws.once('close', () => done(Date.now())));
        ws.once('open', () => resolve({ ws, opened: true, closedAt }));
        ws.once('unexpected-response', () => resolve({ ws, opened: false, closedAt }));
        ws.once('error', () => resolve({ ws, opened: false, closedAt }));
      });
    // A signed-in socket is not held against the address.
    const signedIn = await connect(server.url, cast.calm.token);
    const started = Date.now();
    const idle = [await open(), await open(), await open()];
    expect(idle.every((connection) => connection.opened)).toBe(true);
    const fourth = await open();
    expect(fourth.opened).toBe(false);
    try {
      // None of the three ever sent CONNECT: each is closed once the handshake timeout passes.
      for (const connection of idle) {
        const closed = await connection.closedAt;
        expect(closed - started).toBeGreaterThanOrEqual(350);
        expect(closed - started).toBeLessThan(3_000);
      }
      expect((await open()).opened).toBe(true);
      expect(signedIn.connected).toBe(true);
    } finally {
      signedIn.close();
    }
  });
});

describe('the room list, paged', () => {
  it('gives every room the caller is in, and the public rooms they are not in a page at a time', async () => {
    const other = await startServer();
    try {
      const owner = await register(other.url);
      const reader = await register(other.url);
      const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
      for (const name of names) {
        await api(other.url, 'POST', '/api/chat/rooms', { token: owner.token, body: { name } });
      }
      const mine = await api<{ room: Room }>(other.url, 'POST', '/api/chat/rooms', {
        token: reader.token,
        body: { name: 'zulu secret', visibility: 'private' },
      });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const reply = await api<{ rooms: Room[]; nextCursor?: string }>(
          other.url,
          'GET',
          `/api/chat/rooms?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { token: reader.token },
        );
        pages += 1;
        if (pages === 1) expect(reply.body.rooms.map((room) => room.id)).toContain(mine.body.room.id);
        else expect(reply.body.rooms.every((room) => !room.joined)).toBe(true);
        seen.push(...reply.body.rooms.filter((room) => !room.joined).map((room) => room.name));
        cursor = reply.body.nextCursor;
      } while (cursor);
      // General is joined (new accounts land there); the other two default rooms and the five made here.
      expect(seen.sort()).toEqual([...names, 'Random', 'Tech Talk'].sort());
      expect(pages).toBe(4);
      const bad = await api(other.url, 'GET', '/api/chat/rooms?cursor=%%%', { token: reader.token });
      expect(bad.status).toBe(400);
    } finally {
      await other.close();
    }
  });

  it('announces a burst of public rooms as a few room:created and one rooms:changed', async () => {
    const other = await startServer();
    try {
      const maker = await register(other.url);
      const watcher = await register(other.url);
      const socket = await connect(other.url, watcher.token);
      const created = record(socket, 'room:created');
      const changed = record(socket, 'rooms:changed');
      try {
        for (let i = 0; i < 12; i++) {
          await api(other.url, 'POST', '/api/chat/rooms', {
            token: maker.token,
            body: { name: `burst ${i}` },
          });
        }
        await roundTrip(socket);
        expect(created).toHaveLength(5);
        await new Promise((resolve) => setTimeout(resolve, 5_200));
        expect(changed).toEqual([{ created: 7 }]);
      } finally {
        socket.close();
      }
    } finally {
      await other.close();
    }
  });
});
