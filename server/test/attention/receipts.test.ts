import type { ReadsReply, Room } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  connect,
  nextEvent,
  record,
  register,
  request,
  roundTrip,
  startServer,
  type TestServer,
} from '../harness.js';

let server: TestServer;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  server = await startServer({ env: { RECEIPTS_ROOM_LIMIT: '3' } });
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

type Person = Awaited<ReturnType<typeof register>>;

async function open(person: Person): Promise<ClientSocket> {
  const socket = await connect(server.url, person.token);
  sockets.push(socket);
  return socket;
}

async function groupOf(owner: Person, others: Person[]): Promise<string> {
  const made = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
    token: owner.token,
    body: { name: `r${Math.random().toString(36).slice(2, 8)}`, visibility: 'private' },
  });
  for (const other of others) {
    await api(server.url, 'POST', `/api/chat/rooms/${made.body.room.id}/members`, {
      token: owner.token,
      body: { userId: other.user.id },
    });
  }
  return made.body.room.id;
}

const reads = (person: Person, roomId: string) =>
  api<ReadsReply>(server.url, 'GET', `/api/chat/rooms/${roomId}/reads`, { token: person.token });

async function say(person: Person, roomId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, {
      token: person.token,
      body: { text: `message ${i}` },
    });
  }
}

describe('read receipts', () => {
  it('shows a DM as sent, delivered, read: live to the other person and in GET reads', async () => {
    const [ana, ben] = await Promise.all([register(server.url), register(server.url)]);
    const dm = await api<{ room: Room }>(server.url, 'POST', '/api/dms', {
      token: ana.token,
      body: { userId: ben.user.id },
    });
    const roomId = dm.body.room.id;
    const anaTab = await open(ana);
    const benTab = await open(ben);
    await say(ana, roomId, 2);

    const delivered = nextEvent(anaTab, 'room:delivered');
    expect(await request(benTab, 'delivered', { roomId, seq: 2 })).toEqual({ ok: true });
    expect(await delivered).toEqual({ roomId, userId: ben.user.id, seq: 2 });
    const read = nextEvent(anaTab, 'room:read', (event) => event.userId === ben.user.id);
    await request(benTab, 'read', { roomId, seq: 1 });
    expect(await read).toEqual({ roomId, userId: ben.user.id, seq: 1 });

    const positions = await reads(ana, roomId);
    expect(positions.body.live).toBe(true);
    expect(positions.body.reads).toEqual(
      expect.arrayContaining([
        { userId: ben.user.id, seq: 1, deliveredSeq: 2 },
        { userId: ana.user.id, seq: 0, deliveredSeq: 0 },
      ]),
    );
  });

  it('refuses reports past the last message or for rooms the caller cannot see, changing nothing', async () => {
    const [ana, ben, eve] = await Promise.all([
      register(server.url),
      register(server.url),
      register(server.url),
    ]);
    const roomId = await groupOf(ana, [ben]);
    await say(ana, roomId, 2);
    const eveTab = await open(eve);
    const benTab = await open(ben);
    for (const event of ['read', 'delivered'] as const) {
      expect(await request(benTab, event, { roomId, seq: 3 })).toMatchObject({
        ok: false,
        error: { code: 'invalid_seq' },
      });
      expect(await request(eveTab, event, { roomId, seq: 1 })).toMatchObject({
        ok: false,
        error: { code: 'room_not_found' },
      });
    }
    const rest = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/delivered`, {
      token: ben.token,
      body: { seq: 99 },
    });
    expect(rest.body).toMatchObject({ statusCode: 400, code: 'invalid_seq' });
    expect((await reads(eve, roomId)).body).toMatchObject({ statusCode: 404, code: 'room_not_found' });
    expect((await reads(ana, roomId)).body.reads).toEqual(
      expect.arrayContaining([{ userId: ben.user.id, seq: 0, deliveredSeq: 0 }]),
    );
  });

  it('tells members only, and neither way for someone who turned receipts off', async () => {
    const [ana, ben, cy, eve] = await Promise.all([
      register(server.url),
      register(server.url),
      register(server.url),
      register(server.url),
    ]);
    const roomId = await groupOf(ana, [ben, cy]);
    await say(ana, roomId, 3);
    const [anaTab, benTab, cyTab, eveTab] = await Promise.all([open(ana), open(ben), open(cy), open(eve)]);
    const eveHeard = record(eveTab, 'room:read');
    const benHeard = record(benTab, 'room:read');
    const anaHeard = record(anaTab, 'room:read');
    expect(
      (
        await api(server.url, 'PATCH', '/api/me/notifications', {
          token: ben.token,
          body: { readReceipts: false },
        })
      ).body,
    ).toEqual({ prefs: { readReceipts: false, pushText: true } });

    const cyRead = nextEvent(anaTab, 'room:read', (event) => event.userId === cy.user.id);
    await request(cyTab, 'read', { roomId, seq: 2 });
    expect(await cyRead).toEqual({ roomId, userId: cy.user.id, seq: 2 });
    await request(benTab, 'read', { roomId, seq: 3 });
    await roundTrip(anaTab);
    await roundTrip(benTab);
    await roundTrip(eveTab);
    expect(anaHeard.filter((event) => event.userId === ben.user.id)).toEqual([]);
    expect(benHeard.filter((event) => event.userId !== ben.user.id)).toEqual([]);
    expect(eveHeard).toEqual([]);

    const asAna = (await reads(ana, roomId)).body.reads;
    expect(asAna.find((r) => r.userId === ben.user.id)).toEqual({ userId: ben.user.id, deliveredSeq: 3 });
    expect(asAna.find((r) => r.userId === cy.user.id)).toEqual({
      userId: cy.user.id,
      seq: 2,
      deliveredSeq: 2,
    });
    const asBen = (await reads(ben, roomId)).body.reads;
    expect(asBen.find((r) => r.userId === cy.user.id)).toEqual({ userId: cy.user.id, deliveredSeq: 2 });
    expect(asBen.find((r) => r.userId === ben.user.id)).toEqual({
      userId: ben.user.id,
      seq: 3,
      deliveredSeq: 3,
    });
  });

  it('keeps positions quiet in rooms over RECEIPTS_ROOM_LIMIT, still answering GET reads', async () => {
    const people = await Promise.all([1, 2, 3, 4].map(() => register(server.url)));
    const [ana, ben] = people as [Person, Person];
    const roomId = await groupOf(ana, people.slice(1));
    await say(ana, roomId, 1);
    const anaTab = await open(ana);
    const benTab = await open(ben);
    const heard = record(anaTab, 'room:read');
    const delivered = record(anaTab, 'room:delivered');
    await request(benTab, 'delivered', { roomId, seq: 1 });
    await request(benTab, 'read', { roomId, seq: 1 });
    await roundTrip(anaTab);
    expect(heard).toEqual([]);
    expect(delivered).toEqual([]);
    const positions = await reads(ana, roomId);
    expect(positions.body.live).toBe(false);
    expect(positions.body.reads.find((r) => r.userId === ben.user.id)).toMatchObject({ seq: 1 });
    const page = await api<ReadsReply>(server.url, 'GET', `/api/chat/rooms/${roomId}/reads?limit=3`, {
      token: ana.token,
    });
    expect(page.body.reads).toHaveLength(3);
    const next = await api<ReadsReply>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/reads?limit=3&after=${page.body.nextAfter}`,
      { token: ana.token },
    );
    expect(next.body.reads).toHaveLength(1);
    expect(next.body.nextAfter).toBeUndefined();
  });
});
