import type { Message, SyncReply } from '@parley/protocol';
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
  uniqueName,
} from './harness.js';

let server: TestServer;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

async function open(token: string): Promise<ClientSocket> {
  const socket = await connect(server.url, token);
  sockets.push(socket);
  return socket;
}

/** A private room with an owner and two members, each with a connected socket. */
async function room() {
  const [owner, ana, bo] = await Promise.all([
    register(server.url),
    register(server.url),
    register(server.url),
  ]);
  const made = await api<{ room: { id: string } }>(server.url, 'POST', '/api/chat/rooms', {
    token: owner.token,
    body: { name: uniqueName('Changes'), visibility: 'private' },
  });
  const roomId = made.body.room.id;
  for (const member of [ana, bo]) {
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/members`, {
      token: owner.token,
      body: { userId: member.user.id },
    });
  }
  return { roomId, owner, ana, bo, anaSocket: await open(ana.token), boSocket: await open(bo.token) };
}

async function send(token: string, roomId: string, text: string, extra: Record<string, unknown> = {}) {
  const reply = await api<{ message: Message }>(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
    token,
    body: { text, ...extra },
  });
  if (reply.status !== 201) throw new Error(`send: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.message;
}

const path = (roomId: string, seq: number, rest = '') => `/api/chat/rooms/${roomId}/messages/${seq}${rest}`;
const react = (token: string, roomId: string, seq: number, emoji: string, method: 'PUT' | 'DELETE' = 'PUT') =>
  api<{ message: Message }>(
    server.url,
    method,
    path(roomId, seq, `/reactions/${encodeURIComponent(emoji)}`),
    {
      token,
    },
  );

/** The row as stored (PostgreSQL answers bigint columns as strings). */
async function stored(roomId: string, seq: number) {
  const row = await server.parley.ctx.store.db
    .selectFrom('messages')
    .selectAll()
    .where('room_id', '=', roomId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row && { ...row, seq: Number(row.seq), rev: Number(row.rev) };
}

describe('messages that change', () => {
  it('lets the author edit, marks it edited, bumps its rev and tells the room the whole message', async () => {
    const { roomId, ana, boSocket } = await room();
    const sent = await send(ana.token, roomId, 'helo');
    const heard = nextEvent(boSocket, 'message:updated', (m) => m.roomId === roomId);
    const edited = await api<{ message: Message }>(server.url, 'PATCH', path(roomId, sent.seq), {
      token: ana.token,
      body: { text: '  hello  ' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.message).toMatchObject({ seq: sent.seq, text: 'hello', id: sent.id });
    expect(edited.body.message.rev).toBeGreaterThan(sent.rev);
    expect(edited.body.message.editedAt).toEqual(expect.any(String));
    expect(await heard).toEqual(edited.body.message);
  });

  it('refuses to edit someone else’s message, an empty or over-long text, and a missing seq, changing nothing', async () => {
    const { roomId, ana, bo, owner } = await room();
    const sent = await send(ana.token, roomId, 'mine');
    for (const [token, body, status, code] of [
      [bo.token, { text: 'not yours' }, 403, 'forbidden'],
      [owner.token, { text: 'owners do not edit' }, 403, 'forbidden'],
      [ana.token, { text: '   ' }, 400, 'message_empty'],
      [ana.token, { text: 'x'.repeat(4001) }, 400, 'message_too_long'],
    ] as const) {
      const reply = await api(server.url, 'PATCH', path(roomId, sent.seq), { token, body });
      expect(reply.status).toBe(status);
      expect(reply.body).toMatchObject({ code });
    }
    const missing = await api(server.url, 'PATCH', path(roomId, 999), {
      token: ana.token,
      body: { text: 'x' },
    });
    expect(missing.body).toMatchObject({ code: 'message_not_found' });
    expect(await stored(roomId, sent.seq)).toMatchObject({ text: 'mine', edited_at: null, rev: sent.rev });
  });

  it('answers 404 for a message in a private room the caller is not in, as for a room that does not exist', async () => {
    const { roomId, ana } = await room();
    const sent = await send(ana.token, roomId, 'secret');
    const stranger = await register(server.url);
    for (const [method, rest, body] of [
      ['PATCH', '', { text: 'x' }],
      ['DELETE', '', undefined],
      ['PUT', '/reactions/%F0%9F%91%8D', undefined],
      ['PUT', '/pin', undefined],
      ['GET', '/thread', undefined],
    ] as const) {
      const reply = await api(server.url, method, path(roomId, sent.seq, rest), {
        token: stranger.token,
        body,
      });
      expect(reply.status, `${method} ${rest}`).toBe(404);
      expect(reply.body).toMatchObject({ code: 'room_not_found' });
    }
    const socket = await open(stranger.token);
    const ack = await request(socket, 'message:edit', { roomId, seq: sent.seq, text: 'x' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'room_not_found' } });
  });

  it('deletes to a tombstone whose text and reactions are gone from the database, for the author, the owner and admins only', async () => {
    const { roomId, ana, bo, owner, boSocket } = await room();
    const first = await send(ana.token, roomId, 'take this back');
    await react(bo.token, roomId, first.seq, '👍');
    expect(
      (await api(server.url, 'DELETE', path(roomId, first.seq), { token: bo.token })).body,
    ).toMatchObject({
      code: 'forbidden',
    });
    const heard = nextEvent(boSocket, 'message:updated', (m) => m.seq === first.seq && m.deleted === true);
    const deleted = await api<{ message: Message }>(server.url, 'DELETE', path(roomId, first.seq), {
      token: ana.token,
    });
    expect(deleted.body.message).toMatchObject({ deleted: true, text: '', reactions: [], mentions: [] });
    expect(await heard).toEqual(deleted.body.message);
    expect(await stored(roomId, first.seq)).toMatchObject({ text: '', deleted: 1, reactions: '[]' });
    // Deleting again is not an error, and changes nothing.
    const again = await api<{ message: Message }>(server.url, 'DELETE', path(roomId, first.seq), {
      token: ana.token,
    });
    expect(again.body.message.rev).toBe(deleted.body.message.rev);

    const second = await send(bo.token, roomId, 'the owner may remove this');
    const byOwner = await api<{ message: Message }>(server.url, 'DELETE', path(roomId, second.seq), {
      token: owner.token,
    });
    expect(byOwner.body.message.deleted).toBe(true);
  });

  it('refuses edits, reactions and pins on a tombstone', async () => {
    const { roomId, ana, bo } = await room();
    const sent = await send(ana.token, roomId, 'soon gone');
    await api(server.url, 'DELETE', path(roomId, sent.seq), { token: ana.token });
    const before = await stored(roomId, sent.seq);
    for (const reply of [
      await api(server.url, 'PATCH', path(roomId, sent.seq), { token: ana.token, body: { text: 'back' } }),
      await react(bo.token, roomId, sent.seq, '🎉'),
      await api(server.url, 'PUT', path(roomId, sent.seq, '/pin'), { token: bo.token }),
    ]) {
      expect(reply.status).toBe(409);
      expect(reply.body).toMatchObject({ code: 'message_deleted' });
    }
    expect(await stored(roomId, sent.seq)).toEqual(before);
  });

  it('toggles one emoji per person, aggregated with count and who, and refuses anything but one emoji', async () => {
    const { roomId, ana, bo } = await room();
    const sent = await send(ana.token, roomId, 'react to me');
    await react(ana.token, roomId, sent.seq, '👍');
    await react(bo.token, roomId, sent.seq, '👍');
    const twice = await react(bo.token, roomId, sent.seq, '👍');
    const heart = await react(bo.token, roomId, sent.seq, '❤'); // taken in its emoji form
    expect(heart.body.message.reactions).toEqual([
      { emoji: '👍', count: 2, users: [ana.user.id, bo.user.id] },
      { emoji: '❤️', count: 1, users: [bo.user.id] },
    ]);
    expect(twice.body.message.rev).toBeLessThan(heart.body.message.rev);
    const off = await react(ana.token, roomId, sent.seq, '👍', 'DELETE');
    expect(off.body.message.reactions[0]).toEqual({ emoji: '👍', count: 1, users: [bo.user.id] });
    for (const junk of ['a', 'ab', '👍👍', ':+1:', '1', ' ']) {
      const reply = await react(bo.token, roomId, sent.seq, junk);
      expect(reply.body, junk).toMatchObject({ code: 'invalid_emoji' });
    }
    expect((await react(bo.token, roomId, sent.seq, '👨‍👩‍👧')).status).toBe(200);
    expect((await react(bo.token, roomId, sent.seq, '🇫🇷')).status).toBe(200);
  });

  it('caps the distinct emoji on one message', async () => {
    const { roomId, ana, bo } = await room();
    const sent = await send(ana.token, roomId, 'so many feelings');
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤩'];
    for (const e of emoji.slice(0, 20)) expect((await react(bo.token, roomId, sent.seq, e)).status).toBe(200);
    const over = await react(bo.token, roomId, sent.seq, emoji[20] as string);
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'too_many_reactions' });
    // One more person on an emoji already there is fine.
    expect((await react(ana.token, roomId, sent.seq, '😀')).status).toBe(200);
  });

  it('pins and unpins, lists the pinned messages newest pin first, and marks them', async () => {
    const { roomId, ana, bo } = await room();
    const one = await send(ana.token, roomId, 'first');
    const two = await send(ana.token, roomId, 'second');
    await api(server.url, 'PUT', path(roomId, one.seq, '/pin'), { token: bo.token });
    const pinned = await api<{ message: Message }>(server.url, 'PUT', path(roomId, two.seq, '/pin'), {
      token: ana.token,
    });
    expect(pinned.body.message.pinned).toEqual({ by: ana.user.id, at: expect.any(String) });
    const list = await api<{ messages: Message[] }>(server.url, 'GET', `/api/chat/rooms/${roomId}/pins`, {
      token: bo.token,
    });
    expect(list.body.messages.map((m) => m.seq)).toEqual([two.seq, one.seq]);
    const unpinned = await api<{ message: Message }>(server.url, 'DELETE', path(roomId, one.seq, '/pin'), {
      token: ana.token,
    });
    expect(unpinned.body.message.pinned).toBeUndefined();
    const after = await api<{ messages: Message[] }>(server.url, 'GET', `/api/chat/rooms/${roomId}/pins`, {
      token: bo.token,
    });
    expect(after.body.messages.map((m) => m.seq)).toEqual([two.seq]);
  });

  it('keeps thread replies out of the main timeline, counts them on the root, and serves the thread', async () => {
    const { roomId, ana, bo, anaSocket } = await room();
    const root = await send(ana.token, roomId, 'a question');
    const rootUpdated = nextEvent(anaSocket, 'message:updated', (m) => m.seq === root.seq);
    const reply = await send(bo.token, roomId, 'an answer', { threadSeq: root.seq });
    expect(reply.threadSeq).toBe(root.seq);
    const updatedRoot = await rootUpdated;
    expect(updatedRoot.thread).toEqual({
      replies: 1,
      lastReplyAt: reply.createdAt,
      participants: [bo.user.id],
    });
    const loud = await send(ana.token, roomId, 'the answer, for everyone', {
      threadSeq: root.seq,
      alsoToRoom: true,
    });
    expect(loud.alsoToRoom).toBe(true);
    const timeline = await api<{ messages: Message[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      {
        token: bo.token,
      },
    );
    expect(timeline.body.messages.map((m) => m.seq)).toEqual([root.seq, loud.seq]);
    const thread = await api<{ root: Message; messages: Message[]; hasMore: boolean }>(
      server.url,
      'GET',
      path(roomId, root.seq, '/thread'),
      { token: bo.token },
    );
    expect(thread.body.root.thread).toMatchObject({ replies: 2, participants: [ana.user.id, bo.user.id] });
    expect(thread.body.messages.map((m) => m.seq)).toEqual([reply.seq, loud.seq]);

    // A deleted reply leaves the count; the thread of a deleted root stays readable.
    await api(server.url, 'DELETE', path(roomId, reply.seq), { token: bo.token });
    await api(server.url, 'DELETE', path(roomId, root.seq), { token: ana.token });
    const later = await api<{ root: Message; messages: Message[] }>(
      server.url,
      'GET',
      path(roomId, root.seq, '/thread'),
      {
        token: bo.token,
      },
    );
    expect(later.body.root).toMatchObject({ deleted: true, thread: { replies: 1 } });
    expect(later.body.messages.map((m) => [m.seq, m.deleted ?? false])).toEqual([
      [reply.seq, true],
      [loud.seq, false],
    ]);
  });

  it('refuses a reply to a reply, to a missing message and to a deleted root', async () => {
    const { roomId, ana, anaSocket } = await room();
    const root = await send(ana.token, roomId, 'root');
    const reply = await send(ana.token, roomId, 'reply', { threadSeq: root.seq });
    const gone = await send(ana.token, roomId, 'gone');
    await api(server.url, 'DELETE', path(roomId, gone.seq), { token: ana.token });
    for (const [threadSeq, code] of [
      [reply.seq, 'invalid_thread'],
      [999, 'message_not_found'],
      [gone.seq, 'message_deleted'],
    ] as const) {
      const ack = await request(anaSocket, 'message:send', {
        roomId,
        text: 'x',
        clientId: uniqueName(),
        threadSeq,
      });
      expect(ack).toMatchObject({ ok: false, error: { code } });
    }
    const thread = await api(server.url, 'GET', path(roomId, reply.seq, '/thread'), { token: ana.token });
    expect(thread.body).toMatchObject({ code: 'invalid_thread' });
  });

  it('pages around a message: half before it, the rest from it on', async () => {
    const { roomId, ana } = await room();
    const sent = [];
    for (let i = 1; i <= 30; i++) sent.push(await send(ana.token, roomId, `m${i}`));
    const page = await api<{ messages: Message[]; hasMore: boolean; hasNewer: boolean }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages?around=${sent[14]?.seq}&limit=10`,
      { token: ana.token },
    );
    expect(page.body.messages.map((m) => m.text)).toEqual([
      'm10',
      'm11',
      'm12',
      'm13',
      'm14',
      'm15',
      'm16',
      'm17',
      'm18',
      'm19',
    ]);
    expect(page.body).toMatchObject({ hasMore: true, hasNewer: true });
  });

  it('syncs by rev: every message new or changed since, once, at its current state, in rev order', async () => {
    const { roomId, ana, bo, anaSocket } = await room();
    const kept = await send(ana.token, roomId, 'kept');
    const toEdit = await send(ana.token, roomId, 'to edit');
    const toDelete = await send(bo.token, roomId, 'to delete');
    const cursor = toDelete.rev;

    await api(server.url, 'PATCH', path(roomId, toEdit.seq), { token: ana.token, body: { text: 'edited' } });
    await react(bo.token, roomId, toEdit.seq, '🎉');
    await api(server.url, 'DELETE', path(roomId, toDelete.seq), { token: bo.token });
    const fresh = await send(bo.token, roomId, 'new while away');

    const reply = (await request(anaSocket, 'sync', {
      since: { [roomId]: toDelete.seq },
      revs: { [roomId]: cursor },
    })) as unknown as { ok: true } & SyncReply;
    const got = reply.messages[roomId] ?? [];
    expect(got.map((m) => m.seq)).toEqual([toEdit.seq, toDelete.seq, fresh.seq]);
    expect(got.map((m) => m.rev)).toEqual([...got.map((m) => m.rev)].sort((a, b) => a - b));
    expect(got[0]).toMatchObject({ text: 'edited', reactions: [{ emoji: '🎉', count: 1 }] });
    expect(got[1]).toMatchObject({ deleted: true, text: '' });
    expect(got.some((m) => m.seq === kept.seq)).toBe(false);
    expect(reply.hasMore[roomId]).toBe(false);

    // A client that only sends seq cursors (today's contract) gets the new message, as before.
    const old = (await request(anaSocket, 'sync', { since: { [roomId]: toDelete.seq } })) as unknown as {
      ok: true;
    } & SyncReply;
    expect(old.messages[roomId]?.map((m) => m.seq)).toEqual([fresh.seq]);
  });

  it('tells a client that syncs by rev that the history was cleared meanwhile', async () => {
    const { roomId, owner, ana, anaSocket } = await room();
    const before = await send(ana.token, roomId, 'soon cleared');
    await api(server.url, 'DELETE', `/api/chat/rooms/${roomId}/messages`, { token: owner.token });
    const after = await send(ana.token, roomId, 'after the clear');
    const reply = (await request(anaSocket, 'sync', {
      since: {},
      revs: { [roomId]: before.rev },
    })) as unknown as {
      ok: true;
    } & SyncReply;
    expect(reply.cleared?.[roomId]).toEqual({ seq: before.seq, rev: before.rev + 1 });
    expect(reply.messages[roomId]?.map((m) => m.seq)).toEqual([after.seq]);
  });

  it('keeps sending when a listener of the commit announcements throws', async () => {
    const { roomId, ana, anaSocket } = await room();
    const { events } = server.parley.ctx;
    const broken = () => {
      throw new Error('a broken listener');
    };
    events.on('room.changed', broken);
    try {
      for (let i = 0; i < 3; i++) {
        const ack = await request(anaSocket, 'message:send', {
          roomId,
          text: `still ${i}`,
          clientId: uniqueName(),
        });
        expect(ack.ok).toBe(true);
      }
      const edited = await request(anaSocket, 'message:edit', { roomId, seq: 1, text: 'edited anyway' });
      expect(edited.ok).toBe(true);
    } finally {
      events.off('room.changed', broken);
    }
    expect((await send(ana.token, roomId, 'and after')).seq).toBe(4);
  });

  it('ends in one state when several people change one message at once', async () => {
    const { roomId, ana, owner, anaSocket, boSocket } = await room();
    const sent = await send(ana.token, roomId, 'contested');
    const ownerSocket = await open(owner.token);
    const last = new Map<string, Message>();
    for (const socket of [anaSocket, boSocket, ownerSocket]) {
      socket.on('message:updated', (m) => {
        if (m.roomId !== roomId) return;
        const held = last.get(socket.id ?? '');
        if (!held || held.rev < m.rev) last.set(socket.id ?? '', m);
      });
    }
    const emoji = ['😀', '🎉', '👍', '🔥', '✅'];
    await Promise.all([
      ...emoji.map((e) => request(boSocket, 'reaction', { roomId, seq: sent.seq, emoji: e, on: true })),
      ...emoji.map((e) => request(ownerSocket, 'reaction', { roomId, seq: sent.seq, emoji: e, on: true })),
      request(anaSocket, 'message:edit', { roomId, seq: sent.seq, text: 'contested, edited' }),
      request(ownerSocket, 'message:pin', { roomId, seq: sent.seq, on: true }),
    ]);
    const final = await api<{ messages: Message[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      {
        token: ana.token,
      },
    );
    const truth = final.body.messages.find((m) => m.seq === sent.seq) as Message;
    expect(truth.reactions.map((r) => r.count)).toEqual([2, 2, 2, 2, 2]);
    await expect
      .poll(() => [...last.values()].map((m) => JSON.stringify(m)))
      .toEqual([JSON.stringify(truth), JSON.stringify(truth), JSON.stringify(truth)]);
  });
});
