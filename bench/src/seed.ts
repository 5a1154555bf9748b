import type { World } from './world.js';

/** A JSON call to Parley's REST API. */
export async function api<T>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<void>) {
  let next = 0;
  async function worker() {
    while (next < count) await task(next++);
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export interface SeedTimings {
  users: number;
  registerMs: number;
  roomsMs: number;
  dmsMs: number;
}

/**
 * Makes the fanout and ingest world through the public API: registers users (argon2 makes this
 * the slow part, so it runs in parallel batches), creates public room r as user r, joins every other
 * user u to room `u % rooms`, and opens DM `k` between users `2k` and `2k + 1`.
 */
export async function seedParley(
  url: string,
  target: string,
  counts: { users: number; rooms: number; dms: number },
): Promise<{ world: World; timings: SeedTimings }> {
  const run = Date.now().toString(36);
  const users: World['users'] = new Array(counts.users);
  let started = Date.now();
  await inParallel(counts.users, 16, async (i) => {
    const reply = await api<{ user: { id: string }; token: string }>(url, 'POST', '/api/register', {
      username: `b${run}_${i}`,
      password: 'bench-password-1',
    });
    users[i] = { id: reply.user.id, token: reply.token };
  });
  const registerMs = Date.now() - started;

  started = Date.now();
  // Room r is created (and so owned) by user r, which is then a member of exactly its own room.
  const rooms: string[] = new Array(counts.rooms);
  await inParallel(counts.rooms, 4, async (r) => {
    const reply = await api<{ room: { id: string } }>(
      url,
      'POST',
      '/api/chat/rooms',
      { name: `bench ${run} ${r}`, visibility: 'public' },
      users[r]!.token,
    );
    rooms[r] = reply.room.id;
  });
  await inParallel(Math.max(0, counts.users - counts.rooms), 16, async (index) => {
    const u = index + counts.rooms;
    await api(url, 'POST', `/api/chat/rooms/${rooms[u % counts.rooms]}/join`, {}, users[u]!.token);
  });
  const roomsMs = Date.now() - started;

  started = Date.now();
  const dms: string[] = new Array(counts.dms);
  await inParallel(counts.dms, 16, async (k) => {
    const reply = await api<{ room: { id: string } }>(
      url,
      'POST',
      '/api/dms',
      { userId: users[2 * k + 1]!.id },
      users[2 * k]!.token,
    );
    dms[k] = reply.room.id;
  });
  const dmsMs = Date.now() - started;
  return {
    world: { target, joinOnConnect: false, users, rooms, dms },
    timings: { users: counts.users, registerMs, roomsMs, dmsMs },
  };
}
