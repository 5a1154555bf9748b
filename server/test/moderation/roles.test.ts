import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@parley/protocol';
import { api, startServer, type TestServer } from '../harness.js';
import { auditActions, membersOf, type Person, people, roomWith } from './support.js';

/**
 * Every room role against every moderation action, through the real routes: who may do what to a plain
 * member, and what happens when someone acts above their rank.
 */
let server: TestServer;
let cast: Record<'admin' | 'owner' | 'moderator' | 'member' | 'outsider' | 'target' | 'other', Person>;

beforeAll(async () => {
  server = await startServer();
  // The first account is the server's admin.
  cast = await people(server, 'admin', 'owner', 'moderator', 'member', 'outsider', 'target', 'other');
});
afterAll(() => server.close());

type Actor = 'admin' | 'owner' | 'moderator' | 'member' | 'outsider';
const actors: Actor[] = ['admin', 'owner', 'moderator', 'member', 'outsider'];

interface Action {
  name: string;
  /** The actors allowed; the others get 403. */
  allowed: Actor[];
  run(roomId: string, actor: Person): Promise<{ status: number; body: unknown }>;
  /** Checks the effect, as seen by the owner. */
  effect?(roomId: string): Promise<void>;
}

const call = (method: string, path: string, actor: Person, body?: unknown) =>
  api(server.url, method, path, { token: actor.token, body });
const memberIds = async (roomId: string) =>
  (await membersOf(server, cast.owner.token, roomId)).map((m) => m.id);

/** The target's message in the room, to be deleted by someone else. */
async function targetMessage(roomId: string): Promise<number> {
  const sent = await api<{ message: Message }>(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
    token: cast.target.token,
    body: { text: 'a message someone else deletes' },
  });
  return sent.body.message.seq;
}

const actions: Action[] = [
  {
    name: 'delete someone else’s message',
    allowed: ['admin', 'owner', 'moderator'],
    run: async (roomId, actor) =>
      call('DELETE', `/api/chat/rooms/${roomId}/messages/${await targetMessage(roomId)}`, actor),
    async effect(roomId) {
      const page = await api<{ messages: Message[] }>(
        server.url,
        'GET',
        `/api/chat/rooms/${roomId}/messages`,
        {
          token: cast.owner.token,
        },
      );
      expect(page.body.messages.at(-1)).toMatchObject({ deleted: true, text: '' });
    },
  },
  {
    name: 'make a member moderator',
    allowed: ['admin', 'owner'],
    run: (roomId, actor) =>
      call('PATCH', `/api/chat/rooms/${roomId}/members/${cast.target.user.id}`, actor, { role: 'moderator' }),
    async effect(roomId) {
      const target = (await membersOf(server, cast.owner.token, roomId)).find(
        (m) => m.id === cast.target.user.id,
      );
      expect(target?.role).toBe('moderator');
    },
  },
  {
    name: 'make a moderator a member again',
    allowed: ['admin', 'owner'],
    run: (roomId, actor) =>
      call('PATCH', `/api/chat/rooms/${roomId}/members/${cast.other.user.id}`, actor, { role: 'member' }),
    async effect(roomId) {
      const other = (await membersOf(server, cast.owner.token, roomId)).find(
        (m) => m.id === cast.other.user.id,
      );
      expect(other?.role).toBe('member');
    },
  },
  {
    name: 'remove a member',
    allowed: ['admin', 'owner', 'moderator'],
    run: (roomId, actor) => call('DELETE', `/api/chat/rooms/${roomId}/members/${cast.target.user.id}`, actor),
    async effect(roomId) {
      expect(await memberIds(roomId)).not.toContain(cast.target.user.id);
    },
  },
  {
    name: 'mute a member',
    allowed: ['admin', 'owner', 'moderator'],
    run: (roomId, actor) =>
      call('POST', `/api/chat/rooms/${roomId}/mutes`, actor, {
        userId: cast.target.user.id,
        reason: 'cool off',
      }),
    async effect(roomId) {
      const target = (await membersOf(server, cast.owner.token, roomId)).find(
        (m) => m.id === cast.target.user.id,
      );
      expect(target?.muted).toEqual({ until: null });
    },
  },
  {
    name: 'ban a member',
    allowed: ['admin', 'owner', 'moderator'],
    run: (roomId, actor) =>
      call('POST', `/api/chat/rooms/${roomId}/bans`, actor, { userId: cast.target.user.id, reason: 'spam' }),
    async effect(roomId) {
      expect(await memberIds(roomId)).not.toContain(cast.target.user.id);
      const bans = await api<{ bans: { user: { id: string }; reason: string }[] }>(
        server.url,
        'GET',
        `/api/chat/rooms/${roomId}/bans`,
        { token: cast.owner.token },
      );
      expect(bans.body.bans).toEqual([
        expect.objectContaining({
          user: expect.objectContaining({ id: cast.target.user.id }),
          reason: 'spam',
        }),
      ]);
    },
  },
  {
    name: 'list the bans',
    allowed: ['admin', 'owner', 'moderator'],
    run: (roomId, actor) => call('GET', `/api/chat/rooms/${roomId}/bans`, actor),
  },
  {
    name: 'archive the room',
    allowed: ['admin', 'owner'],
    run: (roomId, actor) => call('PUT', `/api/chat/rooms/${roomId}/archive`, actor),
    async effect(roomId) {
      const room = await api<{ room: { archived?: boolean } }>(
        server.url,
        'GET',
        `/api/chat/rooms/${roomId}`,
        {
          token: cast.owner.token,
        },
      );
      expect(room.body.room.archived).toBe(true);
    },
  },
];

describe('room roles × moderation actions', () => {
  for (const action of actions) {
    for (const actor of actors) {
      const allowed = action.allowed.includes(actor);
      it(`${allowed ? 'lets' : 'refuses'} ${actor === 'admin' ? 'an admin' : `the ${actor}`} ${action.name}`, async () => {
        // A fresh room each time: owner, a moderator, a plain member, the target and a second moderator.
        const roomId = await roomWith(server, {
          owner: cast.owner,
          moderators: [cast.moderator, cast.other],
          members: [cast.member, cast.target],
        });
        const before = await membersOf(server, cast.owner.token, roomId);
        const reply = await action.run(roomId, cast[actor]);
        if (allowed) {
          expect(reply.status, JSON.stringify(reply)).toBeLessThan(300);
          await action.effect?.(roomId);
        } else {
          expect(reply.status).toBe(403);
          // An outsider of a public room is told to join first; everyone else that it is not theirs to do.
          expect((reply.body as { code: string }).code).toBe(
            actor === 'outsider' && action.name.startsWith('delete') ? 'not_a_member' : 'forbidden',
          );
          expect(await membersOf(server, cast.owner.token, roomId)).toEqual(before);
        }
      });
    }
  }

  it('hides a private room from an outsider, whatever the action (404, not 403)', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.target] }, 'private');
    for (const action of actions) {
      const reply = await action.run(roomId, cast.outsider);
      expect(reply.status, action.name).toBe(404);
    }
  });

  it('refuses a moderator acting on another moderator, and logs the refusal', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, moderators: [cast.moderator, cast.other] });
    for (const [method, path, body] of [
      ['POST', `/api/chat/rooms/${roomId}/bans`, { userId: cast.other.user.id }],
      ['POST', `/api/chat/rooms/${roomId}/mutes`, { userId: cast.other.user.id }],
      ['DELETE', `/api/chat/rooms/${roomId}/members/${cast.other.user.id}`, undefined],
    ] as const) {
      const reply = await call(method, path, cast.moderator, body);
      expect(reply.status).toBe(403);
      expect(reply.body).toMatchObject({ code: 'forbidden' });
    }
    const members = await membersOf(server, cast.owner.token, roomId);
    expect(members.find((m) => m.id === cast.other.user.id)).toMatchObject({ role: 'moderator' });
    expect(members.find((m) => m.id === cast.other.user.id)?.muted).toBeUndefined();
    const refused = (await auditActions(server, cast.admin.token, `&roomId=${roomId}`)).filter(
      (entry) => entry.outcome === 'refused',
    );
    expect(refused.map((entry) => entry.action).sort()).toEqual(['room.ban', 'room.mute', 'room.remove']);
  });

  it('logs a moderator deleting someone else’s message, once, and not an author deleting their own', async () => {
    const roomId = await roomWith(server, {
      owner: cast.owner,
      moderators: [cast.moderator],
      members: [cast.target],
    });
    const seq = await targetMessage(roomId);
    for (let i = 0; i < 2; i++) {
      expect((await call('DELETE', `/api/chat/rooms/${roomId}/messages/${seq}`, cast.moderator)).status).toBe(
        200,
      );
    }
    const own = await api<{ message: Message }>(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: cast.moderator.token,
      body: { text: 'my own words' },
    });
    expect(
      (await call('DELETE', `/api/chat/rooms/${roomId}/messages/${own.body.message.seq}`, cast.moderator))
        .status,
    ).toBe(200);
    const deletes = await auditActions(server, cast.admin.token, `&roomId=${roomId}&action=message.delete`);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toMatchObject({ outcome: 'done', target: { id: cast.target.user.id } });
  });

  it('refuses anyone, an admin included, banning or muting the owner', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, moderators: [cast.moderator] });
    for (const actor of [cast.moderator, cast.admin]) {
      for (const kind of ['bans', 'mutes']) {
        const reply = await call('POST', `/api/chat/rooms/${roomId}/${kind}`, actor, {
          userId: cast.owner.user.id,
        });
        expect(reply.status).toBe(403);
      }
    }
    expect(await memberIds(roomId)).toContain(cast.owner.user.id);
  });

  it('refuses the owner banning a server admin, and a moderator removing the owner', async () => {
    const roomId = await roomWith(server, {
      owner: cast.owner,
      moderators: [cast.moderator],
      members: [cast.admin],
    });
    expect(
      (await call('POST', `/api/chat/rooms/${roomId}/bans`, cast.owner, { userId: cast.admin.user.id }))
        .status,
    ).toBe(403);
    expect(
      (await call('DELETE', `/api/chat/rooms/${roomId}/members/${cast.owner.user.id}`, cast.moderator))
        .status,
    ).toBe(403);
    expect(await memberIds(roomId)).toEqual(expect.arrayContaining([cast.owner.user.id, cast.admin.user.id]));
  });

  it('lets an admin remove the owner, and the longest member takes over', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.member] });
    expect(
      (await call('DELETE', `/api/chat/rooms/${roomId}/members/${cast.owner.user.id}`, cast.admin)).status,
    ).toBe(204);
    const members = await membersOf(server, cast.member.token, roomId);
    expect(members).toEqual([expect.objectContaining({ id: cast.member.user.id, role: 'owner' })]);
  });

  it('refuses moderating a direct message: it has no moderators', async () => {
    const dm = await api<{ room: { id: string } }>(server.url, 'POST', '/api/dms', {
      token: cast.member.token,
      body: { userId: cast.target.user.id },
    });
    const reply = await call('POST', `/api/chat/rooms/${dm.body.room.id}/bans`, cast.member, {
      userId: cast.target.user.id,
    });
    expect(reply.status).toBe(403);
  });

  it('refuses bad input with a code and changes nothing: a past end time, an unknown user, oneself', async () => {
    const roomId = await roomWith(server, { owner: cast.owner, members: [cast.target] });
    const past = await call('POST', `/api/chat/rooms/${roomId}/bans`, cast.owner, {
      userId: cast.target.user.id,
      until: '2001-01-01T00:00:00Z',
    });
    expect(past.body).toMatchObject({ code: 'validation_failed' });
    const unknown = await call('POST', `/api/chat/rooms/${roomId}/mutes`, cast.owner, { userId: 'nobody' });
    expect(unknown.body).toMatchObject({ code: 'user_not_found' });
    const self = await call('POST', `/api/chat/rooms/${roomId}/bans`, cast.owner, {
      userId: cast.owner.user.id,
    });
    expect(self.body).toMatchObject({ code: 'validation_failed' });
    const badRole = await call(
      'PATCH',
      `/api/chat/rooms/${roomId}/members/${cast.target.user.id}`,
      cast.owner,
      {
        role: 'owner',
      },
    );
    expect(badRole.status).toBe(400);
    expect(await memberIds(roomId)).toContain(cast.target.user.id);
  });
});
