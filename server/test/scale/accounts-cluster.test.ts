import type { AuthReply, SessionInfo } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type ClientSocket, connect, register, strongPassword } from '../harness.js';
import { type Node, services, startNodes } from './cluster.js';

/** Resolves with how long the socket took to close, from now. */
const closing = (socket: ClientSocket) => {
  const start = Date.now();
  return new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now() - start)));
};
/** Resolves with when the socket closed. */
const closedAt = (socket: ClientSocket) =>
  new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())));

describe.skipIf(!services)('accounts on two nodes', () => {
  let cluster: Awaited<ReturnType<typeof startNodes>>;
  let nodes: Node[];
  const sockets: ClientSocket[] = [];
  const open = async (node: Node, token: string) => {
    const socket = await connect(node.url, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    cluster = await startNodes(2, { SESSION_SWEEP_MS: '300' });
    nodes = cluster.nodes;
  }, 90_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });
  const node = (i: number) => nodes[i] as Node;
  const login = (i: number, username: string) =>
    api<AuthReply>(node(i).url, 'POST', '/api/login', { body: { username, password: strongPassword } });

  it('a password change on one node ends the other sessions and closes their sockets on both', async () => {
    const ana = await register(node(0).url);
    const phone = await login(1, ana.user.username);
    const kept = await open(node(1), ana.token);
    const ended = [await open(node(0), phone.body.token), await open(node(1), phone.body.token)];
    const closed = ended.map(closedAt);
    const reply = await api(node(0).url, 'POST', '/api/me/password', {
      token: ana.token,
      body: { current: strongPassword, password: 'amber-falcon-harbour-64' },
    });
    // Timed from the answer: checking and hashing the passwords comes before, and takes what it takes.
    const answeredAt = Date.now();
    expect(reply.status).toBe(204);
    for (const at of await Promise.all(closed)) expect(at - answeredAt).toBeLessThan(1000);
    expect(kept.connected).toBe(true);
    expect((await api(node(1).url, 'GET', '/api/me', { token: phone.body.token })).status).toBe(401);
  });

  it('ending a session on one node closes its socket on the other at once', async () => {
    const bob = await register(node(0).url);
    const laptop = await login(1, bob.user.username);
    const socket = await open(node(1), laptop.body.token);
    const closed = closing(socket);
    const list = await api<{ sessions: SessionInfo[] }>(node(0).url, 'GET', '/api/me/sessions', {
      token: bob.token,
    });
    const target = list.body.sessions.find((s) => !s.current);
    expect(
      (await api(node(0).url, 'DELETE', `/api/me/sessions/${target?.id}`, { token: bob.token })).status,
    ).toBe(204);
    expect(await closed).toBeLessThan(1000);
  });

  it('a deleted account’s sockets close on every node', async () => {
    const cleo = await register(node(0).url);
    const tabs = [await open(node(0), cleo.token), await open(node(1), cleo.token)];
    const closed = tabs.map(closing);
    const reply = await api(node(1).url, 'DELETE', '/api/me', {
      token: cleo.token,
      body: { password: strongPassword, messages: 'keep' },
    });
    expect(reply.status).toBe(204);
    for (const ms of await Promise.all(closed)) expect(ms).toBeLessThan(1000);
  });
});
