import type { Message } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, looseLimits, nextEvent, request, startServer, type TestServer } from '../harness.js';
import { type Person, people, roomWith } from './support.js';

/** Who may write, checked where the message is stored: muted members, archived rooms, blocked people. */
let server: TestServer;
let cast: Record<'admin' | 'owner' | 'member' | 'pest', Person>;

beforeAll(async () => {
  server = await startServer();
  cast = await people(server, 'admin', 'owner', 'member', 'pest');
});
afterAll(() => server.close());

const send = (person: Person, roomId: string, text: string) =>
  api<{ message: Message; code?: string; message_?: string }>(
    server.url,
    'POST',
    `/api/chat/rooms/${roomId}/messages`,
    {
      token: person.token,
      body: { text },
    },
  );

describe('who may write', () => {
  it('lets a muted member read but not send, edit or react, saying why, until unmuted', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.pest] });
    const before = await send(cast.pest, roomId, 'before the mute');
    expect(before.status).toBe(201);
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/mutes`, {
      token: cast.owner.token,
      body: { userId: cast.pest.user.id, reason: 'Calm down' },
    });
    const socket = await connect(server.url, cast.pest.token);
    try {
      const heard = nextEvent(socket, 'message:new', (message) => message.roomId === roomId);
      expect((await send(cast.owner, roomId, 'still reading?')).status).toBe(201);
      expect((await heard).text).toBe('still reading?');
      const refused = await request(socket, 'message:send', {
        roomId,
        text: 'let me talk',
        clientId: `m${Date.now()}`,
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'muted', message: 'You are muted in this room: Calm down.' },
      });
      const edit = await api(
        server.url,
        'PATCH',
        `/api/chat/rooms/${roomId}/messages/${before.body.message.seq}`,
        {
          token: cast.pest.token,
          body: { text: 'edited while muted' },
        },
      );
      expect(edit.body).toMatchObject({ code: 'muted' });
      const reaction = await api(
        server.url,
        'PUT',
        `/api/chat/rooms/${roomId}/messages/${before.body.message.seq}/reactions/${encodeURIComponent('👍')}`,
        {
          token: cast.pest.token,
        },
      );
      expect(reaction.body).toMatchObject({ code: 'muted' });
      const history = await api<{ messages: Message[] }>(
        server.url,
        'GET',
        `/api/chat/rooms/${roomId}/messages`,
        {
          token: cast.pest.token,
        },
      );
      expect(history.body.messages.map((m) => m.text)).toEqual(['before the mute', 'still reading?']);

      await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/mutes/${cast.pest.user.id}`, {
        token: cast.owner.token,
      });
      expect(
        (await request(socket, 'message:send', { roomId, text: 'thanks', clientId: `t${Date.now()}` })).ok,
      ).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('ends a timed mute by itself', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.pest] });
    const until = new Date(Date.now() + 1_200).toISOString();
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/mutes`, {
      token: cast.owner.token,
      body: { userId: cast.pest.user.id, until },
    });
    const early = await send(cast.pest, roomId, 'too early');
    expect(early.body).toMatchObject({ code: 'muted', message: expect.stringContaining('until') });
    await new Promise((resolve) => setTimeout(resolve, 1_400));
    expect((await send(cast.pest, roomId, 'on time')).status).toBe(201);
  });

  it('makes an archived room read-only for everyone, its owner and admins included, until unarchived', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.member] });
    const first = await send(cast.member, roomId, 'last words');
    await api(server.url, 'PUT', `/api/chat/rooms/${roomId}/archive`, { token: cast.owner.token });
    for (const person of [cast.member, cast.owner]) {
      const refused = await send(person, roomId, 'anyone there?');
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'room_archived' });
    }
    const edit = await api(
      server.url,
      'PATCH',
      `/api/chat/rooms/${roomId}/messages/${first.body.message.seq}`,
      {
        token: cast.member.token,
        body: { text: 'rewriting history' },
      },
    );
    expect(edit.body).toMatchObject({ code: 'room_archived' });
    const history = await api<{ messages: Message[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      {
        token: cast.member.token,
      },
    );
    expect(history.body.messages.map((m) => m.text)).toEqual(['last words']);
    await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/archive`, { token: cast.owner.token });
    expect((await send(cast.member, roomId, 'back again')).status).toBe(201);
  });

  it('refuses a blocked person’s messages in the DM, and takes them again once unblocked', async () => {
    const dm = await api<{ room: { id: string } }>(server.url, 'POST', '/api/dms', {
      token: cast.pest.token,
      body: { userId: cast.member.user.id },
    });
    const roomId = dm.body.room.id;
    expect((await send(cast.pest, roomId, 'hi')).status).toBe(201);
    await api(server.url, 'PUT', `/api/me/blocks/${cast.pest.user.id}`, { token: cast.member.token });
    const refused = await send(cast.pest, roomId, 'hello??');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'blocked' });
    // The blocker may still write.
    expect((await send(cast.member, roomId, 'please stop')).status).toBe(201);
    await api(server.url, 'DELETE', `/api/me/blocks/${cast.pest.user.id}`, { token: cast.member.token });
    expect((await send(cast.pest, roomId, 'sorry')).status).toBe(201);
  });
});

describe('send, edit and reaction limits', () => {
  it('answers rate_limited with retryAfter past each bucket, while another member’s sends still succeed', async () => {
    const own = await startServer({
      env: { ...looseLimits, RATE_SEND: '5/60s', RATE_EDIT: '2/60s', RATE_REACTION: '2/60s' },
    });
    try {
      const group = await people(own, 'boss', 'flooder', 'calm');
      const roomId = await roomWith(own, { owner: group.boss, members: [group.flooder, group.calm] });
      const [flooder, calm] = await Promise.all([
        connect(own.url, group.flooder.token),
        connect(own.url, group.calm.token),
      ]);
      try {
        const flood = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            request(flooder, 'message:send', { roomId, text: `flood ${i}`, clientId: `f${i}` }),
          ),
        );
        const accepted = flood.filter((ack) => ack.ok);
        expect(accepted).toHaveLength(5);
        const refused = flood.find((ack) => !ack.ok);
        expect(refused).toMatchObject({
          ok: false,
          error: { code: 'rate_limited', retryAfter: expect.any(Number) },
        });
        // Another member's sends go through while the flooder is refused.
        for (let i = 0; i < 5; i++) {
          expect(
            (await request(calm, 'message:send', { roomId, text: `calm ${i}`, clientId: `c${i}` })).ok,
          ).toBe(true);
        }
        const seq = (accepted[0] as unknown as { message: Message }).message.seq;
        const edit = (text: string) =>
          api(own.url, 'PATCH', `/api/chat/rooms/${roomId}/messages/${seq}`, {
            token: group.flooder.token,
            body: { text },
          });
        expect((await edit('one')).status).toBe(200);
        expect((await edit('two')).status).toBe(200);
        expect((await edit('three')).body).toMatchObject({ code: 'rate_limited' });
        const react = (emoji: string) =>
          api(
            own.url,
            'PUT',
            `/api/chat/rooms/${roomId}/messages/${seq}/reactions/${encodeURIComponent(emoji)}`,
            {
              token: group.flooder.token,
            },
          );
        expect((await react('👍')).status).toBe(200);
        expect((await react('🎉')).status).toBe(200);
        const third = await react('❤️');
        expect(third.status).toBe(429);
        expect(third.headers.get('retry-after')).toBeTruthy();
      } finally {
        flooder.close();
        calm.close();
      }
    } finally {
      await own.close();
    }
  });
});
