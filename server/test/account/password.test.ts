import type { AuthReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, register, startServer, strongPassword, type TestServer } from '../harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const login = (username: string, password = strongPassword) =>
  api<AuthReply>(server.url, 'POST', '/api/login', { body: { username, password } });
const change = (token: string, body: unknown) => api(server.url, 'POST', '/api/me/password', { token, body });

describe('changing one’s password', () => {
  it('needs the current password, ends every other session and closes its sockets, and keeps this one', async () => {
    const me = await register(server.url);
    const laptop = await login(me.user.username);
    const laptopSocket = await connect(server.url, laptop.body.token);
    const thisSocket = await connect(server.url, me.token);
    const closed = new Promise<string>((resolve) => laptopSocket.once('disconnect', resolve));
    const next = 'quiet-meadow-compass-77';

    const reply = await change(me.token, { current: strongPassword, password: next });
    expect(reply.status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    expect((await api(server.url, 'GET', '/api/me', { token: laptop.body.token })).status).toBe(401);
    expect((await api(server.url, 'GET', '/api/me', { token: me.token })).status).toBe(200);
    expect(thisSocket.connected).toBe(true);
    expect((await login(me.user.username)).status).toBe(401);
    expect((await login(me.user.username, next)).status).toBe(200);
    thisSocket.close();
  });

  it('refuses a wrong current password, a weak or reused new one, each with its code, and changes nothing', async () => {
    const me = await register(server.url);
    const other = await login(me.user.username);
    const cases: [unknown, string][] = [
      [{ current: 'not-my-password-1', password: 'quiet-meadow-compass-77' }, 'wrong_password'],
      [{ current: strongPassword, password: 'short' }, 'weak_password'],
      [{ current: strongPassword, password: `x${me.user.username}x-long-enough` }, 'weak_password'],
      [{ current: strongPassword, password: 'password123' }, 'weak_password'],
      [{ current: strongPassword, password: strongPassword }, 'password_reused'],
    ];
    for (const [body, code] of cases) {
      const reply = await change(me.token, body);
      expect(reply.status, code).toBe(400);
      expect(reply.body).toMatchObject({ code });
    }
    expect((await login(me.user.username)).status).toBe(200);
    expect((await api(server.url, 'GET', '/api/me', { token: other.body.token })).status).toBe(200);
  });

  it('names every problem with a weak password at once', async () => {
    const me = await register(server.url);
    const reply = await change(me.token, {
      current: strongPassword,
      password: `${'x'.repeat(250)}${me.user.username}`,
    });
    expect(reply.status).toBe(400);
    const message = (reply.body as { message: string }).message;
    expect(message).toContain('at most 256 characters');
    expect(message).toContain('must not contain your username');
  });

  it('refuses a guest, who has no password', async () => {
    const guest = await api<AuthReply>(server.url, 'POST', '/api/guest', { body: {} });
    const reply = await change(guest.body.token, { current: '', password: 'quiet-meadow-compass-77' });
    expect(reply.status).toBe(403);
  });
});
