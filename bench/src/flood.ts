/**
 * `npm run bench:flood -w bench` (issue 13): does one person sending as fast as they can slow down
 * everyone else? One room: `FLOOD_CHATTERS` members each send a message every `FLOOD_INTERVAL_MS`
 * (a lively room), timed from send to ack. The same server, in the same run, goes through three
 * phases of `FLOOD_PHASE_S` seconds: quiet, flood (one more member keeps `FLOOD_WINDOW` sends in
 * flight, each answered at once by the next), quiet again. The flooder meets the per-user send
 * limit (the server's defaults, `RATE_SEND`), so nearly all its sends come back `rate_limited`;
 * what is measured is what those refusals and the few accepted messages cost the others.
 * Reports the others' p99 in each phase and the ratio flood / quiet (the goal is within 2×).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedTemplate } from './parley.js';
import { awaitQuiet, coreTimes, foreignLoadPct, processCpuMicros, selfCpuMicros } from './proc.js';
import { Histogram, round, sleep } from './stats.js';
import { pinGenerator, startServer } from './targets.js';
import { ackOk, connectMany, type Wire } from './wire.js';

const chatters = Number(process.env.FLOOD_CHATTERS ?? 50);
const intervalMs = Number(process.env.FLOOD_INTERVAL_MS ?? 1000);
const phaseSeconds = Number(process.env.FLOOD_PHASE_S ?? 10);
const window = Number(process.env.FLOOD_WINDOW ?? 64);
const text = 'The quick brown fox jumps over the lazy dog, then asks the room what is for lunch today.';

console.log(`# flood bench — ${pinGenerator()}`);
const notes: string[] = [];
// User 0 floods; users 1… chat. One room holds them all, so the flood lands where they talk.
const template = await seedTemplate(chatters + 1, 1, 0, notes);
const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-flood-'));
cpSync(template.dataDir, dataDir, { recursive: true });
const server = await startServer('parley', { env: { DATA_DIR: dataDir } });
const roomId = template.world.rooms[0]!;
const tokens = template.world.users.map((user) => user.token);

interface Phase {
  name: string;
  histogram: Histogram;
  failed: number;
  firstError?: string;
  flood: { attempts: number; accepted: number; limited: number; other: number };
  serverCpuPct: number;
  foreignPct: number[];
}

try {
  const wires = await connectMany(chatters + 1, 16, (i) => ({ url: server.url, token: tokens[i] }));
  const flooder = wires[0]!;
  const others = wires.slice(1);
  let counter = 0;
  let current: Phase | undefined;
  let chatting = true;
  let flooding = false;

  // Each chatter on its own fixed schedule, spread over the interval, so sends never bunch up.
  const chat = (wire: Wire, offset: number) => {
    const tick = () => {
      if (!chatting) return;
      const phase = current;
      const sentAt = performance.now();
      wire.requestRaw('message:send', { roomId, text, clientId: `c${counter++}` }, (reply) => {
        if (!phase) return;
        if (ackOk(reply)) phase.histogram.record(performance.now() - sentAt);
        else {
          phase.failed++;
          phase.firstError ??= reply.slice(0, 200);
        }
      });
      setTimeout(tick, intervalMs);
    };
    setTimeout(tick, offset);
  };
  for (const [i, wire] of others.entries()) chat(wire, (i * intervalMs) / others.length);

  const flood = () => {
    if (!flooding) return;
    const phase = current;
    flooder.requestRaw('message:send', { roomId, text, clientId: `f${counter++}` }, (reply) => {
      if (phase) {
        phase.flood.attempts++;
        if (ackOk(reply)) phase.flood.accepted++;
        else if (reply.includes('"rate_limited"')) phase.flood.limited++;
        else phase.flood.other++;
      }
      flood();
    });
  };

  await sleep(2000);
  const phases: Phase[] = [];
  for (const name of ['quiet', 'flood', 'quiet again']) {
    const quiet = await awaitQuiet(server.pid, 15_000);
    if (name === 'flood') {
      flooding = true;
      for (let w = 0; w < window; w++) flood();
    }
    const phase: Phase = {
      name,
      histogram: new Histogram(),
      failed: 0,
      flood: { attempts: 0, accepted: 0, limited: 0, other: 0 },
      serverCpuPct: 0,
      foreignPct: quiet.foreignPct,
    };
    const cpu0 = processCpuMicros(server.pid);
    const self0 = selfCpuMicros();
    const cores0 = coreTimes();
    const t0 = performance.now();
    current = phase;
    await sleep(phaseSeconds * 1000);
    current = undefined;
    flooding = false;
    const wallMs = performance.now() - t0;
    const serverPct = ((processCpuMicros(server.pid) - cpu0) / 1000 / wallMs) * 100;
    const selfPct = ((selfCpuMicros() - self0) / 1000 / wallMs) * 100;
    phase.serverCpuPct = round(serverPct, 0);
    phase.foreignPct = foreignLoadPct(cores0, coreTimes(), [serverPct, selfPct]);
    phases.push(phase);
    // The phase's last sends are still in flight: their acks count for it, so wait for them.
    await sleep(2000);
    const s = phase.histogram.summary();
    const perSec = (n: number) => round(n / (wallMs / 1000), 0);
    console.log(
      JSON.stringify({
        phase: name,
        others: { sends: phase.histogram.count, failed: phase.failed, ...s },
        flooder: { attemptsPerSec: perSec(phase.flood.attempts), ...phase.flood },
        serverCpuPct: phase.serverCpuPct,
        foreignPct: phase.foreignPct,
        ...(phase.firstError ? { firstError: phase.firstError } : {}),
      }),
    );
  }
  chatting = false;
  const p99 = (name: string) => phases.find((p) => p.name === name)!.histogram.summary().p99;
  const quietP99 = Math.max(p99('quiet'), p99('quiet again'));
  console.log(
    `others' send p99: quiet ${p99('quiet')} ms, flood ${p99('flood')} ms, quiet again ${p99('quiet again')} ms; ` +
      `flood / worse quiet = ${round(p99('flood') / quietP99, 2)}×`,
  );
  await sleep(500);
  for (const wire of wires) wire.close();
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(template.dataDir, { recursive: true, force: true });
}
