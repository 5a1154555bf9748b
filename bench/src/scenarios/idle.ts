import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { round, sleep } from '../stats.js';
import { mb, processRss } from '../proc.js';
import { scrapeLoop } from '../scrape.js';
import type { RunningServer } from '../targets.js';
import { connectMany, type Wire, setupTimeoutMs } from '../wire.js';
import { roomOf, tokenOf, type World } from '../world.js';

/**
 * Idle connections: N authenticated sockets that then say nothing. Memory is read inside the
 * server after a forced GC, before and after, so the per-connection figure excludes startup. Then all
 * drop at once, and the server's worst event-loop delay while it closes them is read.
 * Above `perProcess` sockets the generator's share is held by child processes (one process may hold
 * only `ulimit -n` descriptors); the server's own descriptor limit caps N, and the result says so.
 */
export interface IdleOptions {
  sockets: number;
  concurrency: number;
  settleSeconds: number;
  /** Sockets one generator process holds at most. */
  perProcess: number;
}

export interface IdleResult {
  sockets: number;
  /** What was asked for, when the server's descriptor limit allowed fewer. */
  requested?: number;
  users: number;
  generatorProcesses: number;
  connectMs: number;
  connectsPerSec: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  /** RSS per socket after the settle (`settleSeconds` after the last connect): the idle figure. */
  rssPerConnKb: number;
  /** RSS per socket as the last socket connected, and the most it reached while settling. */
  rssPerConnKbConnected: number;
  rssPerConnKbPeak: number;
  settleSeconds: number;
  heapPerConnKb: number;
  externalPerConnKb: number;
  /**
   * The event loop's worst delay in the 3 s after every socket dropped at once (the generator closes
   * them all in one instant, as a network or proxy failure does): the close half of a reconnect storm.
   */
  dropStallMs: number;
}

/** How many more descriptors the server process may open (its soft limit minus those it holds). */
export function descriptorsLeft(pid: number): number {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const limit = Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? Number.POSITIVE_INFINITY);
  return limit - readdirSync(`/proc/${pid}/fd`).length;
}

const holderScript = fileURLToPath(new URL('../holder.ts', import.meta.url));

/** Connects `count` sockets in child processes of at most `perProcess` each; resolves when all are in. */
async function connectInChildren(
  server: RunningServer,
  world: World,
  count: number,
  options: IdleOptions,
): Promise<{ close(): void; processes: number }> {
  const processes = Math.ceil(count / options.perProcess);
  const children = Array.from({ length: processes }, () =>
    fork(holderScript, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  await Promise.all(
    children.map(
      (child, p) =>
        new Promise<void>((resolve, reject) => {
          const first = Math.floor((p * count) / processes);
          const last = Math.floor(((p + 1) * count) / processes);
          child.once('message', (reply: { type: string; error?: string }) =>
            reply.type === 'connected' ? resolve() : reject(new Error(reply.error)),
          );
          child.send({
            type: 'connect',
            url: server.url,
            tokens: Array.from({ length: last - first }, (_, i) => tokenOf(world, first + i)),
            rooms: world.joinOnConnect
              ? Array.from({ length: last - first }, (_, i) => roomOf(world, first + i))
              : undefined,
            concurrency: Math.ceil(options.concurrency / processes),
          });
        }),
    ),
  );
  return {
    processes,
    close: () => {
      for (const child of children) child.send({ type: 'close' });
    },
  };
}

export async function runIdle(
  server: RunningServer,
  world: World,
  options: IdleOptions,
): Promise<IdleResult> {
  await sleep(500);
  // Headroom for the server's own files, the database, a scrape or two.
  const sockets = Math.min(options.sockets, descriptorsLeft(server.pid) - 64);
  const before = await server.memory();
  const rssBefore = processRss(server.pid);
  const started = performance.now();
  let close: () => void;
  let generatorProcesses = 1;
  if (sockets > options.perProcess) {
    const held = await connectInChildren(server, world, sockets, options);
    close = held.close;
    generatorProcesses = held.processes;
  } else {
    const wires: Wire[] = await connectMany(sockets, options.concurrency, (i) => ({
      url: server.url,
      token: tokenOf(world, i),
      timeoutMs: setupTimeoutMs,
    }));
    if (world.joinOnConnect) {
      // Match Parley, where every socket is subscribed to its user's room on connect.
      await Promise.all(wires.map((wire, i) => wire.request('room:join', { roomId: roomOf(world, i) })));
    }
    close = () => {
      for (const wire of wires) wire.close();
    };
  }
  const connectMs = performance.now() - started;
  // RSS moves while the sockets sit: the first round of pings leaves garbage, and V8's memory reducer
  // gives it back a minute or so later. Sampled each second: as connected, the peak, and the end.
  const rssConnected = processRss(server.pid);
  let rssPeak = rssConnected;
  for (let waited = 0; waited < options.settleSeconds; waited++) {
    await sleep(1000);
    rssPeak = Math.max(rssPeak, processRss(server.pid));
  }
  const after = await server.memory();
  const rssAfter = processRss(server.pid);
  await scrapeLoop(server.url); // resets the loop figures: the next scrape covers the drop
  close();
  await sleep(3000);
  const drop = await scrapeLoop(server.url);
  const perConnKb = (bytes: number) => round(bytes / sockets / 1024, 1);
  return {
    sockets,
    ...(sockets < options.sockets ? { requested: options.sockets } : {}),
    users: Math.min(sockets, world.users.length),
    generatorProcesses,
    connectMs: round(connectMs, 0),
    connectsPerSec: round(sockets / (connectMs / 1000), 0),
    rssBeforeMb: mb(rssBefore),
    rssAfterMb: mb(rssAfter),
    rssPerConnKb: perConnKb(rssAfter - rssBefore),
    rssPerConnKbConnected: perConnKb(rssConnected - rssBefore),
    rssPerConnKbPeak: perConnKb(Math.max(rssPeak, rssAfter) - rssBefore),
    settleSeconds: options.settleSeconds,
    heapPerConnKb: perConnKb(after.heapUsed - before.heapUsed),
    externalPerConnKb: perConnKb(after.external + after.arrayBuffers - before.external - before.arrayBuffers),
    dropStallMs: drop.maxMs,
  };
}
