import type { AuthReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  defaultRoomId,
  register,
  request,
  strongPassword,
  type TestServer,
  uniqueName,
  startServer,
} from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { LOGIN_LIMIT_PER_USER: '5', LOGIN_LIMIT_PER_IP: '1000' } });
});
afterAll(() => server.close());

describe('accounts', () => {
  it('registers, answers /api/me with the same user and logs in again with the password', async () => {
    const name = uniqueName('Ana');
    const { user, token } = await register(server.url, name);
    expect(user).toMatchObject({ username: name, guest: false });
    const me = await api(server.url, 'GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user });
    const login = await api<AuthReply>(server.url, 'POST', '/api/login', {
      body: { username: name.toUpperCase(), password: strongPassword },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(user.id);
  });

  it('refuses a username that differs from a taken one only by case', async () => {
    const name = uniqueName('Case');
    await register(server.url, name);
    const again = await api(server.url, 'POST', '/api/register', {
      body: { username: name.toLowerCase(), password: strongPassword },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ statusCode: 409, code: 'username_taken', error: 'Conflict' });
  });

  it.each([
    ['ab', 'too short'],
    ['x'.repeat(33), 'too long'],
    ['has space', 'a space'],
    ['emoji😀', 'an emoji'],
    ['guest-sneaky', 'the guest prefix'],
  ])('refuses the username %j (%s)', async (username) => {
    const reply = await api(server.url, 'POST', '/api/register', {
      body: { username, password: strongPassword },
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'invalid_username' });
  });

  it.each([
    ['short1!', 'shorter than 8'],
    ['p'.repeat(257), 'longer than 256'],
    ['password123', 'a common password'],
    ['Qwertyuiop', 'a common password in other case'],
  ])('refuses the weak password %j (%s) and creates nothing', async (password) => {
    const username = uniqueName('weak');
    const reply = await api(server.url, 'POST', '/api/register', { body: { username, password } });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'weak_password' });
    const login = await api(server.url, 'POST', '/api/login', { body: { username, password } });
    expect(login.status).toBe(401);
  });

  it('answers an unknown user and a wrong password identically', async () => {
    const { user } = await register(server.url);
    const wrong = await api(server.url, 'POST', '/api/login', {
      body: { username: user.username, password: 'not-the-password-1' },
    });
    const unknown = await api(server.url, 'POST', '/api/login', {
      body: { username: uniqueName('nobody'), password: 'not-the-password-1' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });
  });

  it('rate-limits login attempts per username, even with the right password', async () => {
    const { user } = await register(server.url);
    for (let i = 0; i < 5; i++) {
      await api(server.url, 'POST', '/api/login', {
        body: { username: user.username, password: 'wrong-password-99' },
      });
    }
    const blocked = await api(server.url, 'POST', '/api/login', {
      body: { username: user.username, password: strongPassword },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'rate_limited' });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('behind one trusted proxy, limits by the address the proxy appended, not what the client wrote', async () => {
    const proxied = await startServer({
      env: { TRUST_PROXY: 'true', LOGIN_LIMIT_PER_IP: '2', LOGIN_LIMIT_PER_USER: '100' },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const reply = await api(proxied.url, 'POST', '/api/login', {
          body: { username: uniqueName('nobody'), password: 'not-the-password-1' },
          headers: { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.7` },
        });
        statuses.push(reply.status);
      }
      expect(statuses).toEqual([401, 401, 429, 429]);
    } finally {
      await proxied.close();
    }
  });

  it('limits new accounts per address, registered and guest alike', async () => {
    const limited = await startServer({ env: { SIGNUP_LIMIT_PER_IP: '3' } });
    try {
      await register(limited.url);
      await api(limited.url, 'POST', '/api/guest', { body: {} });
      await register(limited.url);
      const refused = await api(limited.url, 'POST', '/api/guest', { body: {} });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'rate_limited' });
      const registerRefused = await api(limited.url, 'POST', '/api/register', {
        body: { username: uniqueName(), password: strongPassword },
      });
      expect(registerRefused.status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('logout revokes the token for REST at once and disconnects its sockets', async () => {
    const { token } = await register(server.url);
    const socket = await connect(server.url, token);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const out = await api(server.url, 'POST', '/api/logout', { token });
    expect(out.status).toBe(204);
    expect(await disconnected).toBe('io server disconnect');
    expect((await api(server.url, 'GET', '/api/me', { token })).status).toBe(401);
    await expect(connect(server.url, token)).rejects.toThrow('unauthorized');
  });

  it('logging out one session leaves the same user’s other sessions working', async () => {
    const { user, token } = await register(server.url);
    const second = await api<AuthReply>(server.url, 'POST', '/api/login', {
      body: { username: user.username, password: strongPassword },
    });
    await api(server.url, 'POST', '/api/logout', { token });
    expect((await api(server.url, 'GET', '/api/me', { token: second.body.token })).status).toBe(200);
  });

  it('refuses a missing, malformed or forged token with 401 unauthorized', async () => {
    const { token } = await register(server.url);
    const forged = `${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
    for (const bad of [undefined, 'nonsense', forged]) {
      const reply = await api(server.url, 'GET', '/api/me', { token: bad });
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ code: 'unauthorized' });
    }
  });

  it('makes the first registered user an admin and later ones not', async () => {
    const fresh = await startServer({ env: { ADMIN_USERNAMES: 'Boss' } });
    try {
      const first = await register(fresh.url);
      const second = await register(fresh.url);
      const named = await register(fresh.url, 'boss');
      expect([first.user.admin, second.user.admin, named.user.admin]).toEqual([true, false, true]);
    } finally {
      await fresh.close();
    }
  });
});

describe('guests', () => {
  it('makes a guest who is the first to take a password the admin, and lets only one of two racing upgrades win', async () => {
    const fresh = await startServer();
    try {
      const guest = await api<AuthReply>(fresh.url, 'POST', '/api/guest', { body: {} });
      const [a, b] = await Promise.all(
        ['first', 'second'].map((prefix) =>
          api<AuthReply>(fresh.url, 'POST', '/api/me/upgrade', {
            token: guest.body.token,
            body: { username: uniqueName(prefix), password: strongPassword },
          }),
        ),
      );
      const statuses = [a?.status, b?.status].sort();
      expect(statuses).toEqual([200, 400]);
      const winner = a?.status === 200 ? a : b;
      expect(winner?.body.user.admin).toBe(true);
      const me = await api<{ user: { username: string } }>(fresh.url, 'GET', '/api/me', {
        token: winner?.body.token,
      });
      expect(me.body.user.username).toBe(winner?.body.user.username);
      const later = await register(fresh.url);
      expect(later.user.admin).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('gives a guest a readable generated name and puts it in General', async () => {
    const reply = await api<AuthReply>(server.url, 'POST', '/api/guest', { body: {} });
    expect(reply.status).toBe(201);
    expect(reply.body.user.username).toMatch(/^guest-[a-z]+-[a-z]+-\d{4}$/);
    expect(reply.body.user.guest).toBe(true);
    const rooms = await api<{ rooms: { name: string; joined: boolean }[] }>(
      server.url,
      'GET',
      '/api/chat/rooms',
      { token: reply.body.token },
    );
    expect(rooms.body.rooms.filter((room) => room.joined).map((room) => room.name)).toEqual(['General']);
    const withNickname = await api<AuthReply>(server.url, 'POST', '/api/guest', {
      body: { nickname: 'Zoë <b>' },
    });
    expect(withNickname.body.user.username).toMatch(/^guest-Zoeb-\d{4}$/);
    const noBody = await api<AuthReply>(server.url, 'POST', '/api/guest');
    expect(noBody.status).toBe(201);
  });

  it('lets a guest choose a username and password and keep its rooms and messages', async () => {
    const guest = await api<AuthReply>(server.url, 'POST', '/api/guest', { body: {} });
    const { token } = guest.body;
    const roomId = await defaultRoomId(server.url, token);
    const socket = await connect(server.url, token);
    const sent = await request(socket, 'message:send', { roomId, text: 'hello as a guest', clientId: 'g1' });
    expect(sent.ok).toBe(true);

    const name = uniqueName('Kept');
    const upgraded = await api<AuthReply>(server.url, 'POST', '/api/me/upgrade', {
      token,
      body: { username: name, password: strongPassword },
    });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.user).toMatchObject({ id: guest.body.user.id, username: name, guest: false });

    const login = await api<AuthReply>(server.url, 'POST', '/api/login', {
      body: { username: name, password: strongPassword },
    });
    const history = await api<{ messages: { text: string; author: { id: string; username: string } }[] }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      { token: login.body.token },
    );
    const mine = history.body.messages.filter((message) => message.author.id === guest.body.user.id);
    expect(mine.map((message) => message.text)).toEqual(['hello as a guest']);
    expect(mine[0]?.author.username).toBe(name);

    // The socket opened as a guest now speaks with the new name.
    const after = await request(socket, 'message:send', {
      roomId,
      text: 'and now with a name',
      clientId: 'g2',
    });
    expect(after.ok && (after.message as { author: { username: string } }).author.username).toBe(name);
    socket.close();

    const twice = await api(server.url, 'POST', '/api/me/upgrade', {
      token,
      body: { username: uniqueName(), password: strongPassword },
    });
    expect(twice.body).toMatchObject({ code: 'not_a_guest' });
  });
});
