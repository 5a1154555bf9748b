import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from './config.js';
import { summarizeProfile } from './cpuprofile.js';
import { benchServerEnv, seedTemplate } from './parley.js';
import { fillParleyHistory } from './parley-history.js';
import { runHistory } from './scenarios/history.js';
import { openFanout } from './scenarios/fanout.js';
import { runIdle } from './scenarios/idle.js';
import { runIngest } from './scenarios/ingest.js';
import { runStorm } from './scenarios/storm.js';
import { pinGenerator, startServer, type TargetName } from './targets.js';
import { baselineWorld } from './world.js';

/**
 * `npm run bench:profile`: runs Parley under one workload with `--cpu-prof` and prints where the
 * server's CPU went. PROFILE=fanout,ingest,idle,history,storm (default fanout,ingest), PROFILE_RATE
 * (fanout msg/s); the storm takes its STORM_* knobs.
 */
const pinning = pinGenerator();
const workloads = (process.env.PROFILE ?? 'fanout,ingest').split(',');
const rate = Number(process.env.PROFILE_RATE ?? 150);
const outDir = fileURLToPath(
  new URL(`../out/profiles/${new Date().toISOString().replace(/[:.]/g, '-')}`, import.meta.url),
);
mkdirSync(outDir, { recursive: true });
console.log(`# ${pinning}; profiles in ${outDir}`);

const notes: string[] = [];
// PROFILE_TARGET=sio-room|ws-relay profiles a baseline under the same load, for a side-by-side.
const target = (process.env.PROFILE_TARGET ?? 'parley') as TargetName;
const template =
  target === 'parley'
    ? await seedTemplate(config.users, config.fanout.rooms, config.ingest.pairs, notes)
    : {
        dataDir: mkdtempSync(join(tmpdir(), 'parley-bench-none-')),
        world: baselineWorld(target, config.users, config.fanout.rooms, config.ingest.pairs),
      };
for (const [index, workload] of workloads.entries()) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-prof-'));
  cpSync(template.dataDir, dataDir, { recursive: true });
  // A workload named twice (PROFILE=ingest,ingest) is profiled twice, each in its own directory.
  const profDir = join(outDir, `${index + 1}-${workload}`);
  if (workload === 'history' && target === 'parley') {
    const fill = await fillParleyHistory(dataDir, template.world, config.history.messages);
    console.log(`history fill: ${config.history.messages} messages in ${fill.ms} ms`);
  }
  const server = await startServer(target, {
    env: { DATA_DIR: dataDir, ...benchServerEnv },
    cpuProfDir: profDir,
  });
  try {
    if (workload === 'fanout') {
      const session = await openFanout(server, template.world, {
        ...config.fanout,
        quietWaitMs: config.quietWaitMs,
        text: config.text,
      });
      const step = await session.runStep(rate);
      console.log(`fanout at ${rate} msg/s: ${JSON.stringify(step)}`);
      session.close();
    } else if (workload === 'ingest') {
      const result = await runIngest(server, template.world, {
        ...config.ingest,
        quietWaitMs: config.quietWaitMs,
        text: config.text,
      });
      console.log(`ingest: ${JSON.stringify(result)}`);
    } else if (workload === 'history') {
      const roomId = template.world.rooms[0]!;
      const token = template.world.users[0]!.token;
      const depths = await runHistory(server.url, roomId, config.history.messages, token, config.history);
      console.log(`history: ${JSON.stringify(depths)}`);
    } else if (workload === 'storm') {
      console.log(`storm: ${JSON.stringify(await runStorm(server, template.world, config.storm))}`);
    } else if (workload === 'idle') {
      console.log(
        `idle: ${JSON.stringify(await runIdle(server, template.world, { ...config.idle, sockets: config.idle.counts[0]! }))}`,
      );
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Each thread writes a profile: tsx's module loader, the SQLite writer and the main thread (the
  // biggest file). The writer's is the one that ran sqlite.writer.mjs.
  const files = readdirSync(profDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ f, size: statSync(join(profDir, f)).size }))
    .sort((a, b) => b.size - a.size);
  const writer = files
    .slice(1)
    .find(({ f }) => readFileSync(join(profDir, f), 'utf8').includes('sqlite.writer.mjs'));
  for (const [thread, file] of [
    ['main thread', files[0]],
    ['SQLite writer thread', writer],
  ] as const) {
    if (!file) continue;
    const summary = summarizeProfile(join(profDir, file.f));
    writeFileSync(join(profDir, `${file.f}.txt`), summary);
    console.log(`\n## ${workload}, ${thread}\n${summary}`);
  }
}
rmSync(template.dataDir, { recursive: true, force: true });
