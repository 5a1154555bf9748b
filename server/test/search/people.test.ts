import type { User, UserSummary } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, type TestServer } from '../harness.js';
import { found, makeRoom, say, searchFor, unique } from './support.js';

let server: TestServer;
let url: string;
beforeAll(async () => {
  server = await startServer();
  url = server.url;
});
afterAll(() => server.close());

const rename = async (token: string, displayName: string) => {
  const reply = await api<{ user: User }>(url, 'PATCH', '/api/me', { token, body: { displayName } });
  expect(reply.status).toBe(200);
};

describe('people in search', () => {
  it('shows an author and a DM’s other person by their display name; from: still takes the username', async () => {
    const [ana, ben] = await Promise.all([register(url), register(url)]);
    await rename(ana.token, 'Ana María');
    await rename(ben.token, 'Benedikt Ö');
    const w = unique('named');
    const room = await makeRoom(url, ana.token);
    await say(url, ana.token, room.id, `${w} in the room`);
    const dm = await api<{ room: { id: string } }>(url, 'POST', '/api/dms', {
      token: ana.token,
      body: { userId: ben.user.id },
    });
    await say(url, ben.token, dm.body.room.id, `${w} in the DM`);

    const { body } = await searchFor(url, ana.token, { q: w });
    const byText = new Map(body.results.map((result) => [result.message.text, result]));
    expect(byText.get(`${w} in the room`)?.message.author).toMatchObject({
      id: ana.user.id,
      username: ana.user.username,
      displayName: 'Ana María',
    });
    const inDm = byText.get(`${w} in the DM`);
    expect(inDm?.message.author).toMatchObject({ username: ben.user.username, displayName: 'Benedikt Ö' });
    expect(inDm?.room).toMatchObject({ kind: 'dm', name: ben.user.username });
    expect(inDm?.room.peer).toMatchObject({ id: ben.user.id, displayName: 'Benedikt Ö' });
    expect(byText.get(`${w} in the room`)?.room.peer).toBeUndefined();

    // People are named in queries by username, whatever they display.
    expect(await found(url, ana.token, `${w} from:@${ben.user.username}`)).toEqual([`${w} in the DM`]);
    expect(await found(url, ana.token, w, { from: ana.user.username })).toEqual([`${w} in the room`]);
    expect(await found(url, ana.token, `${w} from:"Ana María"`)).toEqual([]);
  });

  it('finds people by any part of their username or display name, whatever its case and accents', async () => {
    const stamp = Math.random().toString(36).slice(2, 8);
    const zoe = await register(url, `zq${stamp}`);
    await rename(zoe.token, `Zoë Ångström-${stamp}`);
    const other = await register(url, `other${stamp}`);
    const people = async (q: string) => {
      const reply = await api<{ users: UserSummary[] }>(url, 'GET', `/api/users?q=${encodeURIComponent(q)}`, {
        token: other.token,
      });
      expect(reply.status).toBe(200);
      return reply.body.users.map((user) => user.username);
    };
    for (const q of [
      `ångström-${stamp}`,
      `ANGSTROM-${stamp}`,
      `Ë ÅNGSTRÖM-${stamp}`,
      `ström-${stamp}`,
      `q${stamp}`,
    ])
      expect(await people(q), q).toEqual([zoe.user.username]);
    expect(
      (await api<{ users: UserSummary[] }>(url, 'GET', `/api/users?q=zq${stamp}`, { token: other.token }))
        .body.users[0]?.displayName,
    ).toBe(`Zoë Ångström-${stamp}`);
    // A cleared display name is no longer found by it.
    await api(url, 'PATCH', '/api/me', { token: zoe.token, body: { displayName: null } });
    expect(await people(`angstrom-${stamp}`)).toEqual([]);
  });
});
