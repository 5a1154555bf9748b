import type { Message, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  nextEvent,
  record,
  register,
  request,
  roundTrip,
  startServer,
  type TestServer,
} from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { TYPING_TIMEOUT_MS: '400' } });
});
afterAll(() => server.close());

async function privateRoom(ownerToken: string, ...memberIds: string[]): Promise<string> {
  const { body } = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
    token: ownerToken,
    body: { name: `Private ${Math.random().toString(36).slice(2)}`, visibility: 'private' },
  });
  for (const userId of memberIds) {
    await api(server.url, 'POST', `/api/chat/rooms/${body.room.id}/members`, {
      token: ownerToken,
      body: { userId },
    });
  }
  return body.room.id;
}

describe('socket connection', () => {
  it('refuses a handshake without a valid token with connect_error "unauthorized"', async () => {
    await expect(connect(server.url, 'not-a-token')).rejects.toThrow('unauthorized');
    await expect(connect(server.url, '')).rejects.toThrow('unauthorized');
  });

  it('follows a room joined later from another tab or over REST, and stops after leaving', async () => {
    const ana = await register(server.url);
    const ben = await register(server.url);
    const { body } = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
      token: ben.token,
      body: { name: `Later ${Date.now()}` },
    });
    const roomId = body.room.id;
    const tab1 = await connect(server.url, ana.token);
    const tab2 = await connect(server.url, ana.token);

    const joinAck = await request(tab2, 'room:join', { roomId });
    expect(joinAck).toMatchObject({ ok: true, room: { id: roomId, joined: true } });
    const inTab1 = nextEvent(tab1, 'message:new', (m) => m.roomId === roomId);
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: ben.token,
      body: { text: 'reaches both tabs' },
    });
    expect(await inTab1).toMatchObject({ text: 'reaches both tabs' });

    // The same over REST: a room joined there is followed by the sockets already open.
    const { body: restRoom } = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
      token: ben.token,
      body: { name: `Rest ${Date.now()}` },
    });
    await api(server.url, 'POST', `/api/chat/rooms/${restRoom.room.id}/join`, { token: ana.token });
    const overRest = nextEvent(tab1, 'message:new', (m) => m.roomId === restRoom.room.id);
    await api(server.url, 'POST', `/api/chat/rooms/${restRoom.room.id}/messages`, {
      token: ben.token,
      body: { text: 'joined over REST' },
    });
    expect(await overRest).toMatchObject({ text: 'joined over REST' });

    expect(await request(tab1, 'room:leave', { roomId })).toEqual({ ok: true });
    const heard = record(tab2, 'message:new');
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: ben.token,
      body: { text: 'after leaving' },
    });
    await roundTrip(tab2);
    expect(heard).toEqual([]);
    tab1.close();
    tab2.close();
  });
});

describe('new rooms', () => {
  it('announces a public room to everyone connected, as an outsider sees it, and a private one to nobody', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const [anaSocket, benSocket] = await Promise.all([
      connect(server.url, ana.token),
      connect(server.url, ben.token),
    ]);
    const heard = record(benSocket, 'room:created');
    const name = `Open ${Math.random().toString(36).slice(2, 8)}`;
    const announced = nextEvent(benSocket, 'room:created', (room) => room.name === name);
    const { body } = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
      token: ana.token,
      body: { name, description: 'for everyone' },
    });
    expect(body.room.joined).toBe(true);
    const { notifications: _creators, ...shown } = body.room;
    expect(await announced).toEqual({
      ...shown,
      joined: false,
      unreadCount: 0,
      readSeq: 0,
      unreadMentions: 0,
    });

    await api(server.url, 'POST', '/api/chat/rooms', {
      token: ana.token,
      body: { name: `Closed ${Math.random().toString(36).slice(2, 8)}`, visibility: 'private' },
    });
    await api(server.url, 'POST', '/api/dms', { token: ana.token, body: { userId: ben.user.id } });
    await roundTrip(benSocket);
    expect(heard.map((room) => room.name)).toEqual([name]);
    anaSocket.close();
    benSocket.close();
  });
});

describe('typing', () => {
  it('tells the other members, not the typist’s own tabs nor outsiders, and expires by itself', async () => {
    const ana = await register(server.url);
    const ben = await register(server.url);
    const eve = await register(server.url);
    const roomId = await privateRoom(ana.token, ben.user.id);
    const [anaTab, anaOtherTab, benSocket, eveSocket] = await Promise.all([
      connect(server.url, ana.token),
      connect(server.url, ana.token),
      connect(server.url, ben.token),
      connect(server.url, eve.token),
    ]);
    const anaHeard = record(anaOtherTab, 'typing');
    const eveHeard = record(eveSocket, 'typing');

    const started = nextEvent(benSocket, 'typing', (event) => event.typing);
    expect(await request(anaTab, 'typing', { roomId, typing: true })).toEqual({ ok: true });
    expect(await started).toEqual({
      roomId,
      user: { id: ana.user.id, username: ana.user.username },
      typing: true,
    });
    const expired = await nextEvent(benSocket, 'typing', (event) => !event.typing, 3_000);
    expect(expired).toMatchObject({ roomId, user: { id: ana.user.id }, typing: false });

    await roundTrip(anaOtherTab);
    await roundTrip(eveSocket);
    expect(anaHeard).toEqual([]);
    expect(eveHeard).toEqual([]);
    for (const socket of [anaTab, anaOtherTab, benSocket, eveSocket]) socket.close();
  });

  it('stops at once when the typist sends, says stop, or disconnects', async () => {
    const ana = await register(server.url);
    const ben = await register(server.url);
    const roomId = await privateRoom(ana.token, ben.user.id);
    const anaSocket = await connect(server.url, ana.token);
    const benSocket = await connect(server.url, ben.token);
    const stops = () => nextEvent(benSocket, 'typing', (event) => !event.typing, 300);

    await request(anaSocket, 'typing', { roomId, typing: true });
    let stopped = stops();
    await request(anaSocket, 'message:send', { roomId, text: 'done typing', clientId: 's1' });
    await stopped;

    await request(anaSocket, 'typing', { roomId, typing: true });
    stopped = stops();
    await request(anaSocket, 'typing', { roomId, typing: false });
    await stopped;

    await request(anaSocket, 'typing', { roomId, typing: true });
    stopped = stops();
    anaSocket.close();
    await stopped;
    benSocket.close();
  });
});

describe('sync', () => {
  it('gives a client that was away exactly the messages it missed, in order', async () => {
    const ana = await register(server.url);
    const ben = await register(server.url);
    const roomId = await privateRoom(ana.token, ben.user.id);
    const other = await privateRoom(ana.token, ben.user.id);
    const anaSocket = await connect(server.url, ana.token);
    let benSocket = await connect(server.url, ben.token);
    const received: Message[] = [];
    benSocket.on('message:new', (message) => received.push(message));

    for (let i = 1; i <= 3; i++)
      await request(anaSocket, 'message:send', { roomId, text: `before ${i}`, clientId: `b${i}` });
    await expect.poll(() => received.length).toBe(3);
    const highest = Math.max(...received.map((message) => message.seq));
    benSocket.close();

    for (let i = 1; i <= 5; i++)
      await request(anaSocket, 'message:send', { roomId, text: `missed ${i}`, clientId: `m${i}` });
    await request(anaSocket, 'message:send', { roomId: other, text: 'elsewhere', clientId: 'o1' });

    benSocket = await connect(server.url, ben.token);
    const reply = await request(benSocket, 'sync', {
      since: { [roomId]: highest, [other]: 0, 'not-mine': 0 },
    });
    expect(reply.ok).toBe(true);
    const messages = reply.ok ? (reply.messages as Record<string, Message[]>) : {};
    expect(Object.keys(messages).sort()).toEqual([roomId, other].sort());
    expect(messages[roomId]?.map((message) => [message.seq, message.text])).toEqual([
      [4, 'missed 1'],
      [5, 'missed 2'],
      [6, 'missed 3'],
      [7, 'missed 4'],
      [8, 'missed 5'],
    ]);
    expect(messages[other]?.map((message) => message.text)).toEqual(['elsewhere']);
    expect(reply.ok && reply.hasMore).toEqual({ [roomId]: false, [other]: false });
    anaSocket.close();
    benSocket.close();
  });
});
