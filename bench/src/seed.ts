import type { World } from './world.js';

/** An API answer that was not 2xx. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A JSON call to Parley's REST API. A 503 `unavailable` ("try again shortly") is tried again, as a
 * client would, up to `retries503` times with a growing pause: a starved PostgreSQL node's pool
 * connect can miss its 3 s bound (the seed of issue 16's cluster run at nice 10 died of one).
 */
export async function api<T>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  retries503 = 8,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.ok) return (text ? JSON.parse(text) : {}) as T;
    if (response.status === 503 && attempt < retries503) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 8_000)));
      continue;
    }
    throw new ApiError(response.status, `${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
  }
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
    const account = { username: `b${run}_${i}`, password: 'bench-password-1' };
    type Reply = { user: { id: string }; token: string };
    const reply = await api<Reply>(url, 'POST', '/api/register', account).catch((error: unknown) => {
      // A register answered 503 may have committed; its retry then finds the name taken.
      if (error instanceof ApiError && error.status === 409)
        return api<Reply>(url, 'POST', '/api/login', account);
      throw error;
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
