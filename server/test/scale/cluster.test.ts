import type { Message, RoomDetailsReply } from '@parley/protocol';
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
  strongPassword,
  uniqueName,
} from '../harness.js';
import { ackedMessage, type Node, services, startNodes, until } from './cluster.js';

describe.skipIf(!services)('several nodes on one PostgreSQL and one Redis', () => {
  let cluster: Awaited<ReturnType<typeof startNodes>>;
  let nodes: Node[];
  const sockets: ClientSocket[] = [];
  const open = async (node: Node, token: string) => {
    const socket = await connect(node.url, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    cluster = await startNodes(3, { LOGIN_LIMIT_PER_USER: '3' });
    nodes = cluster.nodes;
  }, 90_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });
  const node = (i: number) => nodes[i % nodes.length] as Node;

  it('delivers a room message sent on one node to members connected to the others', async () => {
    const alice = await register(node(0).url);
    const bob = await register(node(1).url);
    const carol = await register(node(2).url);
    const general = await defaultRoomId(node(0).url, alice.token);
    const [a, b, c] = await Promise.all([
      open(node(0), alice.token),
      open(node(1), bob.token),
      open(node(2), carol.token),
    ]);
    const heard = [b, c].map((s) => nextEvent(s, 'message:new', (m) => m.text === 'hello from node 0'));
    const ack = await request(a, 'message:send', {
      roomId: general,
      text: 'hello from node 0',
      clientId: 'x1',
    });
    const sent = ackedMessage(ack);
    for (const message of await Promise.all(heard)) expect(message).toEqual(sent);
  });

  it('delivers a direct message across nodes, and only to the two people in it', async () => {
    const alice = await register(node(0).url);
    const bob = await register(node(1).url);
    const carol = await register(node(2).url);
    const [a, b, c] = await Promise.all([
      open(node(0), alice.token),
      open(node(1), bob.token),
      open(node(2), carol.token),
    ]);
    const dm = await api<{ room: { id: string } }>(node(0).url, 'POST', '/api/dms', {
      token: alice.token,
      body: { userId: bob.user.id },
    });
    expect(dm.status).toBeLessThan(300);
    const roomId = dm.body.room.id;
    const carolHeard = record(c, 'message:new');
    const bobHears = nextEvent(b, 'message:new', (m) => m.roomId === roomId);
    const ack = await request(a, 'message:send', { roomId, text: 'just us', clientId: 'dm1' });
    expect(ack.ok).toBe(true);
    expect((await bobHears).text).toBe('just us');
    // Bob answers from his node; Alice hears it on hers.
    const aliceHears = nextEvent(a, 'message:new', (m) => m.roomId === roomId && m.text === 'hi back');
    expect((await request(b, 'message:send', { roomId, text: 'hi back', clientId: 'dm2' })).ok).toBe(true);
    await aliceHears;
    await roundTrip(c);
    expect(carolHeard.filter((m) => m.roomId === roomId)).toEqual([]);
  });

  it('shows a user connected to any node as online everywhere, and their typing too', async () => {
    const alice = await register(node(0).url);
    const bob = await register(node(1).url);
    const general = await defaultRoomId(node(0).url, alice.token);
    const a = await open(node(0), alice.token);
    const online = nextEvent(a, 'presence', (p) => p.user.id === bob.user.id && p.online);
    const b = await open(node(1), bob.token);
    await online;
    const details = await api<RoomDetailsReply>(node(2).url, 'GET', `/api/chat/rooms/${general}`, {
      token: alice.token,
    });
    expect(details.body.members.find((m) => m.id === bob.user.id)?.online).toBe(true);
    const typing = nextEvent(a, 'typing', (t) => t.user.id === bob.user.id && t.typing);
    b.emit('typing', { roomId: general, typing: true });
    expect((await typing).roomId).toBe(general);
    const offline = nextEvent(a, 'presence', (p) => p.user.id === bob.user.id && !p.online);
    b.close();
    await offline;
  });

  it('gives twenty senders spread over the nodes one gap-free order that every client sees', async () => {
    const owner = await register(node(0).url);
    const created = await api<{ room: { id: string } }>(node(0).url, 'POST', '/api/chat/rooms', {
      token: owner.token,
      body: { name: uniqueName('Crowd') },
    });
    const roomId = created.body.room.id;
    const senders = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const user = await register(node(i).url);
        const join = await api(node(i).url, 'POST', `/api/chat/rooms/${roomId}/join`, { token: user.token });
        expect(join.status).toBe(200);
        return open(node(i), user.token);
      }),
    );
    const watchers = await Promise.all(nodes.map((n) => open(n, owner.token)));
    const perSender = 5;
    const total = senders.length * perSender;
    const seen = watchers.map((w) => {
      const mine = record(w, 'message:new');
      return () => mine.filter((m) => m.roomId === roomId);
    });

    const acks = await Promise.all(
      senders.flatMap((socket, s) =>
        Array.from({ length: perSender }, (_, k) =>
          request(socket, 'message:send', { roomId, text: `s${s} m${k}`, clientId: `s${s}-${k}` }),
        ),
      ),
    );
    const stored = acks.map(ackedMessage);
    const bySeq = [...stored].sort((x, y) => x.seq - y.seq);
    expect(bySeq.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    for (const [i, messages] of seen.entries()) {
      await until(`watcher on node ${i} to hear all ${total}`, () => messages().length >= total);
      const order = [...messages()].sort((x, y) => x.seq - y.seq);
      expect(order.map((m) => m.id)).toEqual(bySeq.map((m) => m.id));
    }
    for (const n of nodes) {
      const history = await api<{ messages: Message[] }>(
        n.url,
        'GET',
        `/api/chat/rooms/${roomId}/messages?limit=${total}`,
        { token: owner.token },
      );
      expect(history.body.messages.map((m) => m.id)).toEqual(bySeq.map((m) => m.id));
    }
  }, 90_000);

  it('stores a clientId sent to two nodes at the same moment once, and answers both with it', async () => {
    const alice = await register(node(0).url);
    const room = await defaultRoomId(node(0).url, alice.token);
    const [here, there] = await Promise.all([open(node(0), alice.token), open(node(1), alice.token)]);
    const rounds = 10;
    for (let k = 0; k < rounds; k++) {
      const payload = { roomId: room, text: `twice ${k}`, clientId: `same-${k}` };
      const [first, second] = await Promise.all([
        request(here, 'message:send', payload),
        request(there, 'message:send', payload),
      ]);
      expect(ackedMessage(first)).toEqual(ackedMessage(second));
    }
    const history = await api<{ messages: Message[] }>(
      node(2).url,
      'GET',
      `/api/chat/rooms/${room}/messages`,
      {
        token: alice.token,
      },
    );
    const mine = history.body.messages.filter((m) => m.author.id === alice.user.id);
    expect(mine.map((m) => m.text)).toEqual(Array.from({ length: rounds }, (_, k) => `twice ${k}`));
    const seqs = history.body.messages.map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => (seqs[0] ?? 0) + i));
  });

  it('renames a guest who signs up on one node on the sockets it has open on the others', async () => {
    const guest = await api<{ token: string; user: { id: string } }>(node(0).url, 'POST', '/api/guest', {
      body: {},
    });
    expect(guest.status).toBe(201);
    const { token } = guest.body;
    const room = await defaultRoomId(node(0).url, token);
    const elsewhere = await open(node(1), token);
    const name = uniqueName('Signed');
    const upgrade = await api(node(0).url, 'POST', '/api/me/upgrade', {
      token,
      body: { username: name, password: strongPassword },
    });
    expect(upgrade.status).toBe(200);
    let attempt = 0;
    await until('the other node to know the new name', async () => {
      attempt += 1;
      const payload = { roomId: room, text: 'who am I?', clientId: `who-${attempt}` };
      const ack = await request(elsewhere, 'message:send', payload);
      return ackedMessage(ack).author.username === name;
    });
  });

  it("disconnects a session's sockets on every node when it logs out on one", async () => {
    const alice = await register(node(0).url);
    const tabs = await Promise.all(nodes.map((n) => open(n, alice.token)));
    const dropped = tabs.map((tab) => new Promise((resolve) => tab.once('disconnect', resolve)));
    expect((await api(node(0).url, 'POST', '/api/logout', { token: alice.token })).status).toBe(204);
    await Promise.all(dropped);
    await expect(connect(node(1).url, alice.token)).rejects.toThrow('unauthorized');
  });

  it('counts login attempts for one username across all nodes', async () => {
    const victim = await register(node(0).url);
    const attempt = (i: number) =>
      api(node(i).url, 'POST', '/api/login', {
        body: { username: victim.user.username, password: `${strongPassword}-wrong` },
      });
    for (let i = 0; i < 3; i++) expect((await attempt(i)).status).toBe(401);
    const fourth = await attempt(3);
    expect(fourth.status).toBe(429);
    expect(fourth.body).toMatchObject({ code: 'rate_limited' });
  });
});
