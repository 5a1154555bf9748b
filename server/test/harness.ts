import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ack, AuthReply, ClientToServerEvents, ServerToClientEvents } from '@parley/protocol';
import { io as connectSocket, type Socket } from 'socket.io-client';
import webpush from 'web-push';
import { buildApp, type Parley } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  parley: Parley;
  close(): Promise<void>;
}

export function tempDir(prefix = 'parley-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Abuse limits loose enough for tests that send, type or make rooms in bursts on purpose; the limits
 * have their own tests, which set their own values.
 */
export const looseLimits: Record<string, string> = {
  RATE_SEND: '1000000/1s',
  RATE_EDIT: '1000000/1s',
  RATE_REACTION: '1000000/1s',
  RATE_TYPING: '1000000/1s',
  RATE_ROOM_CREATE: '1000000/1s',
  RATE_MEMBER_ADD: '1000000/1s',
  RATE_DM_OPEN: '1000000/1s',
  RATE_UPLOAD: '1000000/1s',
  RATE_REPORT: '1000000/1s',
  RATE_MODERATE: '1000000/1s',
  MAX_PENDING_SOCKETS_PER_IP: '100000',
  MAX_SOCKETS_PER_USER: '100000',
};

/** The real app, in this process, on 127.0.0.1 (port 0 unless given), with SQLite in `dataDir`. */
export async function startServer(
  options: { dataDir?: string; port?: number; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    // Tests create many accounts from 127.0.0.1 on purpose; the limit has its own test.
    SIGNUP_LIMIT_PER_IP: '100000',
    ...looseLimits,
    ...testServiceEnv(dataDir),
    ...options.env,
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
  });
  const parley = await buildApp(config);
  const url = await parley.listen();
  const port = Number(new URL(url).port);
  return { url, port, dataDir, parley, close: () => parley.close() };
}

const serviceScopes = new Map<string, string>();
const sharedVapid = webpush.generateVAPIDKeys();

/**
 * DATABASE_URL / REDIS_URL pass through to the servers under test, so the same suite runs on
 * PostgreSQL + Redis when CI sets them. Each scope (a server's data directory, or a name that several
 * nodes share) gets its own PostgreSQL schema and Redis prefix: every server starts fresh, and one
 * restarted on the same data directory finds its data again. The name starts with the time it was
 * made, so `test/scale/run.ts` can drop what old runs left behind.
 */
export function testServiceEnv(scope = 'default'): Record<string, string> {
  const env: Record<string, string> = {};
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (!DATABASE_URL && !REDIS_URL) return env;
  let name = serviceScopes.get(scope);
  if (!name) {
    name = `pt_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    serviceScopes.set(scope, name);
  }
  if (DATABASE_URL) {
    const url = new URL(DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${name}`);
    env.DATABASE_URL = url.toString();
    // Several nodes must verify each other's tokens (see docs/scale-out.md), and sign pushes alike.
    env.JWT_SECRET = 'parley-test-secret-shared-by-all-nodes';
    env.VAPID_PUBLIC_KEY = sharedVapid.publicKey;
    env.VAPID_PRIVATE_KEY = sharedVapid.privateKey;
  }
  if (REDIS_URL) {
    env.REDIS_URL = REDIS_URL;
    env.REDIS_PREFIX = `${name}:`;
  }
  return env;
}

/**
 * Server processes this test process started. A test that times out never reaches its cleanup, and a
 * server left behind runs on (they were found by the dozen, heartbeating, on a shared machine): when
 * the test process exits, whatever is still running goes with it.
 */
const children = new Set<ChildProcess>();
process.once('exit', () => killSpawnedServers());

/**
 * Kills every server process this test process started and that still runs, including one whose
 * spawnServer() has not resolved yet (a node still starting when its test failed): the exit hook above
 * does not always run in a test worker.
 */
export function killSpawnedServers(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** The real server as a separate process (`node --import tsx src/main.ts`), for crash and signal tests. */
export async function spawnServer(options: { dataDir: string; port?: number; env?: Record<string, string> }) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve(import.meta.dirname, '../src/main.ts')],
    {
      env: {
        ...process.env,
        SIGNUP_LIMIT_PER_IP: '100000',
        ...looseLimits,
        ...testServiceEnv(options.dataDir),
        ...options.env,
        PORT: String(options.port ?? 0),
        HOST: '127.0.0.1',
        DATA_DIR: options.dataDir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  return { url, child: child as ChildProcess, exited, output: () => output };
}

let counter = 0;
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${counter}${Math.random().toString(36).slice(2, 7)}`;
}

export const strongPassword = 'tall-harbor-lantern-42';

export interface ApiReply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON call to the server; never throws on an HTTP error status. */
export async function api<T = Record<string, unknown>>(
  url: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiReply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(url + route, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (HTML pages, metrics): keep the text.
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export async function register(url: string, username = uniqueName()): Promise<AuthReply> {
  const reply = await api<AuthReply>(url, 'POST', '/api/register', {
    body: { username, password: strongPassword },
  });
  if (reply.status !== 201)
    throw new Error(`register ${username}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** A connected socket.io-client; rejects with the server's connect_error. */
export function connect(
  url: string,
  token: string,
  options: { reconnection?: boolean; transports?: ('websocket' | 'polling')[]; away?: boolean } = {},
): Promise<ClientSocket> {
  const socket: ClientSocket = connectSocket(url, {
    auth: options.away ? { token, away: true } : { token },
    transports: options.transports ?? ['websocket'],
    reconnection: options.reconnection ?? false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Emits with an ack and resolves to the ack. */
export function request<E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Ack<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const emitter = socket.timeout(10_000) as unknown as {
      emit: (
        event: string,
        payload: unknown,
        ack: (error: Error | null, reply: Ack<Record<string, unknown>>) => void,
      ) => void;
    };
    emitter.emit(event, payload, (error, reply) => (error ? reject(error) : resolve(reply)));
  });
}

/** Resolves with the first `event` whose payload passes `match`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

/** Collects every `event` a socket receives, for asserting that something did NOT arrive. */
export function record<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E) {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => seen.push(payload)) as never);
  return seen;
}

/**
 * A barrier for "heard nothing" checks: everything broadcast to this socket before it has arrived after
 * it. An ack would not do: with Redis, broadcasts go through the adapter's stream and an ack does not.
 * So the barrier is itself a broadcast: a private room is made for the socket's user, and its
 * `room:member` reaches the socket through the same adapter, in order, after what came before.
 */
export async function roundTrip(socket: ClientSocket): Promise<void> {
  const url = (socket.io as unknown as { uri: string }).uri.replace(/\/$/, '');
  const { token } = socket.auth as { token: string };
  const joinedRooms: string[] = [];
  let wanted: string | undefined;
  let arrived: () => void = () => {};
  const seen = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const listener = (event: { roomId: string; action: string }) => {
    if (event.action !== 'joined') return;
    joinedRooms.push(event.roomId);
    if (event.roomId === wanted) arrived();
  };
  socket.on('room:member', listener);
  try {
    const made = await api<{ room: { id: string } }>(url, 'POST', '/api/chat/rooms', {
      token,
      body: { name: `barrier ${Math.random().toString(36).slice(2)}`, visibility: 'private' },
    });
    wanted = made.body.room.id;
    if (joinedRooms.includes(wanted)) arrived();
    await Promise.race([
      seen,
      new Promise((_, reject) => setTimeout(() => reject(new Error('barrier did not arrive')), 10_000)),
    ]);
  } finally {
    socket.off('room:member', listener);
  }
}

export async function defaultRoomId(url: string, token: string, name = 'General'): Promise<string> {
  const reply = await api<{ rooms: { id: string; name: string }[] }>(url, 'GET', '/api/chat/rooms', {
    token,
  });
  const room = reply.body.rooms.find((candidate) => candidate.name === name);
  if (!room) throw new Error(`no room ${name}`);
  return room.id;
}
