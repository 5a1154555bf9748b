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
  /** The window's length: 60 s, give or take the timer. */
  seconds: number;
  /** Tab reloads (reconnect and sync) finished in the window. */
  reconnects: number;
  rssMb: number;
  heapMb: number;
  p50: number;
  p99: number;
  /** First arrivals of the soak's messages on a socket during the minute (latency is of these). */
  delivered: number;
  /** What the minute's sends should deliver: each message to every socket of its room once. */
  expected: number;
  /** The same message again on the same socket: should be 0. */
  duplicates: number;
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
const messageNew = Buffer.from('42["message:new",');

/**
 * What the soak's sockets heard in one minute. Only `message:new` frames count, each once per socket:
 * a socket's record of which of the soak's messages it has had (by the clientId's send index) starts
 * empty when it (re)connects, so a repeat on the same socket is a `duplicate`, never a delivery.
 */
class Tally {
  delivered = 0;
  duplicates = 0;
  /** A soak message of a room the socket is not in: should be 0. */
  otherRoom = 0;
  /** Event frames carrying one of the soak's clientIds, any event, repeats included (the old count). */
  framesWithClientId = 0;
  /** Frames of other events carrying one of the soak's clientIds (an edit would; the soak edits nothing). */
  otherWithClientId = 0;
  /** Every event frame by name, for the log. */
  readonly byEvent = new Map<string, number>();
}

export async function runSoak(
  server: RunningServer,
  world: World,
  options: SoakOptions,
  log: (line: string) => void,
): Promise<SoakResult> {
  let histogram = new Histogram();
  let tally = new Tally();
  const rooms = world.rooms;
  // Which of its room's messages each socket has had: one bit per message, by send index.
  const bytesPerSocket = Math.ceil((options.rate * 60 * (options.minutes + 2)) / rooms.length / 8) + 64;
  const seen = new Uint8Array(options.sockets * bytesPerSocket);
  // Message `index` goes to room `index % rooms` (below); socket i is in room `roomIndex[i]` only.
  const roomIndex = Int16Array.from({ length: options.sockets }, (_, i) => rooms.indexOf(roomOf(world, i)));
  const onEvent = (i: number, frame: Buffer) => {
    const nameEnd = frame.indexOf(34 /* " */, 4);
    const name = nameEnd > 4 ? frame.toString('latin1', 4, nameEnd) : '?';
    tally.byEvent.set(name, (tally.byEvent.get(name) ?? 0) + 1);
    const at = findField(frame, clientIdKey);
    if (at < 0 || frame[at] !== 107 /* k */) return;
    tally.framesWithClientId++;
    if (frame.compare(messageNew, 0, messageNew.length, 0, messageNew.length) !== 0) {
      tally.otherWithClientId++;
      return;
    }
    const [scheduledUs, dot] = readInt(frame, at + 1);
    const [index] = readInt(frame, dot + 1);
    if (index % rooms.length !== roomIndex[i]) {
      tally.otherRoom++;
      return;
    }
    const bit = Math.floor(index / rooms.length);
    const byte = i * bytesPerSocket + (bit >> 3);
    const mask = 1 << (bit & 7);
    if (bit >> 3 >= bytesPerSocket || (seen[byte]! & mask) !== 0) {
      tally.duplicates++;
      return;
    }
    seen[byte] = seen[byte]! | mask;
    histogram.record(performance.now() - scheduledUs / 1000);
    tally.delivered++;
  };
  const options_ = (i: number) => {
    seen.fill(0, i * bytesPerSocket, (i + 1) * bytesPerSocket);
    return {
      url: server.url,
      token: tokenOf(world, i),
      onEvent: (frame: Buffer) => onEvent(i, frame),
      timeoutMs: setupTimeoutMs,
    };
  };
  const wires = await connectMany(options.sockets, 64, options_);
  // Client r (r < rooms) is the first member of room r: it sends there.
  const senders = rooms.map((_, r) => wires[r]!);
  let sent = 0;
  let sentBefore = 0;
  // Sockets per room, for what a minute's sends should deliver (the sender hears its own echo).
  const members = rooms.map(() => 0);
  for (const r of roomIndex) members[r]! += 1;
  /** Deliveries the sends numbered [from, to) make: every socket of each message's room once. */
  const expectedFor = (from: number, to: number) => {
    let total = 0;
    for (let s = from; s < to; s++) total += members[s % rooms.length]!;
    return total;
  };
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
  // A tab reload every 60/churnPerMinute s, in the background. It once gated each minute (the minute
  // ended when both 60 s and its 50 reloads were over): with reconnects slowed by a starved server the
  // 2026-12-01 20:27 soak's "minute 1" lasted about 11 minutes and counted 2.67 M deliveries against
  // the 240,000 a minute sends.
  let churned = 0;
  let churnFailed = 0;
  const churnLoop = (async () => {
    const every = 60_000 / Math.max(1, options.churnPerMinute);
    for (let k = 0; running && options.churnPerMinute > 0; k++) {
      const next = performance.now() + every;
      const i = rooms.length + ((k * 7919) % (options.sockets - rooms.length));
      wires[i]!.close();
      try {
        wires[i] = await Wire.connect(options_(i));
        await wires[i]!.request('sync', { since: { [roomOf(world, i)]: 0 } });
        churned++;
      } catch {
        churnFailed++;
      }
      await sleep(Math.max(0, next - performance.now()));
    }
  })();
  const samples: SoakSample[] = [];
  await scrapeLoop(server.url);
  const soakStart = performance.now();
  let started = soakStart;
  let cpu0 = processCpuMicros(server.pid);
  for (let minute = 1; minute <= options.minutes; minute++) {
    await sleep(Math.max(0, soakStart + minute * 60_000 - performance.now()));
    // The window ends here, whatever the sampling below then takes.
    const ended = performance.now();
    const cpu1 = processCpuMicros(server.pid);
    const heard = tally;
    const window = histogram.summary();
    const expected = expectedFor(sentBefore, sent);
    const reconnects = { done: churned, failed: churnFailed };
    histogram = new Histogram();
    tally = new Tally();
    sentBefore = sent;
    churned = 0;
    churnFailed = 0;
    const elapsed = ended - started;
    const cpuUs = cpu1 - cpu0;
    started = ended;
    cpu0 = cpu1;
    const loop = await scrapeLoop(server.url);
    const memory = await server.memory();
    // The heap is read after a forced full GC, which stops the server's event loop for tens of ms:
    // the bench's doing, not the server's, so the next minute's loop figures start after it.
    await scrapeLoop(server.url);
    const sample: SoakSample = {
      minute,
      seconds: round(elapsed / 1000, 1),
      reconnects: reconnects.done,
      rssMb: mb(processRss(server.pid)),
      heapMb: mb(memory.heapUsed),
      p50: window.p50,
      p99: window.p99,
      delivered: heard.delivered,
      expected,
      duplicates: heard.duplicates,
      serverCpuPct: round((cpuUs / 1000 / elapsed) * 100, 0),
      loopMaxMs: loop.maxMs,
    };
    samples.push(sample);
    log(
      `minute ${minute}: RSS ${sample.rssMb} MB, heap ${sample.heapMb} MB, p50 ${sample.p50} ms p99 ${sample.p99} ms, ` +
        `${heard.delivered} deliveries (the minute's sends make ${expected}; ${heard.duplicates} repeats on a socket), ` +
        `server ${sample.serverCpuPct}%, loop max ${sample.loopMaxMs} ms; ${reconnects.done} reloads` +
        (reconnects.failed ? ` (${reconnects.failed} failed)` : '') +
        ` in ${sample.seconds} s`,
    );
    log(
      `  frames heard: ${[...heard.byEvent].map(([name, count]) => `${name} ${count}`).join(', ')}; ` +
        `${heard.framesWithClientId} carried a soak clientId` +
        (heard.otherWithClientId ? ` (${heard.otherWithClientId} not message:new)` : '') +
        (heard.otherRoom ? `; ${heard.otherRoom} of another room than the socket's` : ''),
    );
  }
  running = false;
  await sendLoop;
  // A reload stuck on an unanswered sync would hold the end for ever.
  await Promise.race([churnLoop, sleep(10_000)]);
  for (const wire of wires) wire.close();
  const fromIndex = Math.min(options.fromMinute, samples.length) - 1;
  const from = samples[fromIndex]!;
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
    p99Worst: Math.max(...samples.slice(fromIndex).map((s) => s.p99)),
  };
}
