import { limits, type MembersReply, memberLimits, type Room, type RoomDetailsReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, register, request, startServer, type TestServer, uniqueName } from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function createRoom(token: string, visibility: 'public' | 'private' = 'public'): Promise<string> {
  const made = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
    token,
    body: { name: uniqueName('Room'), visibility },
  });
  return made.body.room.id;
}

/**
 * People added straight into the database (a factory: registering hundreds through argon2 would take
 * minutes), each a member of `roomId`. Their names sort in the order given.
 */
async function addPeople(roomId: string, prefix: string, count: number): Promise<string[]> {
  const { db } = server.parley.ctx.store;
  const at = new Date().toISOString();
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  for (let start = 0; start < count; start += 200) {
    const chunk = ids.slice(start, start + 200);
    await db
      .insertInto('users')
      .values(
        chunk.map((id) => ({
          id,
          username: id,
          username_key: id.toLowerCase(),
          password_hash: null,
          guest: 0,
          admin: 0,
          created_at: at,
          disabled_at: null,
          deleted_at: null,
        })),
      )
      .execute();
    await db
      .insertInto('memberships')
      .values(chunk.map((id) => ({ room_id: roomId, user_id: id, role: 'member' as const, joined_at: at })))
      .execute();
  }
  return ids;
}

const roomOf = async (token: string, roomId: string) =>
  (await api<{ rooms: Room[] }>(server.url, 'GET', '/api/chat/rooms', { token })).body.rooms.find(
    (room) => room.id === roomId,
  );

describe('member counts', () => {
  it('follow joins, leaves and additions made any way, without counting memberships on every view', async () => {
    // The owner first: the first account of a fresh server is its admin, and an owner may not remove
    // an admin (registered in parallel, ben was sometimes first, and his removal was refused).
    const owner = await register(server.url);
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const roomId = await createRoom(owner.token);
    expect((await roomOf(owner.token, roomId))?.memberCount).toBe(1);
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: ana.token });
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/members`, {
      token: owner.token,
      body: { userId: ben.user.id },
    });
    await addPeople(roomId, uniqueName('direct'), 3);
    expect((await roomOf(owner.token, roomId))?.memberCount).toBe(6);
    const left = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/leave`, { token: ana.token });
    expect(left.status, JSON.stringify(left.body)).toBeLessThan(300);
    const removed = await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/members/${ben.user.id}`, {
      token: owner.token,
    });
    expect(removed.status, JSON.stringify(removed.body)).toBeLessThan(300);
    expect((await roomOf(owner.token, roomId))?.memberCount).toBe(4);
    const dm = await api<{ room: Room }>(server.url, 'POST', '/api/dms', {
      token: ana.token,
      body: { userId: ben.user.id },
    });
    expect(dm.body.room.memberCount).toBe(2);
  });
});

describe('member pages', () => {
  it('lists a room’s members by name, a page at a time, and by the start of a name', async () => {
    const owner = await register(server.url, 'zz-owner-' + uniqueName(''));
    const roomId = await createRoom(owner.token);
    const prefix = uniqueName('pg');
    const ids = await addPeople(roomId, prefix, 45);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = `limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await api<MembersReply>(server.url, 'GET', `/api/chat/rooms/${roomId}/members?${query}`, {
        token: owner.token,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.members.map((m) => m.id));
      cursor = page.body.cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids, owner.user.id]);

    const found = await api<MembersReply>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/members?q=${prefix.toUpperCase()}-001`,
      { token: owner.token },
    );
    expect(found.body.members.map((m) => m.id)).toEqual(ids.slice(10, 20));
    expect(found.body.cursor).toBeUndefined();
  });

  it('shows each member’s presence', async () => {
    const [owner, ana] = await Promise.all([register(server.url), register(server.url)]);
    const roomId = await createRoom(owner.token);
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: ana.token });
    const socket = await connect(server.url, ana.token, { away: true });
    const page = await api<MembersReply>(server.url, 'GET', `/api/chat/rooms/${roomId}/members`, {
      token: owner.token,
    });
    expect(page.body.members.find((m) => m.id === ana.user.id)).toMatchObject({
      online: true,
      status: 'away',
    });
    expect(page.body.members.find((m) => m.id === owner.user.id)).toMatchObject({
      online: false,
      status: 'offline',
    });
    socket.close();
  });

  it('sends the first page and a cursor with the details of a room past the inline limit', async () => {
    const owner = await register(server.url);
    const roomId = await createRoom(owner.token);
    await addPeople(roomId, uniqueName('big'), memberLimits.inlineMax + 20);
    const details = await api<RoomDetailsReply>(server.url, 'GET', `/api/chat/rooms/${roomId}`, {
      token: owner.token,
    });
    expect(details.body.room.memberCount).toBe(memberLimits.inlineMax + 21);
    expect(details.body.members).toHaveLength(memberLimits.pageDefault);
    const next = await api<MembersReply>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/members?cursor=${details.body.membersCursor}&limit=${memberLimits.pageMax}`,
      { token: owner.token },
    );
    expect(next.body.members).toHaveLength(memberLimits.pageMax);
    expect(next.body.members[0]?.username.localeCompare(details.body.members.at(-1)?.username ?? '')).toBe(1);

    const small = await createRoom(owner.token);
    const whole = await api<RoomDetailsReply>(server.url, 'GET', `/api/chat/rooms/${small}`, {
      token: owner.token,
    });
    expect(whole.body.members).toHaveLength(1);
    expect(whole.body.membersCursor).toBeUndefined();
  });

  it('refuses a made-up cursor, and hides a private room’s members from outsiders', async () => {
    const [owner, outsider] = await Promise.all([register(server.url), register(server.url)]);
    const hidden = await createRoom(owner.token, 'private');
    const bad = await api(server.url, 'GET', `/api/chat/rooms/${hidden}/members?cursor=%25%25not-base64`, {
      token: owner.token,
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    const tooMany = await api(server.url, 'GET', `/api/chat/rooms/${hidden}/members?limit=1000`, {
      token: owner.token,
    });
    expect(tooMany.status).toBe(400);
    const outside = await api(server.url, 'GET', `/api/chat/rooms/${hidden}/members`, {
      token: outsider.token,
    });
    expect(outside).toMatchObject({ status: 404, body: { code: 'room_not_found' } });
    const anonymous = await api(server.url, 'GET', `/api/chat/rooms/${hidden}/members`);
    expect(anonymous.status).toBe(401);
  });
});

describe('unread counts in a busy room', () => {
  it('count exactly up to the limit, say the limit beyond it, and never count one’s own', async () => {
    const [reader, writer] = await Promise.all([register(server.url), register(server.url)]);
    const roomId = await createRoom(writer.token);
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: reader.token });
    const at = new Date().toISOString();
    const send = (authorId: string, i: number) => ({
      kind: 'send' as const,
      id: `${roomId}-${authorId}-${i}`,
      roomId,
      authorId,
      text: `message ${i}`,
      clientId: null,
      createdAt: at,
      threadSeq: null,
      alsoToRoom: false,
      mentions: [],
      files: [],
    });
    const total = limits.unreadCountMax + 100;
    for (let start = 0; start < total; start += 500) {
      const batch = Array.from({ length: Math.min(500, total - start) }, (_, i) =>
        send(writer.user.id, start + i),
      );
      await server.parley.ctx.store.applyOps(batch);
    }
    expect((await roomOf(reader.token, roomId))?.unreadCount).toBe(limits.unreadCountMax);

    const socket = await connect(server.url, reader.token);
    expect((await request(socket, 'read', { roomId, seq: total - 5 })).ok).toBe(true);
    await server.parley.ctx.store.applyOps([send(reader.user.id, 0), send(reader.user.id, 1)]);
    const room = await roomOf(reader.token, roomId);
    expect(room).toMatchObject({ unreadCount: 5, lastSeq: total + 2 });
    socket.close();
  });
});
