import type { Room, RoomDetailsReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  nextEvent,
  register,
  request,
  roundTrip,
  record,
  startServer,
  type TestServer,
} from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function createRoom(token: string, body: Record<string, unknown>) {
  return api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', { token, body });
}

describe('rooms', () => {
  it('has General, Tech Talk and Random on first start', async () => {
    const { token } = await register(server.url);
    const reply = await api<{ rooms: Room[] }>(server.url, 'GET', '/api/chat/rooms', { token });
    expect(reply.body.rooms.map((room) => room.name)).toEqual(
      expect.arrayContaining(['General', 'Tech Talk', 'Random']),
    );
  });

  it('makes the creator the owner and a member, and counts members', async () => {
    const owner = await register(server.url);
    const { status, body } = await createRoom(owner.token, { name: '  Book   Club ', description: 'Novels' });
    expect(status).toBe(201);
    expect(body.room).toMatchObject({
      name: 'Book Club',
      description: 'Novels',
      visibility: 'public',
      ownerId: owner.user.id,
      joined: true,
      memberCount: 1,
    });
    const clash = await createRoom(owner.token, { name: 'book club' });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'room_name_taken' });
  });

  it('refuses an empty or over-long room name', async () => {
    const { token } = await register(server.url);
    for (const name of ['   ', 'x'.repeat(65)]) {
      const reply = await createRoom(token, { name });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ code: 'validation_failed' });
    }
  });

  it('lets anyone join and leave a public room, telling the members', async () => {
    const owner = await register(server.url);
    const joiner = await register(server.url);
    const { body } = await createRoom(owner.token, { name: `Open ${Date.now()}` });
    const roomId = body.room.id;
    const ownerSocket = await connect(server.url, owner.token);
    const joined = nextEvent(
      ownerSocket,
      'room:member',
      (event) => event.roomId === roomId && event.action === 'joined',
    );
    const reply = await api<{ room: Room }>(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, {
      token: joiner.token,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.room).toMatchObject({ joined: true, memberCount: 2 });
    expect(await joined).toMatchObject({ user: { id: joiner.user.id, username: joiner.user.username } });

    const left = nextEvent(
      ownerSocket,
      'room:member',
      (event) => event.roomId === roomId && event.action === 'left',
    );
    expect(
      (await api(server.url, 'POST', `/api/chat/rooms/${roomId}/leave`, { token: joiner.token })).status,
    ).toBe(204);
    expect(await left).toMatchObject({ user: { id: joiner.user.id } });
    ownerSocket.close();
  });

  it('hides a private room from non-members: 404 over REST and socket, absent from the list', async () => {
    const owner = await register(server.url);
    const outsider = await register(server.url);
    const { body } = await createRoom(owner.token, { name: `Secret ${Date.now()}`, visibility: 'private' });
    const roomId = body.room.id;
    const missing = 'no-such-room';

    for (const id of [roomId, missing]) {
      for (const [method, route, payload] of [
        ['GET', `/api/chat/rooms/${id}`, undefined],
        ['GET', `/api/chat/rooms/${id}/messages`, undefined],
        ['POST', `/api/chat/rooms/${id}/messages`, { text: 'let me in' }],
        ['POST', `/api/chat/rooms/${id}/join`, undefined],
      ] as const) {
        const reply = await api(server.url, method, route, { token: outsider.token, body: payload });
        expect(reply.status, `${method} ${route}`).toBe(404);
        expect(reply.body).toMatchObject({ code: 'room_not_found' });
      }
    }
    const list = await api<{ rooms: Room[] }>(server.url, 'GET', '/api/chat/rooms', {
      token: outsider.token,
    });
    expect(list.body.rooms.some((room) => room.id === roomId)).toBe(false);

    const socket = await connect(server.url, outsider.token);
    const heard = record(socket, 'message:new');
    for (const [event, payload] of [
      ['room:join', { roomId }],
      ['message:send', { roomId, text: 'hi', clientId: 'x1' }],
      ['typing', { roomId, typing: true }],
      ['read', { roomId, seq: 1 }],
    ] as const) {
      const ack = await request(socket, event, payload as never);
      expect(ack, event).toEqual({
        ok: false,
        error: { code: 'room_not_found', message: expect.any(String) },
      });
    }
    const synced = await request(socket, 'sync', { since: { [roomId]: 0 } });
    expect(synced).toEqual({ ok: true, messages: {}, hasMore: {} });
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: owner.token,
      body: { text: 'members only' },
    });
    await roundTrip(socket);
    expect(heard).toEqual([]);
    socket.close();
  });

  it('lets a member add someone to a private room, whose open socket then follows it', async () => {
    const owner = await register(server.url);
    const friend = await register(server.url);
    const { body } = await createRoom(owner.token, { name: `Invite ${Date.now()}`, visibility: 'private' });
    const roomId = body.room.id;
    const friendSocket = await connect(server.url, friend.token);
    const added = nextEvent(
      friendSocket,
      'room:member',
      (event) => event.roomId === roomId && event.user.id === friend.user.id,
    );
    const reply = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/members`, {
      token: owner.token,
      body: { userId: friend.user.id },
    });
    expect(reply.status).toBe(204);
    expect(await added).toMatchObject({ action: 'joined', by: { id: owner.user.id } });

    const message = nextEvent(friendSocket, 'message:new', (event) => event.roomId === roomId);
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: owner.token,
      body: { text: 'welcome' },
    });
    expect(await message).toMatchObject({ text: 'welcome' });
    const details = await api<RoomDetailsReply>(server.url, 'GET', `/api/chat/rooms/${roomId}`, {
      token: friend.token,
    });
    expect(details.body.members.map((member) => [member.id, member.role, member.online])).toEqual(
      expect.arrayContaining([
        [owner.user.id, 'owner', false],
        [friend.user.id, 'member', true],
      ]),
    );
    friendSocket.close();
  });

  it('lets the owner rename the room and remove a member, who stops hearing it at once', async () => {
    const owner = await register(server.url);
    const member = await register(server.url);
    const { body } = await createRoom(owner.token, { name: `Managed ${Date.now()}` });
    const roomId = body.room.id;
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: member.token });
    const memberSocket = await connect(server.url, member.token);

    const notAllowed = await api(server.url, 'PATCH', `/api/chat/rooms/${roomId}`, {
      token: member.token,
      body: { name: 'Mine now' },
    });
    expect(notAllowed.status).toBe(403);
    const renamed = nextEvent(memberSocket, 'room:updated');
    const patch = await api<{ room: Room }>(server.url, 'PATCH', `/api/chat/rooms/${roomId}`, {
      token: owner.token,
      body: { name: 'Renamed', description: 'New words' },
    });
    expect(patch.body.room).toMatchObject({ name: 'Renamed', description: 'New words' });
    expect(await renamed).toEqual({ roomId, name: 'Renamed', description: 'New words' });

    const kicked = nextEvent(memberSocket, 'room:member', (event) => event.action === 'left');
    const removal = await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/members/${member.user.id}`, {
      token: owner.token,
    });
    expect(removal.status).toBe(204);
    expect(await kicked).toMatchObject({ roomId, user: { id: member.user.id }, by: { id: owner.user.id } });

    const heard = record(memberSocket, 'message:new');
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: owner.token,
      body: { text: 'after the removal' },
    });
    await roundTrip(memberSocket);
    expect(heard).toEqual([]);
    const send = await request(memberSocket, 'message:send', { roomId, text: 'still here?', clientId: 'k1' });
    expect(send).toMatchObject({ ok: false, error: { code: 'not_a_member' } });
    memberSocket.close();
  });

  it('clears the history for the owner only, and tells the members', async () => {
    const owner = await register(server.url);
    const member = await register(server.url);
    const { body } = await createRoom(owner.token, { name: `Clear ${Date.now()}` });
    const roomId = body.room.id;
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: member.token });
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: owner.token,
      body: { text: 'one' },
    });
    const memberSocket = await connect(server.url, member.token);

    expect(
      (await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/messages`, { token: member.token })).status,
    ).toBe(403);
    const cleared = nextEvent(memberSocket, 'room:cleared');
    expect(
      (await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/messages`, { token: owner.token })).status,
    ).toBe(204);
    // The history up to the last seq is gone as of the room's next rev (a change like any other).
    expect(await cleared).toEqual({ roomId, seq: 1, rev: 2 });
    const history = await api<{ messages: unknown[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      { token: member.token },
    );
    expect(history.body.messages).toEqual([]);

    // Seqs keep counting, so a client's cursor from before the clear is still meaningful.
    const next = await api<{ message: { seq: number } }>(
      server.url,
      'POST',
      `/api/chat/rooms/${roomId}/messages`,
      { token: owner.token, body: { text: 'two' } },
    );
    expect(next.body.message.seq).toBe(2);
    memberSocket.close();
  });

  it('hands ownership to the longest-standing member when the owner leaves', async () => {
    const owner = await register(server.url);
    const first = await register(server.url);
    const second = await register(server.url);
    const { body } = await createRoom(owner.token, { name: `Heir ${Date.now()}` });
    const roomId = body.room.id;
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: first.token });
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: second.token });
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/leave`, { token: owner.token });
    const details = await api<RoomDetailsReply>(server.url, 'GET', `/api/chat/rooms/${roomId}`, {
      token: first.token,
    });
    expect(details.body.room.ownerId).toBe(first.user.id);
    expect(details.body.members.find((member) => member.id === first.user.id)?.role).toBe('owner');
  });
});

describe('direct messages', () => {
  it('gives a pair the same DM room every time, visible to those two only', async () => {
    const ana = await register(server.url);
    const ben = await register(server.url);
    const eve = await register(server.url);
    const first = await api<{ room: Room }>(server.url, 'POST', '/api/dms', {
      token: ana.token,
      body: { userId: ben.user.id },
    });
    const again = await api<{ room: Room }>(server.url, 'POST', '/api/dms', {
      token: ben.token,
      body: { userId: ana.user.id },
    });
    expect(first.status).toBe(200);
    expect(again.body.room.id).toBe(first.body.room.id);
    expect(first.body.room).toMatchObject({
      kind: 'dm',
      visibility: 'private',
      name: ben.user.username,
      peer: { id: ben.user.id },
    });
    expect(again.body.room).toMatchObject({ name: ana.user.username, peer: { id: ana.user.id } });

    const roomId = first.body.room.id;
    const benSocket = await connect(server.url, ben.token);
    const delivered = nextEvent(benSocket, 'message:new', (message) => message.roomId === roomId);
    const anaSocket = await connect(server.url, ana.token);
    const sent = await request(anaSocket, 'message:send', { roomId, text: 'just us', clientId: 'dm1' });
    expect(sent.ok).toBe(true);
    expect(await delivered).toMatchObject({ text: 'just us', author: { id: ana.user.id } });

    expect((await api(server.url, 'GET', `/api/chat/rooms/${roomId}`, { token: eve.token })).status).toBe(
      404,
    );
    expect(
      (await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: eve.token })).status,
    ).toBe(404);
    const added = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/members`, {
      token: ana.token,
      body: { userId: eve.user.id },
    });
    expect(added.status).toBe(403);
    const leave = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/leave`, { token: ana.token });
    expect(leave.body).toMatchObject({ code: 'dm_not_leavable' });
    anaSocket.close();
    benSocket.close();
  });

  it('refuses a DM with oneself or with nobody', async () => {
    const ana = await register(server.url);
    const self = await api(server.url, 'POST', '/api/dms', {
      token: ana.token,
      body: { userId: ana.user.id },
    });
    expect(self.body).toMatchObject({ statusCode: 400, code: 'dm_with_self' });
    const ghost = await api(server.url, 'POST', '/api/dms', { token: ana.token, body: { userId: 'ghost' } });
    expect(ghost.body).toMatchObject({ statusCode: 404, code: 'user_not_found' });
  });

  it('finds people by any part of their username, those it starts first', async () => {
    const stamp = Date.now().toString(36);
    const { token } = await register(server.url, `Amazed${stamp}`);
    await register(server.url, `zed${stamp}`);
    const reply = await api<{ users: { username: string }[] }>(
      server.url,
      'GET',
      `/api/users?q=ZED${stamp}`,
      {
        token,
      },
    );
    expect(reply.body.users.map((user) => user.username)).toEqual([`zed${stamp}`, `Amazed${stamp}`]);
  });

  it('treats _ and % in a search as themselves, not as wildcards', async () => {
    const stamp = Date.now().toString(36);
    const { token } = await register(server.url, `q_${stamp}`);
    await register(server.url, `qx${stamp}`);
    const reply = await api<{ users: { username: string }[] }>(server.url, 'GET', `/api/users?q=q_${stamp}`, {
      token,
    });
    expect(reply.body.users.map((user) => user.username)).toEqual([`q_${stamp}`]);
    const percent = await api<{ users: unknown[] }>(server.url, 'GET', '/api/users?q=%25', { token });
    expect(percent.body.users).toEqual([]);
  });
});
