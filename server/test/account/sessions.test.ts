import type { AuthReply, SessionInfo } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullSweepEvery } from '../../src/realtime/sessions.js';
import { api, connect, register, startServer, strongPassword, tempDir, type TestServer } from '../harness.js';

const sweepMs = 200;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SESSION_SWEEP_MS: String(sweepMs) } });
});
afterAll(() => server.close());

const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const iphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const login = (username: string, agent?: string) =>
  api<AuthReply>(server.url, 'POST', '/api/login', {
    body: { username, password: strongPassword },
    headers: agent ? { 'user-agent': agent } : {},
  });
const sessions = async (token: string) =>
  (await api<{ sessions: SessionInfo[] }>(server.url, 'GET', '/api/me/sessions', { token })).body.sessions;

/** Resolves with the time from now until the socket closes. */
const closing = (socket: Awaited<ReturnType<typeof connect>>) => {
  const start = Date.now();
  return new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now() - start)));
};

describe('one’s sessions', () => {
  it('lists each sign-in with its browser, system, address and times, and marks the current one', async () => {
    const me = await register(server.url);
    const pc = await login(me.user.username, firefox);
    await login(me.user.username, iphone);
    const list = await sessions(pc.body.token);
    expect(list).toHaveLength(3);
    const current = list.find((s) => s.current);
    expect(current).toMatchObject({ browser: 'Firefox 128', os: 'Windows 10', address: '127.0.0.1' });
    expect(current?.device).toBe('Firefox 128 on Windows 10');
    expect(list.some((s) => /^Safari 17 on iOS/.test(s.device) && s.device.includes('mobile'))).toBe(true);
    for (const s of list) {
      expect(Date.parse(s.createdAt)).toBeGreaterThan(0);
      expect(Date.parse(s.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
    }
  });

  it('ends one session: its token stops working and its socket closes at once', async () => {
    const me = await register(server.url);
    const other = await login(me.user.username, iphone);
    const socket = await connect(server.url, other.body.token);
    const closed = closing(socket);
    const target = (await sessions(me.token)).find((s) => !s.current);
    const reply = await api(server.url, 'DELETE', `/api/me/sessions/${target?.id}`, { token: me.token });
    expect(reply.status).toBe(204);
    expect(await closed).toBeLessThan(1000);
    expect((await api(server.url, 'GET', '/api/me', { token: other.body.token })).status).toBe(401);
    expect(await sessions(me.token)).toHaveLength(1);
  });

  it('ends every other session and keeps this one', async () => {
    const me = await register(server.url);
    const others = [await login(me.user.username), await login(me.user.username, firefox)];
    const sockets = await Promise.all(others.map((o) => connect(server.url, o.body.token)));
    const closed = sockets.map(closing);
    const reply = await api(server.url, 'DELETE', '/api/me/sessions', { token: me.token });
    expect(reply.body).toEqual({ ended: 2 });
    await Promise.all(closed);
    const left = await sessions(me.token);
    expect(left.map((s) => s.current)).toEqual([true]);
  });

  it('will not end someone else’s session: it is no session of theirs', async () => {
    const me = await register(server.url);
    const stranger = await register(server.url);
    const theirs = (await sessions(stranger.token))[0];
    const reply = await api(server.url, 'DELETE', `/api/me/sessions/${theirs?.id}`, { token: me.token });
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ code: 'session_not_found' });
    expect((await api(server.url, 'GET', '/api/me', { token: stranger.token })).status).toBe(200);
  });

  it('closes an open socket at the next full check when its session row is deleted', async () => {
    const me = await register(server.url);
    const socket = await connect(server.url, me.token);
    const closed = closing(socket);
    const sessionId = (await sessions(me.token))[0]?.id as string;
    await server.parley.ctx.store.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    // A deleted row leaves no trace to find lately ended sessions by: the full check, every
    // `fullSweepEvery` passes, finds it.
    expect(await closed).toBeLessThan((fullSweepEvery + 1) * sweepMs + 1000);
  });

  it('closes an open socket within a second when its session expires', async () => {
    const me = await register(server.url);
    const socket = await connect(server.url, me.token);
    const sessionId = (await sessions(me.token))[0]?.id as string;
    const soon = new Date(Date.now() + 300).toISOString();
    await server.parley.ctx.store.db
      .updateTable('sessions')
      .set({ expires_at: soon })
      .where('id', '=', sessionId)
      .execute();
    const closed = closing(socket);
    expect(await closed).toBeLessThan(1300);
    expect((await api(server.url, 'GET', '/api/me', { token: me.token })).status).toBe(401);
  });

  it('marks sessions used again after a minute as seen, thirty sockets at once, and a stop keeps the marks it had not written', async () => {
    const people = await Promise.all(Array.from({ length: 30 }, () => register(server.url)));
    const { db } = server.parley.ctx.store;
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await db.updateTable('sessions').set({ last_seen_at: hourAgo }).execute();
    const before = Date.now();
    const sockets = await Promise.all(people.map((p) => connect(server.url, p.token)));
    // Written together (seen.ts) within about a second of being seen.
    const seen = async () =>
      (await db.selectFrom('sessions').select('last_seen_at').where('last_seen_at', '>', hourAgo).execute())
        .length;
    const deadline = Date.now() + 3000;
    while ((await seen()) < people.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await seen()).toBe(people.length);
    for (const socket of sockets) socket.close();
    const listed = (await sessions(people[0]!.token)).find((s) => s.current);
    expect(Date.parse(listed!.lastSeenAt)).toBeGreaterThanOrEqual(before - 1000);

    // A server stopping within the second still writes what it noted.
    const dataDir = tempDir();
    const other = await startServer({ dataDir });
    const someone = await register(other.url);
    await other.parley.ctx.store.db.updateTable('sessions').set({ last_seen_at: hourAgo }).execute();
    expect((await api(other.url, 'GET', '/api/me', { token: someone.token })).status).toBe(200);
    await other.close();
    const again = await startServer({ dataDir });
    try {
      const row = await again.parley.ctx.store.db
        .selectFrom('sessions')
        .select('last_seen_at')
        .executeTakeFirst();
      expect(Date.parse(row!.last_seen_at!)).toBeGreaterThanOrEqual(before - 1000);
    } finally {
      await again.close();
    }
  });
});
