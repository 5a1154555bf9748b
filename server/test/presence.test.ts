import type { AuthReply, PresenceMap, RoomDetailsReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  connect,
  defaultRoomId,
  nextEvent,
  record,
  register,
  request,
  roundTrip,
  startServer,
  type TestServer,
} from './harness.js';

const windowMs = 300;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { PRESENCE_WINDOW_MS: String(windowMs) } });
});
afterAll(() => server.close());

const open: ClientSocket[] = [];
async function tab(user: AuthReply, options: { away?: boolean; url?: string } = {}) {
  const socket = await connect(options.url ?? server.url, user.token, { away: options.away });
  open.push(socket);
  return socket;
}
afterAll(() => {
  for (const socket of open) socket.close();
});

async function watch(socket: ClientSocket, userIds: string[]): Promise<PresenceMap> {
  const ack = await request(socket, 'presence:watch', { userIds });
  if (!ack.ok) throw new Error(`watch refused: ${ack.error.code}`);
  return ack.presence as unknown as PresenceMap;
}

/** Every `presence:changed` frame the socket gets, with when it arrived. */
function frames(socket: ClientSocket) {
  const seen: { at: number; presence: PresenceMap }[] = [];
  socket.on('presence:changed', ({ presence }) => seen.push({ at: performance.now(), presence }));
  return seen;
}

const statusOf = (socket: ClientSocket, userId: string, status: string) =>
  nextEvent(socket, 'presence:changed', ({ presence }) => presence[userId] === status);

describe('watched presence', () => {
  it('shows a person online, away once every tab is away, back online, then offline', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const watcher = await tab(ben);
    expect(await watch(watcher, [ana.user.id])).toEqual({ [ana.user.id]: 'offline' });

    let next = statusOf(watcher, ana.user.id, 'online');
    const first = await tab(ana);
    await next;
    // A second tab that is already hidden changes nothing: the first is still in use.
    const heard = frames(watcher);
    const second = await tab(ana, { away: true });
    await roundTrip(watcher);
    expect(heard).toEqual([]);

    next = statusOf(watcher, ana.user.id, 'away');
    expect((await request(first, 'presence:away', { away: true })).ok).toBe(true);
    await next;
    const general = await defaultRoomId(server.url, ben.token);
    const details = await api<RoomDetailsReply>(server.url, 'GET', `/api/chat/rooms/${general}`, {
      token: ben.token,
    });
    const member = details.body.members.find((m) => m.id === ana.user.id);
    expect(member).toMatchObject({ online: true, status: 'away' });

    next = statusOf(watcher, ana.user.id, 'online');
    await request(second, 'presence:away', { away: false });
    await next;

    next = statusOf(watcher, ana.user.id, 'offline');
    first.close();
    second.close();
    await next;
  });

  it('answers a watch with everyone’s status now, sharing a room or not', async () => {
    const [hermit, other] = await Promise.all([register(server.url), register(server.url)]);
    await api(server.url, 'POST', `/api/chat/rooms/${await defaultRoomId(server.url, hermit.token)}/leave`, {
      token: hermit.token,
    });
    await tab(hermit, { away: true });
    const watcher = await tab(other);
    await expect
      .poll(() => watch(watcher, [hermit.user.id, 'nobody-by-this-id']))
      .toEqual({
        [hermit.user.id]: 'away',
        'nobody-by-this-id': 'offline',
      });
  });

  it('gathers a burst of changes into one frame per window, and only of the people watched', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, () => register(server.url)));
    const [stranger, watcherUser] = await Promise.all([register(server.url), register(server.url)]);
    const watcher = await tab(watcherUser);
    await watch(
      watcher,
      people.map((p) => p.user.id),
    );
    const heard = frames(watcher);
    const started = performance.now();
    const tabs = await Promise.all([...people, stranger].map((person) => tab(person)));
    const everyone = () => Object.assign({}, ...heard.map((f) => f.presence)) as PresenceMap;
    await expect.poll(() => Object.keys(everyone()).length, { timeout: 5_000 }).toBe(people.length);
    const elapsed = performance.now() - started;
    expect(everyone()).toEqual(Object.fromEntries(people.map((p) => [p.user.id, 'online'])));
    expect(everyone()[stranger.user.id]).toBeUndefined();
    // Twelve people came online: the watcher heard them in at most one frame per window (a frame read
    // late by this busy test process shortens the gap to the next one: some slack).
    expect(heard.length).toBeLessThanOrEqual(Math.floor(elapsed / windowMs) + 1);
    expect(heard.length).toBeLessThan(people.length);
    for (let i = 1; i < heard.length; i++) {
      expect(heard[i]!.at - heard[i - 1]!.at).toBeGreaterThan(windowMs / 2);
    }
    for (const socket of tabs) socket.close();
    await expect.poll(() => everyone()[people[0]!.user.id], { timeout: 5_000 }).toBe('offline');
  });

  it('keeps presence live in a room of 250 connected sockets, one frame per socket per change', async () => {
    const owner = await register(server.url);
    const room = await api<{ room: { id: string } }>(server.url, 'POST', '/api/chat/rooms', {
      token: owner.token,
      body: { name: `Big ${Math.random().toString(36).slice(2)}` },
    });
    const members = await Promise.all(Array.from({ length: 5 }, () => register(server.url)));
    const ana = await register(server.url);
    for (const member of [...members, ana]) {
      await api(server.url, 'POST', `/api/chat/rooms/${room.body.room.id}/join`, { token: member.token });
    }
    // Fifty tabs each: 250 sockets in the room, past the old limit of 200 for live presence.
    const watchers = (
      await Promise.all(members.map((m) => Promise.all(Array.from({ length: 50 }, () => tab(m)))))
    ).flat();
    await Promise.all(watchers.map((socket) => watch(socket, [ana.user.id, owner.user.id])));
    const heard = watchers.map(frames);
    const anaTab = await tab(ana);
    await expect
      .poll(() => heard.filter((f) => f.length > 0).length, { timeout: 10_000 })
      .toBe(watchers.length);
    await roundTrip(watchers[0]!);
    for (const seen of heard) expect(seen.map((f) => f.presence)).toEqual([{ [ana.user.id]: 'online' }]);
    anaTab.close();
    await expect
      .poll(() => heard.filter((f) => f.length === 2).length, { timeout: 10_000 })
      .toBe(watchers.length);
    for (const socket of watchers) socket.close();
  });

  it('refuses a watch list past the limit, and too many watch calls, with clear codes', async () => {
    const user = await register(server.url);
    const socket = await tab(user);
    const tooMany = await request(socket, 'presence:watch', {
      userIds: Array.from({ length: 1001 }, (_, i) => `u${i}`),
    });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const bad = await request(socket, 'presence:away', { away: 'yes' } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const replies = [];
    for (let i = 0; i < 31; i++) replies.push(await request(socket, 'presence:watch', { userIds: [] }));
    expect(replies.slice(0, 29).every((r) => r.ok)).toBe(true);
    expect(replies.at(-1)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });
});

describe('presence for clients that never watch (the per-room event)', () => {
  it('stays online while any tab is open and tells only people who share a room', async () => {
    const [ana, ben, loner] = await Promise.all([
      register(server.url),
      register(server.url),
      register(server.url),
    ]);
    await api(server.url, 'POST', `/api/chat/rooms/${await defaultRoomId(server.url, loner.token)}/leave`, {
      token: loner.token,
    });
    const benSocket = await tab(ben);
    const lonerSocket = await tab(loner);
    const lonerHeard = record(lonerSocket, 'presence');
    const benHeard = record(benSocket, 'presence');

    const online = nextEvent(benSocket, 'presence', (event) => event.user.id === ana.user.id && event.online);
    const tab1 = await tab(ana);
    await online;
    const tab2 = await tab(ana);
    tab1.close();
    // tab2 is still open: no "offline" yet.
    await roundTrip(tab2);
    await roundTrip(benSocket);
    expect(benHeard.filter((event) => event.user.id === ana.user.id)).toEqual([
      { user: { id: ana.user.id, username: ana.user.username }, online: true, status: 'online' },
    ]);
    const offline = nextEvent(benSocket, 'presence', (e) => e.user.id === ana.user.id && !e.online);
    tab2.close();
    await offline;
    await roundTrip(lonerSocket);
    expect(lonerHeard.filter((event) => event.user.id === ana.user.id)).toEqual([]);
  });

  it('is not sent to a socket that watches, nor in rooms past PRESENCE_ROOM_LIMIT sockets', async () => {
    const small = await startServer({ env: { PRESENCE_ROOM_LIMIT: '2', PRESENCE_WINDOW_MS: '100' } });
    try {
      const [ana, ben, cat, dan] = await Promise.all([
        register(small.url),
        register(small.url),
        register(small.url),
        register(small.url),
      ]);
      await api(small.url, 'POST', '/api/dms', { token: ben.token, body: { userId: ana.user.id } });
      await api(small.url, 'POST', '/api/dms', { token: dan.token, body: { userId: ana.user.id } });
      const benSocket = await tab(ben, { url: small.url });
      const catSocket = await tab(cat, { url: small.url });
      const danSocket = await tab(dan, { url: small.url });
      await watch(danSocket, [cat.user.id]);
      const benHeard = record(benSocket, 'presence');
      const catHeard = record(catSocket, 'presence');
      const danHeard = record(danSocket, 'presence');
      // General has four connected sockets (past the limit); each DM has two.
      await tab(ana, { url: small.url });
      const about = (heard: { user: { id: string } }[]) => heard.filter((e) => e.user.id === ana.user.id);
      await expect.poll(() => about(benHeard).length).toBe(1);
      await roundTrip(catSocket);
      await roundTrip(danSocket);
      expect(about(catHeard)).toEqual([]);
      expect(about(danHeard)).toEqual([]);
      const general = await defaultRoomId(small.url, cat.token);
      const details = await api<RoomDetailsReply>(small.url, 'GET', `/api/chat/rooms/${general}`, {
        token: cat.token,
      });
      expect(details.body.members.find((m) => m.id === ana.user.id)).toMatchObject({
        online: true,
        status: 'online',
      });
    } finally {
      await small.close();
    }
  });
});
