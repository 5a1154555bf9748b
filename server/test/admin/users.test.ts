import type { AdminUser, Message } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  defaultRoomId,
  nextEvent,
  register,
  request,
  startServer,
  strongPassword,
  type TestServer,
} from '../harness.js';
import { auditActions, type Person, people } from '../moderation/support.js';

let server: TestServer;
let cast: Record<'admin' | 'alice' | 'bob', Person>;

beforeAll(async () => {
  server = await startServer();
  cast = await people(server, 'admin', 'alice', 'bob');
});
afterAll(() => server.close());

const admin = (method: string, path: string, body?: unknown, token = cast.admin.token) =>
  api<Record<string, unknown>>(server.url, method, path, { token, body });
const login = (username: string) =>
  api(server.url, 'POST', '/api/login', { body: { username, password: strongPassword } });

describe('admin: every route', () => {
  it('answers 403 to a signed-in non-admin and 401 to nobody, on every admin route the API lists', async () => {
    const doc = await api<{ paths: Record<string, Record<string, unknown>> }>(
      server.url,
      'GET',
      '/openapi.json',
    );
    const routes = Object.entries(doc.body.paths)
      .filter(([path]) => path.startsWith('/api/admin/'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map(
          (method) => [method.toUpperCase(), path.replace('{id}', cast.bob.user.id)] as const,
        ),
      );
    expect(routes.length).toBeGreaterThanOrEqual(12);
    for (const [method, path] of routes) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const asMember = await api(server.url, method, path, { token: cast.alice.token, body });
      expect(asMember.status, `${method} ${path}`).toBe(403);
      expect(asMember.body).toMatchObject({ code: 'forbidden' });
      expect((await api(server.url, method, path, { body })).status, `${method} ${path}`).toBe(401);
    }
    // Nothing happened to Bob, whose id was in every path.
    expect((await login(cast.bob.user.username)).status).toBe(200);
  });
});

describe('admin: users', () => {
  it('lists, searches and pages through accounts', async () => {
    const prefix = `pg${Math.random().toString(36).slice(2, 6)}`;
    for (let i = 0; i < 5; i++) await register(server.url, `${prefix}${i}`);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const reply = await admin(
        'GET',
        `/api/admin/users?q=${prefix}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const { users, nextCursor } = reply.body as { users: AdminUser[]; nextCursor?: string };
      expect(users.length).toBeLessThanOrEqual(2);
      seen.push(...users.map((user) => user.username));
      cursor = nextCursor;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}${i}`));
    const admins = await admin('GET', '/api/admin/users?filter=admins');
    expect((admins.body.users as AdminUser[]).map((user) => user.id)).toEqual([cast.admin.user.id]);
    expect((await admin('GET', '/api/admin/users?cursor=not-a-cursor')).body).toMatchObject({
      code: 'validation_failed',
    });
  });

  it('disables an account: its sockets close at once, its token stops working, it cannot sign in; enabling lets it back', async () => {
    const victim = await register(server.url);
    const second = (await login(victim.user.username)).body as { token: string };
    const sockets = await Promise.all([connect(server.url, victim.token), connect(server.url, second.token)]);
    const closed = sockets.map(
      (socket) => new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now()))),
    );
    const at = Date.now();
    const reply = await admin('PATCH', `/api/admin/users/${victim.user.id}`, { disabled: true });
    expect(reply.status).toBe(200);
    expect(reply.body.user).toMatchObject({ disabled: true });
    for (const when of await Promise.all(closed)) expect(when - at).toBeLessThan(1_000);
    expect((await api(server.url, 'GET', '/api/me', { token: second.token })).status).toBe(401);
    await expect(connect(server.url, victim.token)).rejects.toThrow('unauthorized');
    const refused = await login(victim.user.username);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'account_disabled' });

    expect((await admin('PATCH', `/api/admin/users/${victim.user.id}`, { disabled: false })).status).toBe(
      200,
    );
    expect((await login(victim.user.username)).status).toBe(200);
    const log = await auditActions(server, cast.admin.token, `&targetId=${victim.user.id}`);
    expect(log.map((entry) => entry.action)).toEqual(['user.enable', 'user.disable']);
  });

  it('never leaves the server without an admin, and logs the refusal', async () => {
    for (const patch of [{ disabled: true }, { admin: false }]) {
      const reply = await admin('PATCH', `/api/admin/users/${cast.admin.user.id}`, patch);
      expect(reply.status).toBe(409);
      expect(reply.body).toMatchObject({ code: 'last_admin' });
    }
    const deleted = await admin('DELETE', `/api/admin/users/${cast.admin.user.id}`);
    expect(deleted.body).toMatchObject({ code: 'last_admin' });
    expect((await api(server.url, 'GET', '/api/me', { token: cast.admin.token })).body).toMatchObject({
      user: { admin: true },
    });
    const refusals = (await auditActions(server, cast.admin.token, `&targetId=${cast.admin.user.id}`)).filter(
      (entry) => entry.outcome === 'refused',
    );
    expect(refusals.map((entry) => entry.action).sort()).toEqual([
      'user.admin.revoke',
      'user.delete',
      'user.disable',
    ]);
  });

  it('makes and revokes admins, and the new admin’s open socket hears reports at once', async () => {
    const helper = await register(server.url);
    const socket = await connect(server.url, helper.token);
    try {
      expect(
        (await admin('PATCH', `/api/admin/users/${helper.user.id}`, { admin: true })).body.user,
      ).toMatchObject({ admin: true });
      expect((await api(server.url, 'GET', '/api/admin/users', { token: helper.token })).status).toBe(200);
      // The socket authenticated before the change: it now hears what admins hear.
      const general = await defaultRoomId(server.url, cast.alice.token);
      const aliceSocket = await connect(server.url, cast.alice.token);
      const sent = await request(aliceSocket, 'message:send', {
        roomId: general,
        text: 'report me',
        clientId: `r${Date.now()}`,
      });
      aliceSocket.close();
      const heard = nextEvent(socket, 'report:new');
      await api(
        server.url,
        'POST',
        `/api/chat/rooms/${general}/messages/${(sent as unknown as { message: Message }).message.seq}/report`,
        {
          token: cast.bob.token,
          body: { reason: 'rude' },
        },
      );
      expect(await heard).toMatchObject({ reason: 'rude', reporter: { id: cast.bob.user.id } });
      expect(
        (await admin('PATCH', `/api/admin/users/${helper.user.id}`, { admin: false })).body.user,
      ).toMatchObject({ admin: false });
      expect((await api(server.url, 'GET', '/api/admin/users', { token: helper.token })).status).toBe(403);
    } finally {
      socket.close();
    }
  });

  it('deletes an account, keeping its messages under “Deleted user” and freeing its name', async () => {
    const leaver = await register(server.url);
    const general = await defaultRoomId(server.url, leaver.token);
    const socket = await connect(server.url, leaver.token);
    const sent = await request(socket, 'message:send', {
      roomId: general,
      text: 'goodbye all',
      clientId: `bye${Date.now()}`,
    });
    expect(sent.ok).toBe(true);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    const reply = await admin('DELETE', `/api/admin/users/${leaver.user.id}?messages=keep`);
    expect(reply.status).toBe(204);
    await closed;
    const history = await api<{ messages: Message[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${general}/messages`,
      {
        token: cast.alice.token,
      },
    );
    const kept = history.body.messages.find((message) => message.text === 'goodbye all');
    expect(kept?.author).toEqual({ id: leaver.user.id, username: 'Deleted user' });
    expect((await login(leaver.user.username)).status).toBe(401);
    // The name is free again; the deleted account is out of every list.
    expect((await register(server.url, leaver.user.username)).user.id).not.toBe(leaver.user.id);
    expect((await admin('GET', `/api/admin/users/${leaver.user.id}`)).status).toBe(404);
    const search = await api<{ users: { id: string }[] }>(server.url, 'GET', '/api/users?q=Deleted', {
      token: cast.alice.token,
    });
    expect(search.body.users).toEqual([]);
  });
});
