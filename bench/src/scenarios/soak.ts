import { Histogram, round, sleep } from '../stats.js';
import { mb, processCpuMicros, processRss } from '../proc.js';
import { scrapeLoop } from '../scrape.js';
import type { RunningServer } from '../targets.js';
import { connectMany, findField, readInt, Wire, setupTimeoutMs } from '../wire.js';
import { roomOf, tokenOf, type World } from '../world.js';

/**
 * Soak: S sockets in the world's rooms chatting at a steady `rate` msg/s (open loop, one sender per
 * room) for `minutes`, with `churnPerMinute` sockets reconnecting each minute (connect, sync and
 * disconnect paths must not leak either). Each minute: RSS, heap after a forced GC, delivery p99 and
 * the event loop's worst delay. Growth is reported between minute `fromMinute` and the end.
 */
export interface SoakOptions {
  sockets: number;
  rate: number;
  minutes: number;
  churnPerMinute: number;
  fromMinute: number;
  text: string;
}

export interface SoakSample {
  minute: number;
  rssMb: number;
  heapMb: number;
  p50: number;
  p99: number;
  delivered: number;
  serverCpuPct: number;
  loopMaxMs: number;
}

export interface SoakResult {
  sockets: number;
  rate: number;
  minutes: number;
  samples: SoakSample[];
  rssGrowthPct: number;
  heapGrowthPct: number;
  p99From: number;
  p99End: number;
  p99Worst: number;
}

const clientIdKey = Buffer.from('"clientId":"');

export async function runSoak(
  server: RunningServer,
  world: World,
  options: SoakOptions,
  log: (line: string) => void,
): Promise<SoakResult> {
  let histogram = new Histogram();
  let delivered = 0;
  const onEvent = (frame: Buffer) => {
    const at = findField(frame, clientIdKey);
    if (at < 0 || frame[at] !== 107 /* k */) return;
    const [scheduledUs] = readInt(frame, at + 1);
    histogram.record(performance.now() - scheduledUs / 1000);
    delivered++;
  };
  const options_ = (i: number) => ({
    url: server.url,
    token: tokenOf(world, i),
    onEvent,
    timeoutMs: setupTimeoutMs,
  });
  const wires = await connectMany(options.sockets, 64, options_);
  const rooms = world.rooms;
  // Client r (r < rooms) is the first member of room r: it sends there.
  const senders = rooms.map((_, r) => wires[r]!);
  let sent = 0;
  let running = true;
  const t0 = performance.now();
  const sendLoop = (async () => {
    while (running) {
      const now = performance.now();
      while (t0 + (sent * 1000) / options.rate <= now) {
        const scheduledUs = Math.round((t0 + (sent * 1000) / options.rate) * 1000);
        const r = sent % rooms.length;
        senders[r]!.emit('message:send', {
          roomId: rooms[r],
          text: options.text,
          clientId: `k${scheduledUs}.${sent}`,
        });
        sent++;
      }
      await sleep(5);
    }
  })();
  const churn = async () => {
    // Reconnect a rotating slice of the non-sending sockets, each syncing its room, as a tab reload does.
    for (let k = 0; k < options.churnPerMinute; k++) {
      const i =
        rooms.length + ((Math.floor(performance.now()) + k * 7919) % (options.sockets - rooms.length));
      wires[i]!.close();
      wires[i] = await Wire.connect(options_(i));
      await wires[i]!.request('sync', { since: { [roomOf(world, i)]: 0 } });
      await sleep(Math.floor(60_000 / Math.max(1, options.churnPerMinute) / 2));
    }
  };
  const samples: SoakSample[] = [];
  await scrapeLoop(server.url);
  for (let minute = 1; minute <= options.minutes; minute++) {
    const cpu0 = processCpuMicros(server.pid);
    const started = performance.now();
    histogram = new Histogram();
    delivered = 0;
    await Promise.all([churn(), sleep(60_000)]);
    const elapsed = performance.now() - started;
    const cpuUs = processCpuMicros(server.pid) - cpu0;
    const window = histogram.summary();
    const loop = await scrapeLoop(server.url);
    const memory = await server.memory();
    const sample: SoakSample = {
      minute,
      rssMb: mb(processRss(server.pid)),
      heapMb: mb(memory.heapUsed),
      p50: window.p50,
      p99: window.p99,
      delivered,
      serverCpuPct: round((cpuUs / 1000 / elapsed) * 100, 0),
      loopMaxMs: loop.maxMs,
    };
    samples.push(sample);
    log(
      `minute ${minute}: RSS ${sample.rssMb} MB, heap ${sample.heapMb} MB, p50 ${sample.p50} ms p99 ${sample.p99} ms, ` +
        `${delivered} deliveries, server ${sample.serverCpuPct}%, loop max ${sample.loopMaxMs} ms`,
    );
  }
  running = false;
  await sendLoop;
  for (const wire of wires) wire.close();
  const from = samples[Math.min(options.fromMinute, samples.length) - 1]!;
  const end = samples[samples.length - 1]!;
  const growth = (a: number, b: number) => round(((b - a) / a) * 100, 1);
  return {
    sockets: options.sockets,
    rate: options.rate,
    minutes: options.minutes,
    samples,
    rssGrowthPct: growth(from.rssMb, end.rssMb),
    heapGrowthPct: growth(from.heapMb, end.heapMb),
    p99From: from.p99,
    p99End: end.p99,
    p99Worst: Math.max(...samples.slice(options.fromMinute - 1).map((s) => s.p99)),
  };
}
