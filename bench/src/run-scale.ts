import { addBulkUsers } from './bulk.js';
import { config } from './config.js';
import type { Row } from './report.js';
import { api } from './seed.js';
import { runCluster } from './scenarios/cluster.js';
import { runHuge } from './scenarios/huge.js';
import { runSoak } from './scenarios/soak.js';
import { runStorm } from './scenarios/storm.js';
import { benchServerEnv } from './parley.js';
import { awaitQuiet } from './proc.js';
import { type RunningServer, startServer, type TargetName } from './targets.js';
import type { World } from './world.js';

type WithTarget = <T>(
  target: TargetName,
  scenario: string,
  body: (server: RunningServer, world: World, dataDir?: string) => Promise<T>,
  env?: Record<string, string>,
) => Promise<T | undefined>;

/**
 * Issue 16's scenarios, Parley only (none has a baseline that means anything: the baselines have no
 * presence, sync or membership): `storm`, `huge`, `cluster` (each by BENCH_SCENARIOS) and `soak`
 * (`npm run bench:soak`).
 */
export async function runScaleScenarios(run: {
  withTarget: WithTarget;
  emit: (row: Row, summary: string) => void;
  notes: string[];
  parleyTargets: TargetName[];
}): Promise<void> {
  const { withTarget, emit, notes } = run;
  const onParley = run.parleyTargets.includes('parley');

  if (config.scenarios.includes('storm') && onParley) {
    const { sockets, spreadSeconds } = config.storm;
    console.log(`\n## storm: ${sockets} sockets drop and come back over ${spreadSeconds} s, each syncing`);
    await withTarget('parley', 'storm', async (server, world) => {
      await awaitQuiet(server.pid, config.quietWaitMs);
      const result = await runStorm(server, world, config.storm);
      emit(
        { scenario: 'storm', target: 'parley', ...result },
        `all back in ${result.allBackMs} ms, all current in ${result.allCurrentMs} ms (per socket p50 ` +
          `${result.catchUpP50} ms p99 ${result.catchUpP99} ms, ${result.syncPages} sync pages, ${result.retries} retried connects, ${result.failed} failed); ` +
          `server ${result.serverCpuPct}% (${result.serverCpuMs} ms CPU); event loop p99 ${result.loopP99Ms} ms max ${result.loopMaxMs} ms; ` +
          `presence ${result.presenceFramesPerStayer} frames per staying socket, at most ${result.presenceMaxPerSocketSecond} in a second`,
      );
    });
  }

  if (config.scenarios.includes('huge') && onParley) {
    const { members, online, smallRooms } = config.huge;
    console.log(
      `\n## huge: one room of ${members} members, ${online} online, beside ${smallRooms} small rooms`,
    );
    await withTarget('parley', 'huge', async (server, world, dataDir) => {
      // Rooms through the API (room r made by template user r); members added with the server stopped.
      const make = async (r: number, name: string) =>
        (
          await api<{ room: { id: string } }>(
            server.url,
            'POST',
            '/api/chat/rooms',
            { name: `${name} ${Date.now().toString(36)} ${r}`, visibility: 'public' },
            world.users[r % world.users.length]!.token,
          )
        ).room.id;
      const bigRoom = await make(0, 'huge');
      const small: string[] = [];
      for (let r = 0; r < smallRooms; r++) small.push(await make(r + 1, 'small'));
      await server.stop();
      const started = Date.now();
      const users = await addBulkUsers(dataDir!, members, (i) =>
        i < online ? [bigRoom, small[i % smallRooms]!] : [bigRoom],
      );
      const note = `huge: ${members} users with sessions and memberships written to SQLite with the server stopped in ${Date.now() - started} ms (src/bulk.ts)`;
      console.log(`  ${note}`);
      notes.push(note);
      const restarted = await startServer('parley', { env: { DATA_DIR: dataDir!, ...benchServerEnv } });
      try {
        await awaitQuiet(restarted.pid, config.quietWaitMs);
        const result = await runHuge(
          restarted,
          { bigRoom, smallRooms: small, members, users },
          { ...config.huge, text: config.text },
        );
        emit(
          { scenario: 'huge', target: 'parley', ...result },
          `big room p50 ${result.bigP50} ms p99 ${result.bigP99} ms (${result.bigDelivered}/${result.bigExpected}); ` +
            `small rooms p50 ${result.smallP50} ms p99 ${result.smallP99} ms (${result.smallDelivered}/${result.smallExpected}); ` +
            `presence ${result.presenceFramesPerSocketSec} frames per socket per second, at most ${result.presenceMaxPerSocketSecond} ` +
            `in a second; server ${result.serverCpuPct}%, event loop p99 ${result.loopP99Ms} ms max ${result.loopMaxMs} ms, ` +
            `others' load ${result.foreignPct.join('/')}%`,
        );
      } finally {
        await restarted.stop();
      }
    });
  }

  if (config.scenarios.includes('cluster') && config.targets.includes('parley-pg')) {
    console.log(
      `\n## cluster: fanout at ${config.cluster.rates.join(', ')} msg/s and ingest, one node against two`,
    );
    await runCluster(
      {
        redisUrl: config.cluster.redisUrl,
        rates: config.cluster.rates,
        rooms: config.fanout.rooms,
        fanout: { ...config.fanout, quietWaitMs: config.quietWaitMs, text: config.text },
        ingest: { ...config.ingest, quietWaitMs: config.quietWaitMs, text: config.text },
      },
      emit,
    );
  }

  if (config.scenarios.includes('soak') && onParley) {
    const { sockets, minutes, rate } = config.soak;
    console.log(`\n## soak: ${sockets} sockets, ${rate} msg/s for ${minutes} minutes`);
    await withTarget('parley', 'soak', async (server, world) => {
      const result = await runSoak(server, world, { ...config.soak, text: config.text }, (line) =>
        console.log(`  ${line}`),
      );
      for (const sample of result.samples)
        emit({ scenario: 'soak-minute', target: 'parley', ...sample }, `minute ${sample.minute}`);
      const { samples: _samples, ...summary } = result;
      emit(
        { scenario: 'soak', target: 'parley', ...summary },
        `minute ${config.soak.fromMinute} → ${minutes}: RSS ${result.rssGrowthPct}%, heap ${result.heapGrowthPct}%, ` +
          `p99 ${result.p99From} → ${result.p99End} ms (worst ${result.p99Worst})`,
      );
    });
  }
}
