import type { Message, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ws from 'ws';
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
