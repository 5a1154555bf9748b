import { round, sleep } from '../stats.js';
import { mb, processRss } from '../proc.js';
import type { RunningServer } from '../targets.js';
import { connectMany } from '../wire.js';
import { roomOf, tokenOf, type World } from '../world.js';

/**
 * Idle connections: N authenticated sockets that then say nothing. Memory is read inside the
 * server after a forced GC, before and after, so the per-connection figure excludes startup.
 */
export interface IdleOptions {
  sockets: number;
  concurrency: number;
  settleSeconds: number;
}

export interface IdleResult {
  sockets: number;
  users: number;
  connectMs: number;
  connectsPerSec: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPerConnKb: number;
  heapPerConnKb: number;
  externalPerConnKb: number;
}

export async function runIdle(
  server: RunningServer,
  world: World,
  options: IdleOptions,
): Promise<IdleResult> {
  await sleep(500);
  const before = await server.memory();
  const rssBefore = processRss(server.pid);
  const started = performance.now();
  const wires = await connectMany(options.sockets, options.concurrency, (i) => ({
    url: server.url,
    token: tokenOf(world, i),
    timeoutMs: 60_000,
  }));
  if (world.joinOnConnect) {
    // Match Parley, where every socket is subscribed to its user's room on connect.
    await Promise.all(wires.map((wire, i) => wire.request('room:join', { roomId: roomOf(world, i) })));
  }
  const connectMs = performance.now() - started;
  await sleep(options.settleSeconds * 1000);
  const after = await server.memory();
  const rssAfter = processRss(server.pid);
  for (const wire of wires) wire.close();
  const perConnKb = (bytes: number) => round(bytes / options.sockets / 1024, 1);
  return {
    sockets: options.sockets,
    users: Math.min(options.sockets, world.users.length),
    connectMs: round(connectMs, 0),
    connectsPerSec: round(options.sockets / (connectMs / 1000), 0),
    rssBeforeMb: mb(rssBefore),
    rssAfterMb: mb(rssAfter),
    rssPerConnKb: perConnKb(rssAfter - rssBefore),
    heapPerConnKb: perConnKb(after.heapUsed - before.heapUsed),
    externalPerConnKb: perConnKb(after.external + after.arrayBuffers - before.external - before.arrayBuffers),
  };
}
