import type { Ack, Message } from '@parley/protocol';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { spawnServer, tempDir, testServiceEnv } from '../harness.js';

const run = promisify(execFile);

/** Multi-node tests need both services; without them they are skipped, saying why. */
export const services = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
if (!services) {
  console.log('scale tests skipped: set DATABASE_URL and REDIS_URL (npm run test:scale does)');
}

export interface Node {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/**
 * `count` server processes on one PostgreSQL schema and one Redis prefix, as a deployment would run
 * them behind a load balancer. Each has its own DATA_DIR: nothing on a node's disk is shared.
 */
export async function startNodes(count: number, env: Record<string, string> = {}) {
  const shared = { ...testServiceEnv(`cluster-${tempDir('parley-cluster-')}`), ...env };
  const nodes: Node[] = [];
  // All at once on an empty schema, as after a deploy: the migrations must not trip over each other.
  const started = await Promise.all(
    Array.from({ length: count }, () => spawnServer({ dataDir: tempDir(), env: shared })),
  );
  nodes.push(...started);
  return {
    nodes,
    env: shared,
    async add(extra: Record<string, string> = {}) {
      const node = await spawnServer({ dataDir: tempDir(), env: { ...shared, ...extra } });
      nodes.push(node);
      return node;
    },
    async stop() {
      await Promise.all(
        nodes.map(async (node) => {
          if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
          await node.exited;
        }),
      );
    },
  };
}

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not yet: a refused connection counts as "not ready".
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function readyStatus(url: string): Promise<number> {
  try {
    return (await fetch(`${url}/readyz`)).status;
  } catch {
    return 0;
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A Redis of the test's own on a free port, never the machine's shared one: it may be stopped at will. */
export class ThrowawayRedis {
  readonly port: number;
  #child: ChildProcess | undefined;

  private constructor(port: number) {
    this.port = port;
  }

  static async start(): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    this.#child = spawn('redis-server', args, { stdio: 'ignore' });
    await until(`redis on port ${this.port}`, () => accepts(this.port));
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** Debian keeps the server binaries per major version; take the newest installed. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((x, y) => Number(y) - Number(x))[0] ?? '15';
  return path.join(root, newest, 'bin');
}
const pgBin = postgresBin();
const runuser = fs.existsSync('/usr/sbin/runuser') ? '/usr/sbin/runuser' : 'runuser';

/**
 * A PostgreSQL cluster of the test's own (initdb in a temp dir, another port), so the test can stop
 * the database under a running node without touching the shared one. PostgreSQL refuses to run as
 * root, so as root it runs as the `postgres` user.
 */
export class ThrowawayPostgres {
  readonly port: number;
  readonly dir: string;
  /** The cluster's data directory: under `dir`, or on the disk the test chose (`start({ on })`). */
  readonly data: string;

  private constructor(port: number, dir: string, data: string) {
    this.port = port;
    this.dir = dir;
    this.data = data;
  }

  /**
   * `on`: a directory (a small disk the test mounted) to keep the data directory in, while the log
   * and the socket stay in a temp dir of their own.
   */
  static async start(options: { on?: string } = {}): Promise<ThrowawayPostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-pg-'));
    const data = options.on ? fs.mkdtempSync(path.join(options.on, 'pg-')) : `${dir}/data`;
    const pg = new ThrowawayPostgres(await freePort(), dir, data);
    if (process.getuid?.() === 0) {
      const ids = await postgresIds();
      fs.chownSync(dir, ...ids);
      if (options.on) fs.chownSync(data, ...ids);
    }
    await pg.#as(`${pgBin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await pg.start();
    return pg;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.#as(`${pgBin}/pg_ctl`, [
      '-D',
      this.data,
      '-l',
      `${this.dir}/log`,
      '-o',
      options,
      '-w',
      'start',
    ]);
  }

  async stop(): Promise<void> {
    await this.#as(`${pgBin}/pg_ctl`, ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => {});
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.data, { recursive: true, force: true });
  }

  async #as(command: string, args: string[]): Promise<void> {
    if (process.getuid?.() === 0) await run(runuser, ['-u', 'postgres', '--', command, ...args]);
    else await run(command, args);
  }
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: group } = await run('id', ['-g', 'postgres']);
  return [Number(stdout.trim()), Number(group.trim())];
}

/** The message an `{ok: true, message}` ack carries; fails the test on any other ack. */
export function ackedMessage(ack: Ack<Record<string, unknown>>): Message {
  if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
  return ack.message as Message;
}
