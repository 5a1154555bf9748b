import type { Message, SyncReply } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type ClientSocket, connect, register, request, uniqueName } from '../harness.js';
import { ackedMessage, type Node, services, startNodes, until } from './cluster.js';

/**
 * What a client keeps of one room: every message by seq at the highest rev it has seen, as the
 * contract tells clients to (replace by `(roomId, seq)`, keep the higher rev).
 */
class RoomCopy {
  readonly bySeq = new Map<number, Message>();
  rev = 0;
  seq = 0;
  take(message: Message): void {
    const held = this.bySeq.get(message.seq);
    if (!held || held.rev < message.rev) this.bySeq.set(message.seq, message);
    this.rev = Math.max(this.rev, message.rev);
    this.seq = Math.max(this.seq, message.seq);
  }
  clear(seq: number, rev: number): void {
    for (const key of this.bySeq.keys()) if (key <= seq) this.bySeq.delete(key);
    this.rev = Math.max(this.rev, rev);
  }
  sorted(): Message[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}

describe.skipIf(!services)('messages that change, across nodes', () => {
  let cluster: Awaited<ReturnType<typeof startNodes>>;
  let nodes: Node[];
  const sockets: ClientSocket[] = [];
  const open = async (node: Node, token: string) => {
    const socket = await connect(node.url, token);
    sockets.push(socket);
    return socket;
  };
  const node = (i: number) => nodes[i % nodes.length] as Node;

  beforeAll(async () => {
    cluster = await startNodes(2);
    nodes = cluster.nodes;
  }, 90_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });

  async function crowdRoom(people: number) {
    const owner = await register(node(0).url);
    const made = await api<{ room: { id: string } }>(node(0).url, 'POST', '/api/chat/rooms', {
      token: owner.token,
      body: { name: uniqueName('Order') },
    });
    const roomId = made.body.room.id;
    const members = await Promise.all(
      Array.from({ length: people }, async (_, i) => {
        const user = await register(node(i).url);
        await api(node(i).url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: user.token });
        return { ...user, socket: await open(node(i), user.token) };
      }),
    );
    return { owner, roomId, members };
  }

  it('delivers every room’s new and changed messages to every client on every node in seq and rev order', async () => {
    const { owner, roomId, members } = await crowdRoom(20);
    const watchers = await Promise.all(nodes.map((n) => open(n, owner.token)));
    // Arrival order, per watcher: no message:new may come after a higher seq, no change after a higher rev.
    const arrivals = watchers.map((watcher) => {
      const seen: { kind: string; seq: number; rev: number }[] = [];
      watcher.on(
        'message:new',
        (m) => m.roomId === roomId && seen.push({ kind: 'new', seq: m.seq, rev: m.rev }),
      );
      watcher.on(
        'message:updated',
        (m) => m.roomId === roomId && seen.push({ kind: 'updated', seq: m.seq, rev: m.rev }),
      );
      return seen;
    });

    const perSender = 40;
    const acks = await Promise.all(
      members.map(async ({ socket }, s) => {
        const mine: Message[] = [];
        for (let k = 0; k < perSender; k++) {
          const ack = await request(socket, 'message:send', {
            roomId,
            text: `s${s} m${k}`,
            clientId: `o${s}-${k}`,
          });
          const message = ackedMessage(ack);
          mine.push(message);
          // Every fourth message, a change to an earlier one of the sender's: edits and reactions
          // interleave with new messages from both nodes.
          if (k % 4 === 3) {
            const target = mine[k - 2] as Message;
            const change =
              k % 8 === 3
                ? request(socket, 'message:edit', { roomId, seq: target.seq, text: `s${s} m${k - 2} edited` })
                : request(socket, 'reaction', { roomId, seq: target.seq, emoji: '👍', on: true });
            expect((await change).ok).toBe(true);
          }
        }
        return mine;
      }),
    );
    const total = acks.flat().length;
    const changes = total / 4;
    for (const [i, seen] of arrivals.entries()) {
      await until(
        `watcher ${i} to hear all ${total} messages`,
        () => seen.filter((e) => e.kind === 'new').length >= total,
        60_000,
      );
      await until(
        `watcher ${i} to hear the ${changes} changes`,
        () => seen.length >= total + changes,
        30_000,
      );
      const news = seen.filter((e) => e.kind === 'new').map((e) => e.seq);
      const seqInversions = news.filter((seq, j) => j > 0 && seq <= (news[j - 1] as number)).length;
      const revInversions = seen.filter(
        (e, j) => j > 0 && e.rev <= (seen[j - 1] as { rev: number }).rev,
      ).length;
      expect({ node: i, seqInversions, revInversions }).toEqual({
        node: i,
        seqInversions: 0,
        revInversions: 0,
      });
      expect(news).toEqual(Array.from({ length: total }, (_, j) => j + 1));
      expect(seen.length).toBe(total + changes);
    }
  }, 180_000);

  it('brings a client that was away to exactly the state of a fresh load, whatever changed on which node', async () => {
    const { owner, roomId, members } = await crowdRoom(4);
    const [ana, bo, cy, di] = members as [
      (typeof members)[0],
      (typeof members)[0],
      (typeof members)[0],
      (typeof members)[0],
    ];
    const seed: Message[] = [];
    for (let i = 0; i < 12; i++)
      seed.push(
        ackedMessage(
          await request(ana.socket, 'message:send', { roomId, text: `seed ${i}`, clientId: uniqueName() }),
        ),
      );

    // The away client: its copy of the room, kept from live events, then it drops off.
    const away = await open(node(0), owner.token);
    const copy = new RoomCopy();
    for (const m of seed) copy.take(m);
    away.on('message:new', (m) => m.roomId === roomId && copy.take(m));
    away.on('message:updated', (m) => m.roomId === roomId && copy.take(m));
    away.close();

    const at = (i: number) => (seed[i] as Message).seq;
    const changes = [
      request(bo.socket, 'message:send', {
        roomId,
        text: 'reply on node 1',
        clientId: uniqueName(),
        threadSeq: at(0),
      }),
      request(ana.socket, 'message:edit', { roomId, seq: at(1), text: 'edited on node 0' }),
      request(ana.socket, 'message:delete', { roomId, seq: at(2) }),
      request(bo.socket, 'reaction', { roomId, seq: at(3), emoji: '🎉', on: true }),
      request(cy.socket, 'reaction', { roomId, seq: at(3), emoji: '🎉', on: true }),
      request(di.socket, 'reaction', { roomId, seq: at(3), emoji: '🔥', on: true }),
      request(di.socket, 'message:pin', { roomId, seq: at(4), on: true }),
      request(cy.socket, 'message:send', { roomId, text: 'new on node 0', clientId: uniqueName() }),
      request(ana.socket, 'message:send', {
        roomId,
        text: 'also to room',
        clientId: uniqueName(),
        threadSeq: at(0),
        alsoToRoom: true,
      }),
    ];
    for (const reply of await Promise.all(changes)) expect(reply.ok).toBe(true);
    // Changes of a change, from the other node: an edit of an edited message, a reaction taken back.
    expect((await request(bo.socket, 'reaction', { roomId, seq: at(3), emoji: '🎉', on: false })).ok).toBe(
      true,
    );
    expect((await request(ana.socket, 'message:edit', { roomId, seq: at(1), text: 'edited twice' })).ok).toBe(
      true,
    );

    // Back, on the other node: sync from what it kept, page by page, applying each message once.
    const back = await open(node(1), owner.token);
    let applied = 0;
    for (;;) {
      const reply = (await request(back, 'sync', {
        since: { [roomId]: copy.seq },
        revs: { [roomId]: copy.rev },
      })) as unknown as {
        ok: true;
      } & SyncReply;
      const cleared = reply.cleared?.[roomId];
      if (cleared) copy.clear(cleared.seq, cleared.rev);
      for (const m of reply.messages[roomId] ?? []) {
        expect(m.rev).toBeGreaterThan(copy.bySeq.get(m.seq)?.rev ?? 0);
        copy.take(m);
        applied += 1;
      }
      if (!reply.hasMore[roomId]) break;
    }
    // Each change arrives once: 3 new messages + the messages changed (1, 2, 3, 4 and the thread root).
    expect(applied).toBe(8);

    const fresh = new RoomCopy();
    const page = await api<{ messages: Message[] }>(
      node(0).url,
      'GET',
      `/api/chat/rooms/${roomId}/messages?limit=200`,
      {
        token: owner.token,
      },
    );
    for (const m of page.body.messages) fresh.take(m);
    const thread = await api<{ root: Message; messages: Message[] }>(
      node(1).url,
      'GET',
      `/api/chat/rooms/${roomId}/messages/${at(0)}/thread`,
      { token: owner.token },
    );
    for (const m of thread.body.messages) fresh.take(m);
    expect(copy.sorted()).toEqual(fresh.sorted());
    // 🎉 and 🔥 were first given at the same moment on two nodes: which came first is the race's to
    // decide (the comparison with a fresh load above checks both agree on it), not this test's.
    const reactions = [...(copy.bySeq.get(at(3))?.reactions ?? [])].sort((a, b) =>
      a.emoji < b.emoji ? -1 : 1,
    );
    expect(reactions).toEqual([
      { emoji: '🎉', count: 1, users: [cy.user.id] },
      { emoji: '🔥', count: 1, users: [di.user.id] },
    ]);
  }, 120_000);
});
