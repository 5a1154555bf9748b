/**
 * `npm run bench:push -w bench` (issue 10): does having push subscriptions cost a send anything? One
 * room of 1,000 members; the same fanout step (fixed rate, latency from the scheduled send) and the
 * same ingest run, on two fresh copies of one seeded server: without subscriptions, and with every
 * member subscribed to a local push service. Half the members are connected (the fanout's sockets),
 * half are not, so those are real push candidates; the ingest's DM pairs are subscribed too (DMs
 * notify of everything by default), so every DM message opens a burst. Reports the ratios.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from './config.js';
import { benchServerEnv, seedTemplate } from './parley.js';
import { openFanout } from './scenarios/fanout.js';
import { runIngest } from './scenarios/ingest.js';
import { api } from './seed.js';
import { pinGenerator, startServer } from './targets.js';

const members = Number(process.env.PUSH_MEMBERS ?? 1000);
const connected = Number(process.env.PUSH_CONNECTED ?? members / 2);
const rate = Number(process.env.PUSH_RATE ?? 20);
const runs = Number(process.env.PUSH_RUNS ?? 2);

console.log(`# push bench — ${pinGenerator()}`);
let received = 0;
const service = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received += 1;
    res.writeHead(201).end();
  });
});
await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
const servicePort = (service.address() as AddressInfo).port;
const notes: string[] = [];
const template = await seedTemplate(members, 1, config.ingest.pairs, notes);
// Bursts end within the measurement (by default a push waits 4 s of quiet, at most 20 s, longer than
// a step), so any push the notification rules allow is sent inside what is measured. Under the default
// levels none is: the room is over the size where members hear only mentions, and the DMs' members
// are connected (so active); the push service's count says so.
const env = {
  ...benchServerEnv,
  PUSH_ALLOW_LOOPBACK: 'true',
  PUSH_QUIET_MS: '500',
  PUSH_MAX_WAIT_MS: '2000',
};

async function measure(subscribed: boolean) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-push-'));
  cpSync(template.dataDir, dataDir, { recursive: true });
  const server = await startServer('parley', { env: { ...env, DATA_DIR: dataDir } });
  try {
    if (subscribed) {
      const ua = createECDH('prime256v1');
      ua.generateKeys();
      const keys = { p256dh: ua.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') };
      const users = template.world.users;
      for (let i = 0; i < users.length; i += 32) {
        await Promise.all(
          users.slice(i, i + 32).map((user, j) =>
            api(
              server.url,
              'POST',
              '/api/push/subscriptions',
              {
                endpoint: `http://127.0.0.1:${servicePort}/push/${i + j}`,
                keys,
              },
              user.token,
            ),
          ),
        );
      }
    }
    const session = await openFanout(server, template.world, {
      clients: connected,
      stepSeconds: config.fanout.stepSeconds,
      startRate: rate,
      maxSteps: 1,
      p99LimitMs: config.fanout.p99LimitMs,
      quietWaitMs: config.quietWaitMs,
      tries: 1,
      text: config.text,
    });
    const step = await session.runStep(rate);
    session.close();
    const ingest = await runIngest(server, template.world, {
      pairs: config.ingest.pairs,
      window: config.ingest.window,
      seconds: config.ingest.seconds,
      warmupSeconds: config.ingest.warmupSeconds,
      quietWaitMs: config.quietWaitMs,
      text: config.text,
    });
    return {
      sendP99: step.p99,
      deliveriesPerSec: step.deliveriesPerSec,
      cpuUsPerDelivery: step.serverCpuUsPerDelivery,
      ingest: ingest.ackedPerSec,
      ingestP99: ingest.p99,
      foreign: [...step.foreignPct, ...ingest.foreignPct],
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: { without: Awaited<ReturnType<typeof measure>>; with: Awaited<ReturnType<typeof measure>> }[] =
  [];
for (let run = 0; run < runs; run++) {
  // Alternated, so a neighbour's burst of load does not always land on the same side.
  const without = await measure(false);
  const withPush = await measure(true);
  results.push({ without, with: withPush });
  console.log(JSON.stringify({ run, without, with: withPush, pushesReceived: received }));
}
const ratio = (pick: (r: (typeof results)[number]['with']) => number) =>
  results.map((r) => (pick(r.with) / pick(r.without)).toFixed(3));
console.log(`send p99 with/without: ${ratio((r) => r.sendP99).join(', ')}`);
console.log(`fanout CPU µs per delivery with/without: ${ratio((r) => r.cpuUsPerDelivery).join(', ')}`);
console.log(`ingest acked/s with/without: ${ratio((r) => r.ingest).join(', ')}`);
console.log(`ingest p99 with/without: ${ratio((r) => r.ingestP99).join(', ')}`);
console.log(`pushes the local push service received: ${received}`);
service.close();
rmSync(template.dataDir, { recursive: true, force: true });
