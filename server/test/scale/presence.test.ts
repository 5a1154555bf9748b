import type { AuthReply, PresenceMap } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type ClientSocket, connect, nextEvent, register, request, roundTrip } from '../harness.js';
import { type Node, services, startNodes } from './cluster.js';

const windowMs = 300;

describe.skipIf(!services)('presence on two nodes over PostgreSQL and Redis', () => {
  let cluster: Awaited<ReturnType<typeof startNodes>>;
  let nodes: Node[];
  const sockets: ClientSocket[] = [];
  const open = async (node: Node, user: AuthReply, away = false) => {
    const socket = await connect(node.url, user.token, { away });
    sockets.push(socket);
    return socket;
  };
  const node = (i: number) => nodes[i % nodes.length] as Node;
  const watch = async (socket: ClientSocket, userIds: string[]) => {
    const ack = await request(socket, 'presence:watch', { userIds });
    if (!ack.ok) throw new Error(`watch refused: ${ack.error.code}`);
    return ack.presence as unknown as PresenceMap;
  };
  /** The status a socket last heard for each person: its ack, then every frame on top. */
  const screen = (socket: ClientSocket, start: PresenceMap) => {
    const seen = { ...start };
    const frames: number[] = [];
    socket.on('presence:changed', ({ presence }) => {
      Object.assign(seen, presence);
      frames.push(performance.now());
    });
    return { seen, frames };
  };

  beforeAll(async () => {
    cluster = await startNodes(2, { PRESENCE_WINDOW_MS: String(windowMs) });
    nodes = cluster.nodes;
  }, 90_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });

  it('shows a person on the other node online, away, back and offline', async () => {
    const [ana, ben] = await Promise.all([register(node(0).url), register(node(0).url)]);
    const watcher = await open(node(0), ben);
    expect(await watch(watcher, [ana.user.id])).toEqual({ [ana.user.id]: 'offline' });
    const becomes = (status: string) =>
      nextEvent(watcher, 'presence:changed', ({ presence }) => presence[ana.user.id] === status);

    let next = becomes('away');
    const hidden = await open(node(1), ana, true);
    await next;
    next = becomes('online');
    const used = await open(node(0), ana);
    await next;
    next = becomes('away');
    await request(used, 'presence:away', { away: true });
    await next;
    next = becomes('offline');
    hidden.close();
    used.close();
    await next;
  });

  it('ends at the latest status when changes decided on two nodes cross on their way', async () => {
    const [ana, ben, cat] = await Promise.all([
      register(node(0).url),
      register(node(0).url),
      register(node(0).url),
    ]);
    const watchers = [await open(node(0), ben), await open(node(1), cat)];
    const views = await Promise.all(watchers.map(async (w) => screen(w, await watch(w, [ana.user.id]))));
    const tabs = [await open(node(0), ana), await open(node(1), ana)];
    const away = async (i: number, value: boolean) => {
      expect((await request(tabs[i % 2]!, 'presence:away', { away: value })).ok).toBe(true);
    };
    for (let round = 0; round < 4; round++) {
      // One tab is away; the other goes away (a change decided on its node), and at once the first comes
      // back (the opposite change, decided on the other node, a moment later). Each node tells the other
      // after a short wait, so the other node's watcher hears the later change first.
      await away(round, true);
      await away(round + 1, true);
      await away(round, false);
      await new Promise((resolve) => setTimeout(resolve, windowMs * 2));
      for (const view of views) expect(view.seen[ana.user.id]).toBe('online');
      await away(round, true);
      await away(round + 1, false);
    }
    for (const tab of tabs) tab.close();
    for (const view of views) await expect.poll(() => view.seen[ana.user.id]).toBe('offline');
  });

  it('keeps a big room live across both nodes, one frame per socket per window', async () => {
    const owner = await register(node(0).url);
    const room = await api<{ room: { id: string } }>(node(0).url, 'POST', '/api/chat/rooms', {
      token: owner.token,
      body: { name: `Big ${Math.random().toString(36).slice(2)}` },
    });
    const members = await Promise.all(Array.from({ length: 4 }, (_, i) => register(node(i).url)));
    const arrivals = await Promise.all(Array.from({ length: 6 }, (_, i) => register(node(i).url)));
    for (const member of [...members, ...arrivals]) {
      await api(node(0).url, 'POST', `/api/chat/rooms/${room.body.room.id}/join`, { token: member.token });
    }
    // 240 sockets in the room, half on each node, all watching the six who are about to arrive
    // (opened twenty at a time: each handshake reads PostgreSQL, and the machine is shared).
    const watchers: ClientSocket[] = [];
    for (let k = 0; k < 240; k += 20) {
      watchers.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, j) => open(node(k + j), members[(k + j) % 4]!)),
        )),
      );
    }
    const ids = arrivals.map((a) => a.user.id);
    const views = await Promise.all(watchers.map(async (w) => screen(w, await watch(w, ids))));
    const started = performance.now();
    await Promise.all(arrivals.map((a, i) => open(node(i), a)));
    const allOnline = (view: { seen: PresenceMap }) => ids.every((id) => view.seen[id] === 'online');
    await expect.poll(() => views.filter(allOnline).length, { timeout: 15_000 }).toBe(watchers.length);
    await roundTrip(watchers[0]!);
    const elapsed = performance.now() - started;
    for (const { frames } of views) {
      // Never two frames within a window. Measured where they arrive, in a test process reading 240
      // sockets, so a frame read late shortens the gap to the next: half a window of slack.
      for (let i = 1; i < frames.length; i++)
        expect(frames[i]! - frames[i - 1]!).toBeGreaterThan(windowMs / 2);
      expect(frames.length).toBeLessThanOrEqual(Math.ceil(elapsed / windowMs) + 1);
    }
  }, 60_000);
});
