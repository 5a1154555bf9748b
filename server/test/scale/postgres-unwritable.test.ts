import type { AuthReply, Message } from '@parley/protocol';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type ClientSocket,
  connect,
  defaultRoomId,
  looseLimits,
  register,
  request,
  startServer,
  strongPassword,
  type TestServer,
  tempDir,
} from '../harness.js';
import { ackedMessage, services, ThrowawayPostgres, until } from './cluster.js';

// PostgreSQL that stays up but cannot write: its disk filled, or it was made read-only (what a node
// sees when the operator fails over to a replica, or sets default_transaction_read_only to rescue a
// disk). Each test runs a PostgreSQL of its own; the shared one is never touched.

/** One client sending steadily, remembering what was acknowledged and how the rest was refused. */
class Sender {
  readonly acked: Message[] = [];
  readonly refusals = new Set<string>();
  #stopped = false;
  #loop: Promise<void> | undefined;

  constructor(
    readonly socket: ClientSocket,
    readonly roomId: string,
    /** The text of each send; random text takes room on disk, as PostgreSQL cannot compress it. */
    readonly text: () => string = () => 'steady',
  ) {}

  start(): void {
    this.#loop = (async () => {
      for (let i = 0; !this.#stopped; i++) {
        const ack = await request(this.socket, 'message:send', {
          roomId: this.roomId,
          text: this.text(),
          clientId: `steady-${i}`,
        }).catch(() => undefined);
        // No answer: the socket closed (a failed test's clean-up); stop.
        if (!ack) return;
        if (ack.ok) this.acked.push(ack.message as Message);
        else this.refusals.add(ack.error.code);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }
}

async function readiness(server: TestServer) {
  return api<{ code?: string; checks: { database: string; bus: string } }>(server.url, 'GET', '/readyz');
}

async function login(server: TestServer, username: string) {
  return api<AuthReply>(server.url, 'POST', '/api/login', { body: { username, password: strongPassword } });
}

/** Every message the room holds, oldest first. */
async function history(server: TestServer, roomId: string, token: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (let after = 0; ; ) {
    const reply = await api<{ messages: Message[]; hasMore: boolean }>(
      server.url,
      'GET',
      `/api/chat/rooms/${roomId}/messages?after=${after}&limit=200`,
      { token },
    );
    expect(reply.status).toBe(200);
    messages.push(...reply.body.messages);
    const last = reply.body.messages.at(-1);
    if (!reply.body.hasMore || !last) return messages;
    after = last.seq;
  }
}

describe.skipIf(!services)('PostgreSQL made read-only under a running node', () => {
  let postgres: ThrowawayPostgres;
  let admin: pg.Client;
  let server: TestServer;
  let socket: ClientSocket | undefined;

  beforeAll(async () => {
    postgres = await ThrowawayPostgres.start();
    admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    server = await startServer({ env: { ...looseLimits, DATABASE_URL: postgres.url } });
  }, 60_000);
  afterAll(async () => {
    socket?.close();
    await server?.close();
    await admin?.end().catch(() => {});
    await postgres?.destroy();
  });

  /** As an operator would: the setting for every new transaction, and the open sessions cut. */
  async function setReadOnly(on: boolean): Promise<void> {
    await admin.query(`ALTER SYSTEM SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
    await admin.query('SELECT pg_reload_conf()');
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'parley'`,
    );
  }

  it('answers sends and logins with unavailable and reports it, then recovers once writable, losing no acknowledged message', async () => {
    const alice = await register(server.url);
    const roomId = await defaultRoomId(server.url, alice.token);
    socket = await connect(server.url, alice.token);
    const before = ackedMessage(
      await request(socket, 'message:send', { roomId, text: 'before', clientId: 'before' }),
    );

    // A transaction is open on the node, between two statements, when the operator cuts its session:
    // it fails with unavailable, and the node lives on (an unheard pg error used to end the process).
    let resume = () => {};
    const paused = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const open = server.parley.ctx.store.db.transaction().execute(async (trx) => {
      await sql`SELECT 1`.execute(trx);
      await paused;
      await sql`SELECT 1`.execute(trx);
    });
    // Ready says so before anyone tries to write: a load balancer stops sending people here.
    await setReadOnly(true);
    resume();
    await expect(open).rejects.toMatchObject({ code: 'unavailable' });
    await until('the node to report the database unwritable', async () => {
      const reply = await readiness(server);
      return reply.status === 503 && reply.body.checks.database === 'unwritable';
    });
    expect((await readiness(server)).body).toMatchObject({ code: 'unavailable', checks: { bus: 'ok' } });

    const sender = new Sender(socket, roomId);
    sender.start();
    await until('a send to be refused', () => sender.refusals.size > 0);
    const refusedLogin = await login(server, alice.user.username);
    expect(refusedLogin.status).toBe(503);
    expect(refusedLogin.body).toMatchObject({ code: 'unavailable' });

    // Writable again; nobody restarts the node.
    await setReadOnly(false);
    await until('the node to report ready again', async () => (await readiness(server)).status === 200);
    await until('a send to be acknowledged again', () => sender.acked.length > 0);
    await sender.stop();
    expect([...sender.refusals]).toEqual(['unavailable']);
    const after = ackedMessage(
      await request(socket, 'message:send', { roomId, text: 'after', clientId: 'after' }),
    );
    const relogin = await login(server, alice.user.username);
    expect(relogin.status).toBe(200);

    const kept = new Set((await history(server, roomId, relogin.body.token)).map((m) => m.id));
    for (const message of [before, ...sender.acked, after]) expect(kept).toContain(message.id);
  }, 60_000);
});

// A real full disk: the PostgreSQL data directory on a small tmpfs, filled to the last byte while a
// client sends. Mounting needs root (CI runs as root); whatever happens the mount is lazily detached.
describe.skipIf(!services)('PostgreSQL whose disk fills up under a running node', () => {
  let mountPoint = '';
  let filler = '';
  let mounted = false;
  let postgres: ThrowawayPostgres | undefined;
  let server: TestServer | undefined;
  let socket: ClientSocket | undefined;

  beforeAll(async () => {
    mountPoint = tempDir('parley-pgfull-');
    filler = path.join(mountPoint, 'filler');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', mountPoint]);
    mounted = true;
    postgres = await ThrowawayPostgres.start({ on: mountPoint });
    server = await startServer({ env: { ...looseLimits, DATABASE_URL: postgres.url } });
  }, 60_000);
  afterAll(async () => {
    socket?.close();
    await server?.close().catch(() => {});
    await postgres?.destroy().catch(() => {});
    if (mounted) execFileSync('umount', ['-l', mountPoint]);
    if (mountPoint) fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  function fillDisk(): void {
    const fd = fs.openSync(filler, 'w');
    try {
      // Big blocks, then smaller ones: not a byte is left.
      for (const size of [1024 * 1024, 64 * 1024, 4096, 512, 1]) {
        const block = Buffer.alloc(size, 7);
        try {
          for (;;) fs.writeSync(fd, block);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  it('answers sends and logins with unavailable and reports it, then recovers when space returns, losing no acknowledged message', async () => {
    const live = server as TestServer;
    const alice = await register(live.url);
    const roomId = await defaultRoomId(live.url, alice.token);
    socket = await connect(live.url, alice.token);
    const before = ackedMessage(
      await request(socket, 'message:send', { roomId, text: 'before', clientId: 'before' }),
    );

    fillDisk();
    // Until a table or the WAL needs to grow, writes still fit; after that sends are refused.
    const sender = new Sender(socket, roomId, () => randomBytes(2250).toString('base64'));
    sender.start();
    await until('a send to be refused', () => sender.refusals.size > 0, 30_000);
    await until('the node to report the database unwritable', async () => {
      const reply = await readiness(live);
      return reply.status === 503 && reply.body.checks.database === 'unwritable';
    });
    // A login writes a session row: while one fits in a page the table has, it is stored and answered;
    // the first that needs the table to grow is refused with 503, never a 500. (Each brings a long
    // browser name, kept with the session, so that comes within a few logins.)
    const statuses: number[] = [];
    for (let i = 0; i < 60 && !statuses.includes(503); i++) {
      const reply = await api(live.url, 'POST', '/api/login', {
        body: { username: alice.user.username, password: strongPassword },
        headers: { 'user-agent': randomBytes(384).toString('base64') },
      });
      statuses.push(reply.status);
      if (reply.status === 503) expect(reply.body).toMatchObject({ code: 'unavailable' });
    }
    expect(statuses.at(-1)).toBe(503);
    expect(statuses.slice(0, -1).every((status) => status === 200)).toBe(true);

    fs.rmSync(filler);
    // Nobody restarts the node: the next probe writes, and it is ready again.
    await until('the node to report ready again', async () => (await readiness(live)).status === 200, 30_000);
    const acked = sender.acked.length;
    await until('a send to be acknowledged again', () => sender.acked.length > acked);
    await sender.stop();
    expect([...sender.refusals]).toEqual(['unavailable']);
    const after = ackedMessage(
      await request(socket, 'message:send', { roomId, text: 'after', clientId: 'after' }),
    );
    const relogin = await login(live, alice.user.username);
    expect(relogin.status).toBe(200);

    const kept = new Set((await history(live, roomId, relogin.body.token)).map((m) => m.id));
    for (const message of [before, ...sender.acked, after]) expect(kept).toContain(message.id);
  }, 120_000);
});
