import type { Message, Report, Room } from '@parley/protocol';
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
} from '../harness.js';
import { type Person, people, roomWith } from './support.js';

let server: TestServer;
let cast: Record<'admin' | 'owner' | 'moderator' | 'member' | 'pest', Person>;

beforeAll(async () => {
  server = await startServer();
  cast = await people(server, 'admin', 'owner', 'moderator', 'member', 'pest');
});
afterAll(() => server.close());

const dm = (from: Person, to: Person) =>
  api<{ room: Room }>(server.url, 'POST', '/api/dms', { token: from.token, body: { userId: to.user.id } });

describe('blocks', () => {
  it('stops new DMs from a blocked person and says so in their view of an existing one, until unblocked', async () => {
    const victim = await register(server.url);
    const pest = await register(server.url);
    const existing = await dm(pest, victim);
    expect(
      (await api(server.url, 'PUT', `/api/me/blocks/${pest.user.id}`, { token: victim.token })).status,
    ).toBe(204);
    const list = await api<{ users: { id: string }[] }>(server.url, 'GET', '/api/me/blocks', {
      token: victim.token,
    });
    expect(list.body.users.map((user) => user.id)).toEqual([pest.user.id]);

    const seen = await api<{ room: Room }>(server.url, 'GET', `/api/chat/rooms/${existing.body.room.id}`, {
      token: pest.token,
    });
    expect(seen.body.room.restriction).toEqual({ kind: 'blocked', until: null, reason: null });
    // The blocker's own view is not restricted.
    const own = await api<{ room: Room }>(server.url, 'GET', `/api/chat/rooms/${existing.body.room.id}`, {
      token: victim.token,
    });
    expect(own.body.room.restriction).toBeUndefined();

    const third = await register(server.url);
    await api(server.url, 'PUT', `/api/me/blocks/${pest.user.id}`, { token: third.token });
    const refused = await dm(pest, third);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'blocked' });
    // The one who blocked may still start it; the pest can read but not write there.
    const started = await dm(third, pest);
    expect(started.status).toBe(200);
    const pestView = await api<{ room: Room }>(server.url, 'GET', `/api/chat/rooms/${started.body.room.id}`, {
      token: pest.token,
    });
    expect(pestView.body.room.restriction?.kind).toBe('blocked');

    expect(
      (await api(server.url, 'DELETE', `/api/me/blocks/${pest.user.id}`, { token: victim.token })).status,
    ).toBe(204);
    const after = await api<{ room: Room }>(server.url, 'GET', `/api/chat/rooms/${existing.body.room.id}`, {
      token: pest.token,
    });
    expect(after.body.room.restriction).toBeUndefined();
    expect(
      (await api(server.url, 'PUT', `/api/me/blocks/${victim.user.id}`, { token: victim.token })).body,
    ).toMatchObject({
      code: 'validation_failed',
    });
    expect((await api(server.url, 'PUT', '/api/me/blocks/nobody', { token: victim.token })).status).toBe(404);
  });
});

describe('reports', () => {
  it('takes a report from a member, tells the room’s moderators and admins, and lets a moderator close it', async () => {
    const roomId = await roomWith(server, {
      owner: cast.owner,
      moderators: [cast.moderator],
      members: [cast.member, cast.pest],
    });
    const sockets = await Promise.all(
      [cast.moderator, cast.admin, cast.member].map((p) => connect(server.url, p.token)),
    );
    const [moderatorSocket, adminSocket, memberSocket] = sockets;
    try {
      const pestSocket = await connect(server.url, cast.pest.token);
      const sent = await request(pestSocket, 'message:send', {
        roomId,
        text: 'buy cheap pills',
        clientId: `p${Date.now()}`,
      });
      pestSocket.close();
      const seq = (sent as unknown as { message: Message }).message.seq;
      const heardByMember = record(memberSocket!, 'report:new');
      const toModerator = nextEvent(moderatorSocket!, 'report:new');
      const toAdmin = nextEvent(adminSocket!, 'report:new');
      const made = await api<{ report: Report }>(
        server.url,
        'POST',
        `/api/chat/rooms/${roomId}/messages/${seq}/report`,
        {
          token: cast.member.token,
          body: { reason: 'Spam' },
        },
      );
      expect(made.status).toBe(201);
      expect(made.body.report).toMatchObject({
        seq,
        text: 'buy cheap pills',
        author: { id: cast.pest.user.id },
        reporter: { id: cast.member.user.id },
        reason: 'Spam',
        status: 'open',
      });
      expect((await toModerator).id).toBe(made.body.report.id);
      expect((await toAdmin).id).toBe(made.body.report.id);
      await roundTrip(memberSocket!);
      expect(heardByMember).toEqual([]);

      const queue = (person: Person, query = '') =>
        api<{ reports: Report[] }>(server.url, 'GET', `/api/moderation/reports${query}`, {
          token: person.token,
        });
      expect((await queue(cast.moderator)).body.reports.map((r) => r.id)).toContain(made.body.report.id);
      expect((await queue(cast.admin)).body.reports.map((r) => r.id)).toContain(made.body.report.id);
      expect((await queue(cast.member)).body.reports).toEqual([]);
      const notMine = await api(server.url, 'PATCH', `/api/moderation/reports/${made.body.report.id}`, {
        token: cast.member.token,
        body: { status: 'dismissed' },
      });
      expect(notMine.status).toBe(404);

      const closed = await api<{ report: Report }>(
        server.url,
        'PATCH',
        `/api/moderation/reports/${made.body.report.id}`,
        {
          token: cast.moderator.token,
          body: { status: 'resolved' },
        },
      );
      expect(closed.body.report).toMatchObject({
        status: 'resolved',
        resolvedBy: { id: cast.moderator.user.id },
      });
      expect((await queue(cast.moderator)).body.reports.map((r) => r.id)).not.toContain(made.body.report.id);
      expect((await queue(cast.moderator, '?status=resolved')).body.reports.map((r) => r.id)).toContain(
        made.body.report.id,
      );
    } finally {
      for (const socket of sockets) socket?.close();
    }
  });

  it('refuses reporting one’s own message, a message that does not exist, or in a room one is not in', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.member] }, 'private');
    const socket = await connect(server.url, cast.member.token);
    const sent = await request(socket, 'message:send', { roomId, text: 'mine', clientId: `m${Date.now()}` });
    socket.close();
    const seq = (sent as unknown as { message: Message }).message.seq;
    const report = (person: Person, at: number) =>
      api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages/${at}/report`, {
        token: person.token,
        body: {},
      });
    expect((await report(cast.member, seq)).body).toMatchObject({ code: 'validation_failed' });
    expect((await report(cast.owner, seq + 50)).status).toBe(404);
    expect((await report(cast.pest, seq)).status).toBe(404);
  });
});
