import type { Message, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ws from 'ws';
import type { ParleySocket } from '../src/realtime/types.js';
import { textFrame } from '../src/realtime/wire.js';
import { api, connect, register, request, startServer, type TestServer } from './harness.js';

// `ws` frames what Engine.IO sends everywhere else; the frames written directly must be the same bytes.
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
};

describe('textFrame', () => {
  it('frames a payload byte for byte as ws does, across the three length forms', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 200_000]) {
      const payload = Buffer.alloc(length, 'a');
      const expected = Buffer.concat(
        Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }),
      );
      expect(textFrame(payload).equals(expected), `length ${length}`).toBe(true);
      expect(textFrame(payload.toString()).equals(expected), `string of length ${length}`).toBe(true);
    }
    // Characters over one byte: the length is in bytes.
    const text = '✓ ünïcödé 🙂'.repeat(20);
    const expected = Buffer.concat(
      Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }),
    );
    expect(textFrame(text).equals(expected)).toBe(true);
  });
});

describe('delivery to a client that stops reading', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { MAX_MESSAGE_LENGTH: '60000' } });
  });
  afterAll(() => server.close());

  it('keeps the order of events while its socket is backed up', async () => {
    // A raw Socket.IO client that pauses its TCP socket: the server's writes back up, Engine.IO queues
    // what it sends, and a message framed for the direct path must wait behind that queue, not jump it.
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const { body } = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
      token: ana.token,
      body: { name: `Backlog ${Math.random().toString(36).slice(2, 8)}` },
    });
    const roomId = body.room.id;
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: ben.token });

    const raw = new ws.WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const events: [string, { seq?: number; text?: string; name?: string }][] = [];
    let connected: () => void = () => {};
    const isConnected = new Promise<void>((resolve) => {
      connected = resolve;
    });
    raw.on('message', (data) => {
      const frame = data.toString();
      if (frame.startsWith('0')) raw.send(`40${JSON.stringify({ token: ben.token })}`);
      else if (frame.startsWith('40')) connected();
      else if (frame === '2') raw.send('3');
      else if (frame.startsWith('42')) events.push(JSON.parse(frame.slice(2)));
    });
    await isConnected;
    const tcp = (raw as unknown as { _socket: import('node:net').Socket })._socket;
    tcp.pause();

    const anaSocket = await connect(server.url, ana.token);
    const expected: string[] = [];
    const big = 'z'.repeat(50_000);
    for (let round = 0; round < 40; round++) {
      const name = `Backlog round ${round}`;
      await api(server.url, 'PATCH', `/api/chat/rooms/${roomId}`, { token: ana.token, body: { name } });
      expected.push(`renamed ${name}`);
      const acks = await Promise.all(
        Array.from({ length: 3 }, (_, i) =>
          request(anaSocket, 'message:send', {
            roomId,
            text: `${round}.${i} ${big}`,
            clientId: `b${round}.${i}`,
          }),
        ),
      );
      const seqs = acks.map((ack) => (ack.ok ? (ack.message as Message).seq : -1)).sort((a, b) => a - b);
      expected.push(...seqs.map((seq) => `message ${seq}`));
    }
    // Six megabytes were sent to a reader that is not reading: most of it is still queued.
    expect(events.filter(([event]) => event === 'message:new').length).toBeLessThan(60);

    tcp.resume();
    const until = Date.now() + 20_000;
    while (events.filter(([event]) => event === 'message:new').length < 120 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const seen = events
      .filter(([event]) => event === 'message:new' || event === 'room:updated')
      .map(([event, payload]) =>
        event === 'room:updated' ? `renamed ${payload.name}` : `message ${payload.seq}`,
      );
    expect(seen).toEqual(expected);
    raw.close();
    anaSocket.close();
  });
});

describe('what an idle socket keeps', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('shares and compacts what the libraries keep per socket, and every event, ack and logout still works', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const { body } = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
      token: ana.token,
      body: { name: `Compact ${Math.random().toString(36).slice(2, 8)}` },
    });
    await api(server.url, 'POST', `/api/chat/rooms/${body.room.id}/join`, { token: ben.token });
    // Two tabs of one session, and someone else.
    const benTabs = [await connect(server.url, ben.token), await connect(server.url, ben.token)];
    const anaSocket = await connect(server.url, ana.token);

    const { io } = server.parley.realtime;
    const nsp = io.of('/');
    const lives = (await io.local.in(`user:${ben.user.id}`).fetchSockets()).map(
      (remote) => nsp.sockets.get(remote.id)!,
    );
    expect(lives).toHaveLength(2);
    const [one, two] = lives as [ParleySocket, ParleySocket];
    // No room per socket id; the user's, session's and chat room's channels as before.
    expect(nsp.adapter.rooms.has(one.id)).toBe(false);
    expect([...one.rooms]).not.toContain(one.id);
    expect([...one.rooms]).toEqual(
      expect.arrayContaining([
        `room:${body.room.id}`,
        `session:${one.data.auth.sessionId}`,
        `user:${ben.user.id}`,
      ]),
    );
    // One handshake for every idle socket, one auth for a session's sockets.
    expect(one.handshake).toBe(two.handshake);
    expect(one.handshake.auth).toEqual({});
    expect(one.data.auth).toBe(two.data.auth);
    expect(Object.hasOwn(one, 'acks')).toBe(false);
    // The libraries' listener tables are compacted copies, the upgrade's no-op error listener is gone,
    // and ws keeps no mask of the last frame (nor the TCP read it came in).
    const engine = one.conn as unknown as {
      _events: object;
      transport: {
        _events: object;
        socket: {
          _events: object;
          _socket: { _events: object };
          _receiver: { _events: object; _mask: unknown };
          listeners(event: string): ((...args: unknown[]) => void)[];
        };
      };
    };
    const ws = engine.transport.socket;
    for (const emitter of [engine, engine.transport, ws, ws._socket, ws._receiver])
      expect(Object.getPrototypeOf(emitter._events)).not.toBeNull();
    expect(ws.listeners('error').map((listener) => listener.name)).not.toContain('onUpgradeError');
    expect(ws._receiver._mask).toBeUndefined();

    // Still: room messages to both tabs, typing to the others, a server ack, and logout closing both.
    const heard = benTabs.map((tab) => new Promise((resolve) => tab.once('message:new', resolve)));
    const typing = new Promise((resolve) => benTabs[0]!.once('typing', resolve));
    expect((await request(anaSocket, 'typing', { roomId: body.room.id, typing: true })).ok).toBe(true);
    expect(
      (await request(anaSocket, 'message:send', { roomId: body.room.id, text: 'hi', clientId: 'c-1' })).ok,
    ).toBe(true);
    await Promise.all([...heard, typing]);
    benTabs[1]!.on('ping?' as never, ((reply: (answer: string) => void) => reply('pong!')) as never);
    const answer = await new Promise((resolve) =>
      (two.emit as (event: string, callback: (answer: string) => void) => void)('ping?', resolve),
    );
    expect(answer).toBe('pong!');
    const closed = benTabs.map((tab) => new Promise((resolve) => tab.once('disconnect', resolve)));
    await api(server.url, 'POST', '/api/logout', { token: ben.token });
    await Promise.all(closed);
    anaSocket.close();
  });

  it('keeps neither its upgrade request nor its token, and still hears every event', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const { body } = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
      token: ana.token,
      body: { name: `Idle ${Math.random().toString(36).slice(2, 8)}` },
    });
    await api(server.url, 'POST', `/api/chat/rooms/${body.room.id}/join`, { token: ben.token });
    const benSocket = await connect(server.url, ben.token);
    const anaSocket = await connect(server.url, ana.token);
    const typing = new Promise((resolve) => benSocket.once('typing', resolve));

    const { io } = server.parley.realtime;
    const [socket] = await io.local.in(`user:${ben.user.id}`).fetchSockets();
    const live = io.of('/').sockets.get(socket!.id)!;
    const engine = live.conn as unknown as {
      request: unknown;
      transport: { socket: { _socket: import('node:net').Socket } };
    };
    // Engine.IO's request and the stand-in response's TCP `close` listener that held it are gone.
    expect(engine.request).toBeNull();
    const tcpListeners = engine.transport.socket._socket.listeners('close').map(String);
    expect(tcpListeners).not.toContain('() => this.emit("close")');
    expect(live.handshake.auth).toEqual({});
    // Listeners shared by every socket: the table is not the socket's own, and each event still arrives.
    const events = (live as unknown as { _events: object })._events;
    expect(Object.keys(events)).not.toContain('message:send');
    expect(live.listenerCount('message:send')).toBe(1);

    expect((await request(anaSocket, 'typing', { roomId: body.room.id, typing: true })).ok).toBe(true);
    await typing;
    const sent = await request(benSocket, 'message:send', {
      roomId: body.room.id,
      text: 'still here',
      clientId: 'idle-1',
    });
    expect(sent.ok).toBe(true);
    // A listener of its own beside a shared one: both run.
    let own = 0;
    live.on('message:send' as never, (() => own++) as never);
    expect(
      (await request(benSocket, 'message:send', { roomId: body.room.id, text: 'again', clientId: 'idle-2' }))
        .ok,
    ).toBe(true);
    expect(own).toBe(1);
    // The other sockets still have only the shared listener.
    const [anaLive] = await io.local.in(`user:${ana.user.id}`).fetchSockets();
    expect(io.of('/').sockets.get(anaLive!.id)!.listenerCount('message:send')).toBe(1);
    benSocket.close();
    anaSocket.close();
  });
});
