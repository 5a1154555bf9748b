import type { AuthReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, strongPassword, type TestServer, tempDir, uniqueName } from '../harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { TRUST_PROXY: 'true', LOGIN_LIMIT_PER_IP: '1000' } });
});
afterAll(() => server.close());

const from = (address: string) => ({ 'x-forwarded-for': address });
const login = (username: string, password: string, address: string) =>
  api<AuthReply>(server.url, 'POST', '/api/login', { body: { username, password }, headers: from(address) });

describe('sign-in limits', () => {
  it('lets the owner in from their usual address while an attacker hammers the name from many others', async () => {
    const username = uniqueName('owner');
    const made = await api(server.url, 'POST', '/api/register', {
      body: { username, password: strongPassword },
      headers: from('198.51.100.7'),
    });
    expect(made.status).toBe(201);
    const statuses: number[] = [];
    for (let host = 1; host <= 8; host++)
      for (let i = 0; i < 5; i++)
        statuses.push((await login(username, `guess-${host}-${i}-xx`, `203.0.113.${host}`)).status);
    // Three guesses per address, then the address waits; past ten in all, every new address waits too.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(12);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(28);
    const attacker = await login(username, strongPassword, '203.0.113.1');
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers.get('retry-after'))).toBeGreaterThan(0);
    const stranger = await login(username, strongPassword, '203.0.113.200');
    expect(stranger.status).toBe(429);
    const owner = await login(username, strongPassword, '198.51.100.7');
    expect(owner.status).toBe(200);
  });

  it('makes each address wait longer after every further failure, and a success clears its count', async () => {
    const username = uniqueName('typo');
    await api(server.url, 'POST', '/api/register', {
      body: { username, password: strongPassword },
      headers: from('192.0.2.9'),
    });
    for (let i = 0; i < 3; i++)
      expect((await login(username, 'wrong-password-9', '192.0.2.9')).status).toBe(401);
    const first = await login(username, strongPassword, '192.0.2.9');
    expect(first.status).toBe(429);
    const waitMs = Number(first.body && (first.body as unknown as { retryAfter: number }).retryAfter);
    expect(waitMs).toBeGreaterThan(3_000);
    expect(waitMs).toBeLessThanOrEqual(5_000);
    // Wind the clock of the last failure back past the wait: the owner's right password now gets in.
    const { db } = server.parley.ctx.store;
    await db
      .updateTable('login_failures')
      .set({ last_failed_at: new Date(Date.now() - 6_000).toISOString() })
      .where('username_key', '=', username.toLowerCase())
      .execute();
    expect((await login(username, 'wrong-password-9', '192.0.2.9')).status).toBe(401);
    const second = await login(username, strongPassword, '192.0.2.9');
    const secondWait = (second.body as unknown as { retryAfter: number }).retryAfter;
    expect(secondWait).toBeGreaterThan(5_000);
    await db
      .updateTable('login_failures')
      .set({ last_failed_at: new Date(Date.now() - 11_000).toISOString() })
      .where('username_key', '=', username.toLowerCase())
      .execute();
    expect((await login(username, strongPassword, '192.0.2.9')).status).toBe(200);
    expect((await login(username, 'wrong-password-9', '192.0.2.9')).status).toBe(401);
  });

  it('makes the account that holds an ADMIN_USERNAMES name an admin, whatever the case, at start-up', async () => {
    const dataDir = tempDir();
    const first = await startServer({ dataDir });
    const name = uniqueName('Chief');
    let boss: AuthReply;
    try {
      await api(first.url, 'POST', '/api/register', {
        body: { username: uniqueName('first'), password: strongPassword },
      });
      boss = (
        await api<AuthReply>(first.url, 'POST', '/api/register', {
          body: { username: name, password: strongPassword },
        })
      ).body;
      expect(boss.user.admin).toBe(false);
    } finally {
      await first.close();
    }
    const again = await startServer({
      dataDir,
      env: { ADMIN_USERNAMES: `someone-else,${name.toUpperCase()}` },
    });
    try {
      const me = await api<{ user: { admin: boolean } }>(again.url, 'GET', '/api/me', { token: boss.token });
      expect(me.body.user.admin).toBe(true);
      const other = await api<AuthReply>(again.url, 'POST', '/api/register', {
        body: { username: 'Someone-Else', password: strongPassword },
      });
      expect(other.body.user.admin).toBe(true);
      const plain = await api<AuthReply>(again.url, 'POST', '/api/register', {
        body: { username: uniqueName('plain'), password: strongPassword },
      });
      expect(plain.body.user.admin).toBe(false);
    } finally {
      await again.close();
    }
  });
});
