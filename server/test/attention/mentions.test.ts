import type { Message, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  connect,
  nextEvent,
  register,
  request,
  startServer,
  type TestServer,
} from '../harness.js';

let server: TestServer;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  server = await startServer({ env: { GROUP_MENTION_ROOM_LIMIT: '3' } });
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

type Person = Awaited<ReturnType<typeof register>>;

async function roomOf(owner: Person, others: Person[], name = `m${Math.random().toString(36).slice(2, 8)}`) {
  const made = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
    token: owner.token,
    body: { name, visibility: 'private' },
  });
  for (const other of others) {
    await api(server.url, 'POST', `/api/chat/rooms/${made.body.room.id}/members`, {
      token: owner.token,
      body: { userId: other.user.id },
    });
  }
  return made.body.room.id;
}

async function send(person: Person, roomId: string, text: string): Promise<Message> {
  const reply = await api<{ message: Message }>(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
    token: person.token,
    body: { text },
  });
  expect(reply.status).toBe(201);
  return reply.body.message;
}

async function roomAs(person: Person, roomId: string): Promise<Room> {
  // The counts follow the commit off the send path: wait for that work before reading them.
  await server.parley.attention.settled();
  const reply = await api<{ rooms: Room[] }>(server.url, 'GET', '/api/chat/rooms', { token: person.token });
  const room = reply.body.rooms.find((candidate) => candidate.id === roomId);
  if (!room) throw new Error('room not listed');
  return room;
}

describe('mentions', () => {
  it('resolves @names of members into ids, counts them per person and clears the count by reading', async () => {
    const [ana, ben, cy] = await Promise.all([
      register(server.url),
      register(server.url),
      register(server.url),
    ]);
    const roomId = await roomOf(ana, [ben, cy]);
    const benSocket = await connect(server.url, ben.token);
    sockets.push(benSocket);
    const heard = nextEvent(benSocket, 'message:new', (m) => m.roomId === roomId);
    const first = await send(
      ana,
      roomId,
      `hi @${ben.user.username.toUpperCase()}, see \`@${cy.user.username}\``,
    );
    expect(first.mentions).toEqual([ben.user.id]);
    expect((await heard).mentions).toEqual([ben.user.id]);
    await send(ana, roomId, `@${ben.user.username}. and @${cy.user.username}: both of you`);
    await send(ana, roomId, 'no one in particular');

    expect(await roomAs(ben, roomId)).toMatchObject({ unreadMentions: 2, unreadCount: 3 });
    expect(await roomAs(cy, roomId)).toMatchObject({ unreadMentions: 1 });
    expect(await roomAs(ana, roomId)).toMatchObject({ unreadMentions: 0 });

    // Reading past the first mention leaves the second one counted; reading everything clears it.
    expect(await request(benSocket, 'read', { roomId, seq: first.seq })).toEqual({ ok: true });
    expect(await roomAs(ben, roomId)).toMatchObject({ unreadMentions: 1 });
    await request(benSocket, 'read', { roomId, seq: first.seq + 2 });
    expect(await roomAs(ben, roomId)).toMatchObject({ unreadMentions: 0, unreadCount: 0 });
  });

  it('mentions nobody for a name that is not a member, nor for an address, and counts no self-mention', async () => {
    const [ana, ben, outsider] = await Promise.all([
      register(server.url),
      register(server.url),
      register(server.url),
    ]);
    const roomId = await roomOf(ana, [ben]);
    const message = await send(
      ana,
      roomId,
      `@${outsider.user.username} @nobody_here mail ${ben.user.username}@example.org @${ana.user.username}`,
    );
    expect(message.mentions).toEqual([ana.user.id]);
    expect(await roomAs(outsider, roomId).catch(() => null)).toBeNull(); // a private room they cannot see
    expect(await roomAs(ana, roomId)).toMatchObject({ unreadMentions: 0 });
    expect(await roomAs(ben, roomId)).toMatchObject({ unreadMentions: 0 });
  });

  it('follows an edit that adds or removes a mention, and a delete', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const roomId = await roomOf(ana, [ben]);
    const message = await send(ana, roomId, 'plain words');
    const edit = (text: string) =>
      api<{ message: Message }>(server.url, 'PATCH', `/api/chat/rooms/${roomId}/messages/${message.seq}`, {
        token: ana.token,
        body: { text },
      });
    expect((await edit(`now for @${ben.user.username}`)).body.message.mentions).toEqual([ben.user.id]);
    expect(await roomAs(ben, roomId)).toMatchObject({ unreadMentions: 1 });
    expect((await edit('never mind')).body.message.mentions).toEqual([]);
    expect(await roomAs(ben, roomId)).toMatchObject({ unreadMentions: 0 });
    await edit(`again @${ben.user.username}`);
    expect(await roomAs(ben, roomId)).toMatchObject({ unreadMentions: 1 });
    await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/messages/${message.seq}`, {
      token: ana.token,
    });
    expect(await roomAs(ben, roomId)).toMatchObject({ unreadMentions: 0 });
  });

  it('carries @room and @here as a group mention, not a list of ids, and counts @room for every member but the author', async () => {
    const [ana, ben, cy] = await Promise.all([
      register(server.url),
      register(server.url),
      register(server.url),
    ]);
    const roomId = await roomOf(ana, [ben, cy]);
    const benSocket = await connect(server.url, ben.token);
    sockets.push(benSocket);
    const everyone = await send(ben, roomId, 'lunch @room?');
    expect(everyone).toMatchObject({ mentions: [], groupMention: 'room' });
    // @here mentions those online when it is said: Ben has a socket, Cy has none.
    const here = await send(ana, roomId, '@here quick question');
    expect(here.groupMention).toBe('here');
    expect(await roomAs(ana, roomId)).toMatchObject({ unreadMentions: 1 });
    expect(await roomAs(ben, roomId)).toMatchObject({ unreadMentions: 1 });
    expect(await roomAs(cy, roomId)).toMatchObject({ unreadMentions: 1 });
  });

  it('leaves @room as text from a plain member of a room over GROUP_MENTION_ROOM_LIMIT, and resolves it from the owner', async () => {
    const people = await Promise.all([1, 2, 3, 4].map(() => register(server.url)));
    const [owner, member, ...rest] = people as [Person, Person, Person, Person];
    const roomId = await roomOf(owner, [member, ...rest]);
    const fromMember = await send(member, roomId, '@room look at this');
    expect(fromMember.groupMention).toBeUndefined();
    expect(await roomAs(rest[0] as Person, roomId)).toMatchObject({ unreadMentions: 0 });
    const fromOwner = await send(owner, roomId, '@room the owner speaks');
    expect(fromOwner.groupMention).toBe('room');
    expect(await roomAs(rest[0] as Person, roomId)).toMatchObject({ unreadMentions: 1 });
  });
});
