import { Histogram, PerSecond, round, sleep } from '../stats.js';
import { mb, processCpuMicros, processRss } from '../proc.js';
import { scrapeLoop } from '../scrape.js';
import type { RunningServer } from '../targets.js';
import { connectMany, Wire, setupTimeoutMs } from '../wire.js';
import type { World } from '../world.js';

/**
 * Reconnect storm: S sockets drop at once (a node restart, a network blip) and come back spread over
 * `spreadSeconds`, as clients with randomized backoff do; each calls `sync` from the seq it had, pages
 * until current, and watches the presence of its room's first 50 members again. Meanwhile K sockets of
 * other users stay, watch the same people and chat at `rate` msg/s, so the storm's users go offline and
 * online under their eyes and have messages to catch up on. Storm sockets act as users K'..U (never a
 * staying user), so their users really go offline.
 */
export interface StormOptions {
  sockets: number;
  stayers: number;
  /** Users the staying sockets act as (0..stayerUsers-1); the storm uses the rest. */
  stayerUsers: number;
  spreadSeconds: number;
  /** Messages per second, all rooms together, sent by the staying sockets during the storm. */
  rate: number;
  watchPerSocket: number;
  /** A socket still not back this long after the drop counts as failed. */
  giveUpMs: number;
}

export interface StormResult {
  sockets: number;
  stayers: number;
  spreadSeconds: number;
  /** From the drop until the last storm socket was connected again. */
  allBackMs: number;
  /** From the drop until the last storm socket's sync had everything sent before it asked. */
  allCurrentMs: number;
  /** Per socket, from its scheduled reconnect until current. */
  catchUpP50: number;
  catchUpP99: number;
  syncPages: number;
  /** Connection attempts refused or reset and retried (the server's accept queue overflowing). */
  retries: number;
  failed: number;
  serverCpuPct: number;
  serverCpuMs: number;
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  /** presence:changed frames per staying socket over the storm, and the most one got in any second. */
  presenceFramesPerStayer: number;
  presenceMaxPerSocketSecond: number;
  serverRssMb: number;
}

const presenceNeedle = Buffer.from('42["presence:changed"');
const isPresence = (frame: Buffer) => frame.subarray(0, presenceNeedle.length).equals(presenceNeedle);

export async function runStorm(
  server: RunningServer,
  world: World,
  options: StormOptions,
): Promise<StormResult> {
  const rooms = world.rooms;
  const users = world.users.length;
  const stormUsers = users - options.stayerUsers;
  const stayerUser = (s: number) => s % options.stayerUsers;
  const stormUser = (k: number) => options.stayerUsers + (k % stormUsers);
  const roomOfUser = (u: number) => rooms[u % rooms.length]!;
  // The people a client shows for its room: its first members among the storm's users.
  const watchList = (room: string) => {
    const r = rooms.indexOf(room);
    const ids: string[] = [];
    for (let u = options.stayerUsers; u < users && ids.length < options.watchPerSocket; u++)
      if (u % rooms.length === r) ids.push(world.users[u]!.id);
    return ids;
  };
  const watchLists = new Map(rooms.map((room) => [room, watchList(room)]));

  // Presence frames per staying socket, by second since the drop.
  const frames = new PerSecond(options.stayers);
  const countFrame = (s: number) => (frame: Buffer) => {
    if (isPresence(frame)) frames.record(s);
  };
  const stayers = await connectMany(options.stayers, 64, (s) => ({
    url: server.url,
    timeoutMs: setupTimeoutMs,
    token: world.users[stayerUser(s)]!.token,
    onEvent: countFrame(s),
  }));
  let storm = await connectMany(options.sockets, 64, (k) => ({
    url: server.url,
    timeoutMs: setupTimeoutMs,
    token: world.users[stormUser(k)]!.token,
  }));
  const watch = (wire: Wire, u: number) =>
    wire.request('presence:watch', { userIds: watchLists.get(roomOfUser(u)) });
  await Promise.all(stayers.map((wire, s) => watch(wire, stayerUser(s))));
  await Promise.all(storm.map((wire, k) => watch(wire, stormUser(k))));

  // The newest seq per room, from the senders' acks.
  const lastSeq = new Map<string, number>(rooms.map((room) => [room, 0]));
  const senders = rooms.map((room) => stayers.findIndex((_, s) => roomOfUser(stayerUser(s)) === room));
  let sending = true;
  let counter = 0;
  const sendLoop = (async () => {
    const interval = 1000 / options.rate;
    for (let next = performance.now(); sending; next += interval) {
      const r = counter % rooms.length;
      const room = rooms[r]!;
      stayers[senders[r]!]!.request<{ message?: { seq: number } }>('message:send', {
        roomId: room,
        text: 'storm chatter',
        clientId: `c${counter++}`,
      }).then((reply) => {
        if (reply.message) lastSeq.set(room, Math.max(lastSeq.get(room)!, reply.message.seq));
      });
      await sleep(Math.max(0, next + interval - performance.now()));
    }
  })();
  await sleep(2000);

  await scrapeLoop(server.url); // resets the server's loop figures: the next scrape covers the storm
  const cpu0 = processCpuMicros(server.pid);
  const since = new Map(lastSeq);
  const stormStart = performance.now();
  frames.start = stormStart;
  for (const wire of storm) wire.close();
  const catchUp = new Histogram();
  let back = 0;
  let pages = 0;
  let failed = 0;
  let retries = 0;
  let lastBack = 0;
  let lastCurrent = 0;
  const reconnect = async (k: number) => {
    const scheduled = stormStart + (k * options.spreadSeconds * 1000) / options.sockets;
    await sleep(Math.max(0, scheduled - performance.now()));
    const u = stormUser(k);
    const room = roomOfUser(u);
    try {
      // As socket.io-client does: a refused or reset attempt is retried after a randomized backoff
      // (0.5 s doubling to 5 s), until `giveUpMs` after the drop.
      let wire: Wire | undefined;
      for (let delay = 500; !wire; delay = Math.min(5000, delay * 2)) {
        try {
          wire = await Wire.connect({ url: server.url, token: world.users[u]!.token, timeoutMs: 20_000 });
        } catch (error) {
          retries++;
          if (performance.now() - stormStart > options.giveUpMs) throw error;
          await sleep(delay * (0.5 + Math.random()));
        }
      }
      back++;
      lastBack = performance.now();
      const target = lastSeq.get(room)!;
      let from = since.get(room)!;
      // Page until the reply reaches what was sent before asking (a client follows hasMore the same way).
      while (true) {
        pages++;
        const reply = await wire.request<{
          messages?: Record<string, { seq: number }[]>;
          hasMore?: Record<string, boolean>;
        }>('sync', { since: { [room]: from } });
        const got = reply.messages?.[room] ?? [];
        if (got.length) from = got[got.length - 1]!.seq;
        if (!reply.hasMore?.[room] || got.length === 0 || from >= target) break;
      }
      if (from < target) throw new Error(`sync stopped at ${from}, expected ${target}`);
      lastCurrent = performance.now();
      catchUp.record(lastCurrent - scheduled);
      watch(wire, u).catch(() => {});
      return wire;
    } catch (error) {
      failed++;
      if (failed === 1) console.warn(`  storm: ${String(error)}`);
      return undefined;
    }
  };
  storm = (await Promise.all(storm.map((_, k) => reconnect(k)))).filter((wire): wire is Wire => !!wire);
  const cpuUs = processCpuMicros(server.pid) - cpu0;
  const wallMs = lastCurrent - stormStart;
  // Presence settles one window after the last change: count those frames too.
  await sleep(2500);
  const loop = await scrapeLoop(server.url);
  sending = false;
  await sendLoop;
  const rss = processRss(server.pid);
  for (const wire of [...stayers, ...storm]) wire.close();
  const latency = catchUp.summary();
  return {
    sockets: options.sockets,
    stayers: options.stayers,
    spreadSeconds: options.spreadSeconds,
    allBackMs: round(lastBack - stormStart, 0),
    allCurrentMs: round(wallMs, 0),
    catchUpP50: latency.p50,
    catchUpP99: latency.p99,
    syncPages: pages,
    retries,
    failed,
    serverCpuPct: round((cpuUs / 1000 / wallMs) * 100, 0),
    serverCpuMs: round(cpuUs / 1000, 0),
    loopP50Ms: loop.p50Ms,
    loopP99Ms: loop.p99Ms,
    loopMaxMs: loop.maxMs,
    presenceFramesPerStayer: round(frames.total / options.stayers, 1),
    presenceMaxPerSocketSecond: frames.max(),
    serverRssMb: mb(rss),
    ...(back < options.sockets ? { back } : {}),
  };
}
