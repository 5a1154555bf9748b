import type { BulkUser } from '../bulk.js';
import { Histogram, PerSecond, round, sleep } from '../stats.js';
import { coreTimes, foreignLoadPct, mb, processCpuMicros, processRss, selfCpuMicros } from '../proc.js';
import { scrapeLoop } from '../scrape.js';
import type { RunningServer } from '../targets.js';
import { connectMany, findField, readInt, type Wire, setupTimeoutMs } from '../wire.js';

/**
 * A community's shape: one room of M members of whom the first N are online (each also in one of the
 * small rooms, N / small members each), `bigRate` msg/s in the big room and `smallRate` msg/s across the
 * small ones, open loop with latency from the scheduled send time. Every socket watches the presence of
 * the big room's first member page and of its small room, and each second `awayToggles` people of that
 * page hide or show their tab: presence is live in the big room while it is measured.
 */
export interface HugeOptions {
  online: number;
  bigRate: number;
  smallRate: number;
  seconds: number;
  pageSize: number;
  awayToggles: number;
  text: string;
}

export interface HugeWorld {
  bigRoom: string;
  smallRooms: string[];
  members: number;
  /** Bulk users: the first `online` connect; user i is in small room i % smallRooms. */
  users: BulkUser[];
}

export interface HugeResult {
  members: number;
  online: number;
  smallRooms: number;
  bigRate: number;
  smallRate: number;
  bigDelivered: number;
  bigExpected: number;
  bigP50: number;
  bigP99: number;
  bigMax: number;
  smallDelivered: number;
  smallExpected: number;
  smallP50: number;
  smallP99: number;
  smallMax: number;
  presenceFramesPerSocketSec: number;
  presenceMaxPerSocketSecond: number;
  serverCpuPct: number;
  serverCpuUsPerDelivery: number;
  loopP99Ms: number;
  loopMaxMs: number;
  serverRssMb: number;
  generatorCpuPct: number;
  foreignPct: number[];
  connectMs: number;
}

const presenceNeedle = Buffer.from('42["presence:changed"');
const clientIdKey = Buffer.from('"clientId":"');

export async function runHuge(
  server: RunningServer,
  world: HugeWorld,
  options: HugeOptions,
): Promise<HugeResult> {
  const small = world.smallRooms.length;
  let measuring = false;
  const frames = new PerSecond(options.online);
  const big = new Histogram();
  const little = new Histogram();
  const onEvent = (i: number) => (frame: Buffer) => {
    if (!measuring) return;
    if (frame.subarray(0, presenceNeedle.length).equals(presenceNeedle)) {
      frames.record(i);
      return;
    }
    const at = findField(frame, clientIdKey);
    if (at < 0) return;
    const kind = frame[at];
    if (kind !== 98 /* b */ && kind !== 115 /* s */) return;
    const [scheduledUs] = readInt(frame, at + 1);
    (kind === 98 ? big : little).record(performance.now() - scheduledUs / 1000);
  };
  const started = performance.now();
  const wires: Wire[] = await connectMany(options.online, 64, (i) => ({
    url: server.url,
    token: world.users[i]!.token,
    onEvent: onEvent(i),
    timeoutMs: setupTimeoutMs,
  }));
  const connectMs = performance.now() - started;
  const page = world.users.slice(0, options.pageSize).map((user) => user.id);
  await Promise.all(
    wires.map((wire, i) => {
      const mates = world.users.slice(0, options.online).filter((_, j) => j % small === i % small);
      return wire.request('presence:watch', { userIds: [...page, ...mates.map((user) => user.id)] });
    }),
  );
  await sleep(2000);

  // Big-room senders are sockets 0..9 (round robin); small room r's sender is socket `small + r`.
  const bigSenders = wires.slice(0, 10);
  const smallSenders = world.smallRooms.map((_, r) => wires[small + r]!);
  let sentBig = 0;
  let sentSmall = 0;
  let away = new Set<number>();
  await scrapeLoop(server.url);
  const cpu0 = processCpuMicros(server.pid);
  const self0 = selfCpuMicros();
  const cores0 = coreTimes();
  measuring = true;
  const t0 = performance.now();
  frames.start = t0;
  const durationMs = options.seconds * 1000;
  let nextToggle = t0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = Math.min(performance.now(), t0 + durationMs);
      while (t0 + (sentBig * 1000) / options.bigRate <= now) {
        const scheduledUs = Math.round((t0 + (sentBig * 1000) / options.bigRate) * 1000);
        bigSenders[sentBig % bigSenders.length]!.emit('message:send', {
          roomId: world.bigRoom,
          text: options.text,
          clientId: `b${scheduledUs}.${sentBig}`,
        });
        sentBig++;
      }
      while (t0 + (sentSmall * 1000) / options.smallRate <= now) {
        const scheduledUs = Math.round((t0 + (sentSmall * 1000) / options.smallRate) * 1000);
        const r = sentSmall % small;
        smallSenders[r]!.emit('message:send', {
          roomId: world.smallRooms[r],
          text: options.text,
          clientId: `s${scheduledUs}.${sentSmall}`,
        });
        sentSmall++;
      }
      if (now >= nextToggle) {
        // Flip a few people of the page on screen between away and active.
        const next = new Set<number>();
        for (let k = 0; k < options.awayToggles; k++) next.add(Math.floor(Math.random() * options.pageSize));
        for (const i of new Set([...away, ...next])) wires[i]!.emit('presence:away', { away: next.has(i) });
        away = next;
        nextToggle += 1000;
      }
      if (now >= t0 + durationMs) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  // Drain for up to 5 s.
  const bigExpected = sentBig * options.online;
  const smallExpected = sentSmall * (options.online / small);
  const deadline = performance.now() + 5000;
  while (big.count + little.count < bigExpected + smallExpected && performance.now() < deadline)
    await sleep(50);
  const wallMs = performance.now() - t0;
  measuring = false;
  const cpuUs = processCpuMicros(server.pid) - cpu0;
  const selfUs = selfCpuMicros() - self0;
  const serverPct = (cpuUs / 1000 / wallMs) * 100;
  const generatorPct = (selfUs / 1000 / wallMs) * 100;
  const foreignPct = foreignLoadPct(cores0, coreTimes(), [serverPct, generatorPct]);
  const loop = await scrapeLoop(server.url);
  const rss = processRss(server.pid);
  for (const wire of wires) wire.close();
  const b = big.summary();
  const s = little.summary();
  return {
    members: world.members,
    online: options.online,
    smallRooms: small,
    bigRate: options.bigRate,
    smallRate: options.smallRate,
    bigDelivered: big.count,
    bigExpected,
    bigP50: b.p50,
    bigP99: b.p99,
    bigMax: b.max,
    smallDelivered: little.count,
    smallExpected,
    smallP50: s.p50,
    smallP99: s.p99,
    smallMax: s.max,
    presenceFramesPerSocketSec: round(frames.total / options.online / options.seconds, 2),
    presenceMaxPerSocketSecond: frames.max(),
    serverCpuPct: round(serverPct, 0),
    serverCpuUsPerDelivery: round(cpuUs / Math.max(1, big.count + little.count), 2),
    loopP99Ms: loop.p99Ms,
    loopMaxMs: loop.maxMs,
    serverRssMb: mb(rss),
    generatorCpuPct: round(generatorPct, 0),
    foreignPct,
    connectMs: round(connectMs, 0),
  };
}
