import type { Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, nextEvent, startServer, type TestServer } from '../harness.js';
import { membersOf, type Person, people, roomWith } from './support.js';

let server: TestServer;
let cast: Record<'admin' | 'owner' | 'moderator' | 'troll' | 'friend', Person>;

beforeAll(async () => {
  server = await startServer();
  cast = await people(server, 'admin', 'owner', 'moderator', 'troll', 'friend');
});
afterAll(() => server.close());

const roomAs = (token: string, roomId: string) =>
  api<{ room: Room }>(server.url, 'GET', `/api/chat/rooms/${roomId}`, { token });

describe('bans and mutes', () => {
  it('tells the banned person in words, removes them, and keeps them out until the ban is lifted', async () => {
    const roomId = await roomWith(server, {
      owner: cast.owner,
      moderators: [cast.moderator],
      members: [cast.troll],
    });
    const socket = await connect(server.url, cast.troll.token);
    const moderatorSocket = await connect(server.url, cast.moderator.token);
    try {
      const told = nextEvent(socket, 'room:restriction', (event) => event.roomId === roomId);
      const left = nextEvent(moderatorSocket, 'room:member', (event) => event.action === 'left');
      const ban = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/bans`, {
        token: cast.moderator.token,
        body: { userId: cast.troll.user.id, reason: 'Posting spam links' },
      });
      expect(ban.status).toBe(204);
      const notice = await told;
      expect(notice.restriction).toEqual({ kind: 'banned', until: null, reason: 'Posting spam links' });
      expect(notice.message).toMatch(/You were banned from room .*: Posting spam links/);
      expect(notice.by?.id).toBe(cast.moderator.user.id);
      expect(await left).toMatchObject({
        user: { id: cast.troll.user.id },
        by: { id: cast.moderator.user.id },
      });

      // A public room stays visible to them, saying why they cannot take part.
      const seen = await roomAs(cast.troll.token, roomId);
      expect(seen.body.room).toMatchObject({
        joined: false,
        restriction: { kind: 'banned', reason: 'Posting spam links' },
      });
      const rejoin = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, {
        token: cast.troll.token,
      });
      expect(rejoin.status).toBe(403);
      expect(rejoin.body).toMatchObject({
        code: 'banned',
        message: expect.stringContaining('Posting spam links'),
      });
      // Only members add people; once the friend has joined, the troll still cannot be brought back.
      await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: cast.friend.token });
      const readdAsMember = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/members`, {
        token: cast.friend.token,
        body: { userId: cast.troll.user.id },
      });
      expect(readdAsMember.body).toMatchObject({
        code: 'banned',
        message: expect.stringContaining(cast.troll.user.username),
      });

      const lifted = nextEvent(socket, 'room:restriction', (event) => event.roomId === roomId);
      const unban = await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/bans/${cast.troll.user.id}`, {
        token: cast.moderator.token,
      });
      expect(unban.status).toBe(204);
      expect((await lifted).restriction).toBeNull();
      expect(
        (await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: cast.troll.token })).status,
      ).toBe(200);
    } finally {
      socket.close();
      moderatorSocket.close();
    }
  });

  it('lets a ban with an end lapse by itself', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.troll] });
    const until = new Date(Date.now() + 1_500).toISOString();
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/bans`, {
      token: cast.owner.token,
      body: { userId: cast.troll.user.id, until },
    });
    const early = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, {
      token: cast.troll.token,
    });
    expect(early.body).toMatchObject({
      code: 'banned',
      message: expect.stringContaining(until.slice(0, 16).replace('T', ' ')),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect(
      (await api(server.url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: cast.troll.token })).status,
    ).toBe(200);
  });

  it('hides a private room from the person banned from it', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.troll] }, 'private');
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/bans`, {
      token: cast.owner.token,
      body: { userId: cast.troll.user.id },
    });
    expect((await roomAs(cast.troll.token, roomId)).status).toBe(404);
  });

  it('mutes a member for a time: they are told, everyone sees it in the member list, and it can be lifted', async () => {
    const roomId = await roomWith(server, {
      owner: cast.owner,
      moderators: [cast.moderator],
      members: [cast.troll],
    });
    const trollSocket = await connect(server.url, cast.troll.token);
    const ownerSocket = await connect(server.url, cast.owner.token);
    try {
      const until = new Date(Date.now() + 3_600_000).toISOString();
      const told = nextEvent(trollSocket, 'room:restriction', (event) => event.roomId === roomId);
      const updated = nextEvent(ownerSocket, 'member:updated', (event) => event.roomId === roomId);
      const mute = await api<{ member: { muted?: { until: string | null } } }>(
        server.url,
        'POST',
        `/api/chat/rooms/${roomId}/mutes`,
        { token: cast.moderator.token, body: { userId: cast.troll.user.id, until, reason: 'Heated' } },
      );
      expect(mute.status).toBe(200);
      expect(mute.body.member.muted).toEqual({ until });
      const notice = await told;
      expect(notice.restriction).toEqual({ kind: 'muted', until, reason: 'Heated' });
      expect(notice.message).toMatch(/You were muted in .* until .* UTC: Heated\. You can still read it\./);
      expect((await updated).member).toMatchObject({ id: cast.troll.user.id, muted: { until } });
      expect((await roomAs(cast.troll.token, roomId)).body.room.restriction).toEqual({
        kind: 'muted',
        until,
        reason: 'Heated',
      });

      const lifted = nextEvent(trollSocket, 'room:restriction', (event) => event.roomId === roomId);
      const unmute = await api(
        server.url,
        'DELETE',
        `/api/chat/rooms/${roomId}/mutes/${cast.troll.user.id}`,
        {
          token: cast.moderator.token,
        },
      );
      expect(unmute.status).toBe(200);
      expect((await lifted).message).toMatch(/You can send messages in .* again/);
      const members = await membersOf(server, cast.owner.token, roomId);
      expect(members.find((m) => m.id === cast.troll.user.id)?.muted).toBeUndefined();
      expect((await roomAs(cast.troll.token, roomId)).body.room.restriction).toBeUndefined();
    } finally {
      trollSocket.close();
      ownerSocket.close();
    }
  });

  it('tells a removed member who removed them', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.troll] });
    const socket = await connect(server.url, cast.troll.token);
    try {
      const told = nextEvent(socket, 'room:restriction', (event) => event.roomId === roomId);
      await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/members/${cast.troll.user.id}`, {
        token: cast.owner.token,
      });
      expect((await told).message).toBe(
        `${cast.owner.user.username} removed you from ${(await roomAs(cast.owner.token, roomId)).body.room.name}.`,
      );
    } finally {
      socket.close();
    }
  });

  it('shows each member their role in the room list', async () => {
    const roomId = await roomWith(server, {
      owner: cast.owner,
      moderators: [cast.moderator],
      members: [cast.friend],
    });
    for (const [person, role] of [
      [cast.owner, 'owner'],
      [cast.moderator, 'moderator'],
      [cast.friend, 'member'],
    ] as const) {
      const list = await api<{ rooms: Room[] }>(server.url, 'GET', '/api/chat/rooms', {
        token: person.token,
      });
      expect(list.body.rooms.find((room) => room.id === roomId)?.role).toBe(role);
    }
  });
});
