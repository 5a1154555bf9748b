import type { AuthReply, Room } from '@parley/protocol';
import { api, register, type TestServer } from '../harness.js';

export type Person = AuthReply;

/** A room with an owner, a moderator and plain members, made through the public API. */
export async function roomWith(
  server: TestServer,
  cast: { owner: Person; moderators?: Person[]; members?: Person[] },
  visibility: 'public' | 'private' = 'public',
): Promise<string> {
  const made = await api<{ room: Room }>(server.url, 'POST', '/api/chat/rooms', {
    token: cast.owner.token,
    body: { name: `room ${Math.random().toString(36).slice(2, 10)}`, visibility },
  });
  if (made.status !== 201) throw new Error(`room: ${made.status} ${JSON.stringify(made.body)}`);
  const roomId = made.body.room.id;
  for (const person of [...(cast.moderators ?? []), ...(cast.members ?? [])]) {
    const added = await api(server.url, 'POST', `/api/chat/rooms/${roomId}/members`, {
      token: cast.owner.token,
      body: { userId: person.user.id },
    });
    if (added.status !== 204) throw new Error(`add: ${added.status} ${JSON.stringify(added.body)}`);
  }
  for (const person of cast.moderators ?? []) {
    const made = await api(server.url, 'PATCH', `/api/chat/rooms/${roomId}/members/${person.user.id}`, {
      token: cast.owner.token,
      body: { role: 'moderator' },
    });
    if (made.status !== 200) throw new Error(`moderator: ${made.status} ${JSON.stringify(made.body)}`);
  }
  return roomId;
}

/** Registers the server's first account (its admin) and then the others. */
export async function people<K extends string>(
  server: TestServer,
  ...names: K[]
): Promise<Record<K, Person>> {
  const found = {} as Record<K, Person>;
  for (const name of names) found[name] = await register(server.url);
  return found;
}

export async function membersOf(server: TestServer, token: string, roomId: string) {
  const reply = await api<{ members: { id: string; role: string; muted?: { until: string | null } }[] }>(
    server.url,
    'GET',
    `/api/chat/rooms/${roomId}`,
    { token },
  );
  return reply.body.members;
}

export async function auditActions(server: TestServer, adminToken: string, query = '') {
  const reply = await api<{ entries: { action: string; outcome: string; target: { id: string } | null }[] }>(
    server.url,
    'GET',
    `/api/admin/audit?limit=200${query}`,
    { token: adminToken },
  );
  return reply.body.entries;
}
