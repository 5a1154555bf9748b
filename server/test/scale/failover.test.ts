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
} from '../harness.js';
import { ackedMessage, type Node, services, startNodes, until } from './cluster.js';

describe.skipIf(!services)('a node killed with kill -9', () => {
  let cluster: Awaited<ReturnType<typeof startNodes>>;
  let survivor: Node;
  const sockets: ClientSocket[] = [];
  const open = async (node: Node, token: string) => {
    const socket = await connect(node.url, token);
    sockets.push(socket);
    return socket;
  };
  const kill = async (node: Node) => {
    node.child.kill('SIGKILL');
    expect(await node.exited).toBe(-1);
  };

  beforeAll(async () => {
    cluster = await startNodes(1);
    survivor = cluster.nodes[0] as Node;
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });

  it('loses nothing: its clients reconnect to another node and sync exactly what they missed', async () => {
    const victim = await cluster.add();
    const alice = await register(survivor.url);
    const bob = await register(survivor.url);
    const room = await defaultRoomId(survivor.url, alice.token);
    const a = await open(victim, alice.token);
    const b = await open(survivor, bob.token);
    const heard = record(a, 'message:new');
    const send = async (socket: ClientSocket, text: string) =>
      ackedMessage(await request(socket, 'message:send', { roomId: room, text, clientId: text }));

    for (let i = 0; i < 5; i++) await send(b, `before ${i}`);
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push(await send(a, `alice ${i}`));
    await until('alice to hear the first eight', () => heard.length === 8);

    await kill(victim);
    for (let i = 0; i < 5; i++) await send(b, `while away ${i}`);

    // What a client does after any reconnect (here: to the node the load balancer picks next).
    const again = await open(survivor, alice.token);
    const live = record(again, 'message:new');
    const lastSeq = Math.max(...heard.map((m) => m.seq));
    const sync = await request(again, 'sync', { since: { [room]: lastSeq } });
    expect(sync.ok).toBe(true);
    const missed = (sync as unknown as { messages: Record<string, Message[]> }).messages[room] ?? [];
    expect(missed.map((m) => m.text)).toEqual([0, 1, 2, 3, 4].map((i) => `while away ${i}`));
    await send(b, 'after');
    await until('alice to hear the message sent after she came back', () => live.length === 1);

    const screen = [...heard, ...missed, ...live];
    const seqs = screen.map((m) => m.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    const history = await api<{ messages: Message[] }>(
      survivor.url,
      'GET',
      `/api/chat/rooms/${room}/messages`,
      {
        token: alice.token,
      },
    );
    expect(screen.sort((x, y) => x.seq - y.seq)).toEqual(history.body.messages);
    for (const message of mine) expect(history.body.messages).toContainEqual(message);
  }, 60_000);

  it('does not leave its users online forever: the other nodes report them gone', async () => {
    const victim = await cluster.add();
    const carol = await register(survivor.url);
    const dave = await register(survivor.url);
    const room = await defaultRoomId(survivor.url, dave.token);
    const d = await open(survivor, dave.token);
    // A second tab of Dave's watches Carol (presence:watch) rather than hearing the per-room event.
    const watcher = await open(survivor, dave.token);
    expect(await request(watcher, 'presence:watch', { userIds: [carol.user.id] })).toMatchObject({
      ok: true,
    });
    const watched = (status: string) =>
      nextEvent(watcher, 'presence:changed', ({ presence }) => presence[carol.user.id] === status, 40_000);
    const watchedOnline = watched('online');
    const cameOnline = nextEvent(d, 'presence', (p) => p.user.id === carol.user.id && p.online);
    await open(victim, carol.token);
    await cameOnline;
    await watchedOnline;
    const isOnline = async () => {
      const details = await api<RoomDetailsReply>(survivor.url, 'GET', `/api/chat/rooms/${room}`, {
        token: dave.token,
      });
      return details.body.members.find((m) => m.id === carol.user.id)?.online;
    };
    expect(await isOnline()).toBe(true);

    const wentOffline = nextEvent(d, 'presence', (p) => p.user.id === carol.user.id && !p.online, 40_000);
    const watchedOffline = watched('offline');
    await kill(victim);
    await wentOffline;
    await watchedOffline;
    expect(await isOnline()).toBe(false);
  }, 60_000);
});
