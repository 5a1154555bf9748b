import type { AdminRoom, Invite, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  nextEvent,
  register,
  request,
  startServer,
  strongPassword,
  type TestServer,
  uniqueName,
} from '../harness.js';
import { type Person, people, roomWith } from '../moderation/support.js';

let server: TestServer;
let cast: Record<'admin' | 'owner' | 'member', Person>;

beforeAll(async () => {
  server = await startServer();
  cast = await people(server, 'admin', 'owner', 'member');
});
afterAll(() => server.close());

const admin = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api<T>(server.url, method, path, { token: cast.admin.token, body });

describe('admin: rooms', () => {
  it('lists every room, private ones too, but no direct messages, a page at a time', async () => {
    const secret = await roomWith(server, { owner: cast.owner, members: [cast.member] }, 'private');
    await api(server.url, 'POST', '/api/dms', {
      token: cast.owner.token,
      body: { userId: cast.member.user.id },
    });
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const reply = await admin<{ rooms: AdminRoom[]; nextCursor?: string }>(
        'GET',
        `/api/admin/rooms?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      names.push(...reply.body.rooms.map((room) => room.id));
      cursor = reply.body.nextCursor;
    } while (cursor);
    expect(names).toContain(secret);
    const all = await admin<{ rooms: AdminRoom[] }>('GET', '/api/admin/rooms?limit=200');
    expect(all.body.rooms.every((room) => room.name.includes(':') === false)).toBe(true);
    expect(all.body.rooms.find((room) => room.id === secret)).toMatchObject({
      visibility: 'private',
      owner: { id: cast.owner.user.id },
      memberCount: 2,
    });
  });

  it('archives a room (its members are told) and brings it back', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.member] }, 'private');
    const socket = await connect(server.url, cast.member.token);
    try {
      const told = nextEvent(socket, 'room:updated', (event) => event.roomId === roomId);
      const reply = await admin<{ room: AdminRoom }>('PATCH', `/api/admin/rooms/${roomId}`, {
        archived: true,
      });
      expect(reply.body.room.archived).toBe(true);
      expect((await told).archived).toBe(true);
      const seen = await api<{ room: Room }>(server.url, 'GET', `/api/chat/rooms/${roomId}`, {
        token: cast.member.token,
      });
      expect(seen.body.room.archived).toBe(true);
      expect(
        (await admin<{ room: AdminRoom }>('PATCH', `/api/admin/rooms/${roomId}`, { archived: false })).body
          .room.archived,
      ).toBe(false);
    } finally {
      socket.close();
    }
  });

  it('deletes a room with its messages; members are told and it is gone', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.member] });
    const socket = await connect(server.url, cast.member.token);
    try {
      for (let i = 0; i < 3; i++)
        await request(socket, 'message:send', { roomId, text: `m${i}`, clientId: `${roomId}${i}` });
      const told = nextEvent(socket, 'room:deleted', (event) => event.roomId === roomId);
      expect((await admin('DELETE', `/api/admin/rooms/${roomId}`)).status).toBe(204);
      await told;
      expect(
        (await api(server.url, 'GET', `/api/chat/rooms/${roomId}`, { token: cast.member.token })).status,
      ).toBe(404);
      const left = await server.parley.ctx.store.db
        .selectFrom('messages')
        .select('id')
        .where('room_id', '=', roomId)
        .execute();
      expect(left).toEqual([]);
      expect((await admin('DELETE', `/api/admin/rooms/${roomId}`)).status).toBe(404);
    } finally {
      socket.close();
    }
  });
});

describe('admin: invites and registration', () => {
  const setRegistration = (registration: string, guests = true) =>
    admin('PATCH', '/api/admin/settings', { registration, guests });
  const registerWith = (invite?: string) =>
    api(server.url, 'POST', '/api/register', {
      body: { username: uniqueName('inv'), password: strongPassword, invite },
    });

  it('invite-only: registration needs a live invite; uses are counted and capped', async () => {
    await setRegistration('invite');
    try {
      expect((await registerWith()).body).toMatchObject({ code: 'invite_required' });
      expect((await registerWith('no-such-code')).body).toMatchObject({ code: 'invite_invalid' });
      const made = await admin<{ invite: Invite }>('POST', '/api/admin/invites', {
        maxUses: 2,
        expiresInHours: 24,
        note: 'book club',
      });
      expect(made.status).toBe(201);
      const { code, id } = made.body.invite;
      expect((await registerWith(code)).status).toBe(201);
      expect((await registerWith(code)).status).toBe(201);
      expect((await registerWith(code)).body).toMatchObject({ code: 'invite_invalid' });
      const list = await admin<{ invites: Invite[] }>('GET', '/api/admin/invites');
      expect(list.body.invites.find((invite) => invite.id === id)).toMatchObject({
        uses: 2,
        maxUses: 2,
        note: 'book club',
      });

      const another = (await admin<{ invite: Invite }>('POST', '/api/admin/invites', {})).body.invite;
      expect((await admin('DELETE', `/api/admin/invites/${another.id}`)).status).toBe(204);
      expect((await registerWith(another.code)).body).toMatchObject({ code: 'invite_invalid' });
      // A taken username does not use up the invite.
      const third = (await admin<{ invite: Invite }>('POST', '/api/admin/invites', { maxUses: 1 })).body
        .invite;
      const clash = await api(server.url, 'POST', '/api/register', {
        body: { username: cast.member.user.username, password: strongPassword, invite: third.code },
      });
      expect(clash.status).toBe(409);
      expect((await registerWith(third.code)).status).toBe(201);
      const config = await api(server.url, 'GET', '/api/config');
      expect(config.body).toMatchObject({ registration: 'invite' });
    } finally {
      await setRegistration('open');
    }
  });

  it('closed registration and guests switched off refuse new accounts with a code', async () => {
    await setRegistration('closed', false);
    try {
      expect((await registerWith()).body).toMatchObject({ code: 'registration_closed' });
      const guest = await api(server.url, 'POST', '/api/guest', { body: {} });
      expect(guest.status).toBe(403);
      expect(guest.body).toMatchObject({ code: 'guests_disabled' });
      expect((await api(server.url, 'GET', '/api/config')).body).toMatchObject({
        registration: 'closed',
        guests: false,
      });
      // Existing accounts still sign in.
      expect(
        (
          await api(server.url, 'POST', '/api/login', {
            body: { username: cast.member.user.username, password: strongPassword },
          })
        ).status,
      ).toBe(200);
    } finally {
      await setRegistration('open');
    }
    expect((await registerWith()).status).toBe(201);
    expect((await api(server.url, 'POST', '/api/guest', { body: {} })).status).toBe(201);
  });

  it('lets a guest keep its account only under the same rules', async () => {
    const guest = (await api<{ token: string }>(server.url, 'POST', '/api/guest', { body: {} })).body;
    await setRegistration('closed');
    try {
      const upgrade = await api(server.url, 'POST', '/api/me/upgrade', {
        token: guest.token,
        body: { username: uniqueName('kept'), password: strongPassword },
      });
      expect(upgrade.body).toMatchObject({ code: 'registration_closed' });
    } finally {
      await setRegistration('open');
    }
    const registered = await register(server.url);
    expect(registered.user.admin).toBe(false);
  });
});
