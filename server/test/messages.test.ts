import type { Message, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, nextEvent, register, request, startServer, type TestServer } from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { MAX_MESSAGE_LENGTH: '100' } });
});
afterAll(() => server.close());

async function roomWith(...tokens: string[]): Promise<string> {
  const [owner, ...others] = tokens;
  const { body } = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
    token: owner,
    body: { name: `Room ${Math.random().toString(36).slice(2)}` },
  });
  for (const token of others)
    await api(server.url, 'POST', `/api/chat/rooms/${body.room.id}/join`, { token });
  return body.room.id;
}

describe('messages', () => {
  it('delivers two clients’ messages to both, in the same seq order, acked after commit', async () => {
    const ana = await register(server.url);
    const ben = await register(server.url);
    const roomId = await roomWith(ana.token, ben.token);
    const [anaSocket, benSocket] = await Promise.all([
      connect(server.url, ana.token),
      connect(server.url, ben.token),
    ]);
    const seen = { ana: [] as Message[], ben: [] as Message[] };
    anaSocket.on('message:new', (message) => seen.ana.push(message));
    benSocket.on('message:new', (message) => seen.ben.push(message));

    const acks = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(i % 2 ? benSocket : anaSocket, 'message:send', {
          roomId,
          text: `message ${i}`,
          clientId: `c${i}`,
        }),
      ),
    );
    expect(acks.every((ack) => ack.ok)).toBe(true);
    const ackedSeqs = acks.map((ack) => (ack.ok ? (ack.message as Message).seq : 0)).sort((a, b) => a - b);
    expect(ackedSeqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    const history = await api<{ messages: Message[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages?limit=50`,
      { token: ana.token },
    );
    expect(history.body.messages.map((message) => message.seq)).toEqual(ackedSeqs);
    await expect.poll(() => seen.ana.length).toBe(20);
    await expect.poll(() => seen.ben.length).toBe(20);
    expect(seen.ana.map((m) => [m.seq, m.text])).toEqual(seen.ben.map((m) => [m.seq, m.text]));
    expect(seen.ana.map((m) => m.seq)).toEqual(ackedSeqs);
    anaSocket.close();
    benSocket.close();
  });

  it('stores a resent clientId once and answers with the same message, and refuses it in another room', async () => {
    const ana = await register(server.url);
    const roomId = await roomWith(ana.token);
    const socket = await connect(server.url, ana.token);
    const payload = { roomId, text: 'only once', clientId: 'retry-1' };
    const [first, second] = await Promise.all([
      request(socket, 'message:send', payload),
      request(socket, 'message:send', payload),
    ]);
    const third = await request(socket, 'message:send', payload);
    const rest = await api<{ message: Message }>(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: ana.token,
      body: { text: 'only once', clientId: 'retry-1' },
    });
    const ids = [first, second, third].map((ack) => (ack.ok ? (ack.message as Message).id : 'failed'));
    expect(new Set([...ids, rest.body.message.id]).size).toBe(1);
    const history = await api<{ messages: Message[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      { token: ana.token },
    );
    expect(history.body.messages.map((m) => m.text)).toEqual(['only once']);
    const elsewhere = await roomWith(ana.token);
    const reused = await request(socket, 'message:send', {
      roomId: elsewhere,
      text: 'other room',
      clientId: 'retry-1',
    });
    expect(reused).toMatchObject({ ok: false, error: { code: 'client_id_reused' } });
    socket.close();
  });

  it('sends over REST through the same path, broadcast included', async () => {
    const ana = await register(server.url);
    const ben = await register(server.url);
    const roomId = await roomWith(ana.token, ben.token);
    const benSocket = await connect(server.url, ben.token);
    const heard = nextEvent(benSocket, 'message:new', (m) => m.roomId === roomId);
    const reply = await api<{ message: Message }>(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: ana.token,
      body: { text: 'over http' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({
      roomId,
      seq: 1,
      text: 'over http',
      author: { id: ana.user.id, username: ana.user.username },
    });
    expect(await heard).toEqual(reply.body.message);
    benSocket.close();
  });

  it('trims text, refuses empty text, NUL and text over MAX_MESSAGE_LENGTH, and stores nothing for them', async () => {
    const ana = await register(server.url);
    const roomId = await roomWith(ana.token);
    const socket = await connect(server.url, ana.token);
    const trimmed = await request(socket, 'message:send', { roomId, text: '  padded \n', clientId: 't1' });
    expect(trimmed.ok && (trimmed.message as Message).text).toBe('padded');
    const empty = await request(socket, 'message:send', { roomId, text: ' \n\t ', clientId: 't2' });
    expect(empty).toEqual({ ok: false, error: { code: 'message_empty', message: expect.any(String) } });
    const long = await request(socket, 'message:send', { roomId, text: 'x'.repeat(101), clientId: 't3' });
    expect(long).toEqual({
      ok: false,
      error: { code: 'message_too_long', message: 'Messages are at most 100 characters.' },
    });
    const huge = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: ana.token,
      body: { text: 'x'.repeat(200_000) },
    });
    expect(huge.status).toBe(400);
    const nul = await request(socket, 'message:send', { roomId, text: 'nul\u0000byte', clientId: 't5' });
    expect(nul).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const exact = await request(socket, 'message:send', { roomId, text: 'y'.repeat(100), clientId: 't4' });
    expect(exact.ok).toBe(true);
    const history = await api<{ messages: Message[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      { token: ana.token },
    );
    expect(history.body.messages.map((m) => m.seq)).toEqual([1, 2]);
    socket.close();
  });

  it('refuses a send to a public room the sender has not joined', async () => {
    const ana = await register(server.url);
    const ben = await register(server.url);
    const roomId = await roomWith(ana.token);
    const reply = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: ben.token,
      body: { text: 'hi' },
    });
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ code: 'not_a_member' });
  });

  it('pages history by seq cursor in ascending order, at most 200 a page', async () => {
    const ana = await register(server.url);
    const roomId = await roomWith(ana.token);
    const socket = await connect(server.url, ana.token);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        request(socket, 'message:send', { roomId, text: `m${i + 1}`, clientId: `p${i}` }),
      ),
    );
    const route = `/api/chat/rooms/${roomId}/messages`;
    const get = (query: string) =>
      api<{ messages: Message[]; hasMore: boolean }>(server.url, 'GET', route + query, { token: ana.token });

    const latest = await get('?limit=10');
    expect(latest.body.messages.map((m) => m.seq)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(latest.body.hasMore).toBe(true);
    const older = await get('?before=21&limit=10');
    expect(older.body.messages.map((m) => m.seq)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    const oldest = await get('?before=11&limit=10');
    expect(oldest.body.hasMore).toBe(false);
    const after = await get('?after=25');
    expect(after.body.messages.map((m) => m.seq)).toEqual([26, 27, 28, 29, 30]);
    expect(after.body.hasMore).toBe(false);
    const window = await get('?after=5&before=9');
    expect(window.body.messages.map((m) => m.seq)).toEqual([6, 7, 8]);

    for (const bad of ['?limit=201', '?limit=0', '?before=-1', '?after=abc']) {
      const reply = await get(bad);
      expect(reply.status, bad).toBe(400);
      expect(reply.body).toMatchObject({ code: 'validation_failed' });
    }
    socket.close();
  });

  it('counts unread messages from each member’s read position, not their own', async () => {
    const ana = await register(server.url);
    const ben = await register(server.url);
    const roomId = await roomWith(ana.token, ben.token);
    const anaSocket = await connect(server.url, ana.token);
    const benSocket = await connect(server.url, ben.token);
    for (let i = 0; i < 3; i++)
      await request(anaSocket, 'message:send', { roomId, text: `from ana ${i}`, clientId: `u${i}` });
    await request(benSocket, 'message:send', { roomId, text: 'from ben', clientId: 'b1' });
    const unread = async (token: string) => {
      const reply = await api<{ rooms: Room[] }>(server.url, 'GET', '/api/chat/rooms', { token });
      return reply.body.rooms.find((room) => room.id === roomId)?.unreadCount;
    };
    expect(await unread(ben.token)).toBe(3);
    expect(await unread(ana.token)).toBe(1);

    const otherTab = await connect(server.url, ben.token);
    const moved = nextEvent(otherTab, 'room:read');
    expect(await request(benSocket, 'read', { roomId, seq: 2 })).toEqual({ ok: true });
    expect(await moved).toEqual({ roomId, seq: 2, userId: ben.user.id });
    expect(await unread(ben.token)).toBe(1);
    // Read positions never move back, and a report past the last message is refused.
    await request(benSocket, 'read', { roomId, seq: 1 });
    expect(await unread(ben.token)).toBe(1);
    const beyond = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/read`, {
      token: ben.token,
      body: { seq: 999 },
    });
    expect(beyond.body).toMatchObject({ statusCode: 400, code: 'invalid_seq' });
    expect(await unread(ben.token)).toBe(1);
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/read`, { token: ben.token, body: { seq: 4 } });
    expect(await unread(ben.token)).toBe(0);
    const rooms = await api<{ rooms: Room[] }>(server.url, 'GET', '/api/chat/rooms', { token: ben.token });
    expect(rooms.body.rooms.find((room) => room.id === roomId)).toMatchObject({ readSeq: 4, lastSeq: 4 });
    for (const socket of [anaSocket, benSocket, otherTab]) socket.close();
  });

  it('delivers the same messages, in order and after earlier events, over WebSocket, long-polling and an upgraded connection', async () => {
    // Room broadcasts take a direct path to plain WebSockets (realtime/wire.ts) and Socket.IO's own path
    // otherwise; whichever path each event takes, every client must see the same events in the order
    // they happened.
    const [ana, ben, cat] = await Promise.all([
      register(server.url),
      register(server.url),
      register(server.url),
    ]);
    const roomId = await roomWith(ana.token, ben.token, cat.token);
    const listeners = await Promise.all([
      connect(server.url, ben.token, { transports: ['websocket'] }),
      connect(server.url, ben.token, { transports: ['polling'] }),
      connect(server.url, cat.token, { transports: ['polling', 'websocket'] }),
    ]);
    const logs = listeners.map((socket) => {
      const log: string[] = [];
      socket.on('message:new', (message) => log.push(`message ${message.seq} ${message.text}`));
      socket.on('room:updated', (update) => log.push(`renamed ${update.name}`));
      return log;
    });
    const anaSocket = await connect(server.url, ana.token);
    const expected: string[] = [];
    const acks: Message[] = [];
    for (let round = 0; round < 5; round++) {
      // A rename goes through Socket.IO's path; the burst of sends right after it through the direct one.
      const name = `Round ${round} ${Math.random().toString(36).slice(2, 6)}`;
      await api(server.url, 'PATCH', `/api/chat/rooms/${roomId}`, { token: ana.token, body: { name } });
      expected.push(`renamed ${name}`);
      const burst = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          request(anaSocket, 'message:send', {
            roomId,
            text: `r${round} m${i} ✓ "quoted" \\ ${'x'.repeat(i * 5)}`,
            clientId: `order-${round}-${i}`,
          }),
        ),
      );
      const sent = burst
        .map((ack) => (ack.ok ? (ack.message as Message) : undefined)!)
        .sort((a, b) => a.seq - b.seq);
      acks.push(...sent);
      expected.push(...sent.map((message) => `message ${message.seq} ${message.text}`));
    }
    const lastArrived = Promise.all(
      listeners.map((socket) =>
        nextEvent(socket, 'message:new', (message) => message.text === 'y'.repeat(90)),
      ),
    );
    const last = await request(anaSocket, 'message:send', {
      roomId,
      text: 'y'.repeat(90),
      clientId: 'order-last',
    });
    expected.push(`message ${last.ok ? (last.message as Message).seq : -1} ${'y'.repeat(90)}`);

    await lastArrived;
    for (const log of logs) expect(log).toEqual(expected);
    expect(acks.map((message) => message.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(logs[0]).toHaveLength(66);
    for (const socket of [...listeners, anaSocket]) socket.close();
  });

  it('commits many concurrent sends to one room with gap-free seqs, sharing transactions', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => register(server.url)));
    const roomId = await roomWith(...users.map((user) => user.token));
    const sockets = await Promise.all(users.map((user) => connect(server.url, user.token)));
    const acks = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        request(sockets[i % sockets.length]!, 'message:send', { roomId, text: `n${i}`, clientId: `g${i}` }),
      ),
    );
    const seqs = acks.map((ack) => (ack.ok ? (ack.message as Message).seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    // Group commit: sends that arrived together shared transactions.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const transactions = Number(/^parley_message_batch_size_count (\d+)/m.exec(metrics)?.[1]);
    const stored = Number(/^parley_message_batch_size_sum (\d+)/m.exec(metrics)?.[1]);
    expect(stored).toBeGreaterThanOrEqual(500);
    expect(transactions).toBeLessThan(stored / 2);
    for (const socket of sockets) socket.close();
  });
});
