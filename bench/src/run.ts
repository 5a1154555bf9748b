import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from './config.js';
import {
  benchServerEnv,
  dropBenchDatabases,
  parleyEntry,
  preparePostgres,
  seedTemplate,
  type Template,
} from './parley.js';
import { appendResults, machine, type Row, ratios, scaleTargets, targets } from './report.js';
import { runFanoutScenario } from './scenarios/fanout-scenario.js';
import { fillParleyHistory } from './parley-history.js';
import { runHistory } from './scenarios/history.js';
import { runIdle } from './scenarios/idle.js';
import { runIngest } from './scenarios/ingest.js';
import { runSearchQueries } from './scenarios/search.js';
import { runScaleScenarios } from './run-scale.js';
import { awaitQuiet } from './proc.js';
import {
  parleyServerDir,
  pinGenerator,
  type RunningServer,
  startServer,
  type TargetName,
} from './targets.js';
import { baselineWorld, type World } from './world.js';

/**
 * `npm run bench`: every scenario against the two baselines and Parley, the same generator for all,
 * server on one core and this process (the generator) on the other. Prints one JSON line and a
 * readable summary per scenario and target, and appends a dated section to results.md.
 */
const pinning = pinGenerator();
console.log(`# Parley bench — ${machine()}`);
console.log(`# ${pinning}`);

const rows: Row[] = [];
const loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const notes: string[] = [serverVersion()];

/** Which server code the Parley figures are for: its commit, and whether server/ had local changes. */
function serverVersion(): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', parleyServerDir, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  try {
    const dirty = git('status', '--porcelain', '--', '.') ? ' plus uncommitted changes' : '';
    return `Parley server at ${git('log', '-1', '--format=%h', '--', '.')}${dirty} (${parleyServerDir})`;
  } catch {
    return `Parley server from ${parleyServerDir} (not a git checkout)`;
  }
}
let template: Template | undefined;
// Databases of earlier runs that died before their end.
if (config.targets.includes('parley-pg')) dropBenchDatabases();

function emit(row: Row, summary: string) {
  rows.push(row);
  console.log(JSON.stringify(row));
  console.log(`  ${row.scenario} ${row.target}: ${summary}`);
}

function unavailable(scenario: string, target: string, reason: string) {
  emit({ scenario, target, unavailable: reason }, `not available — ${reason}`);
}

/** Starts a target with a fresh copy of its data, runs `body`, and always stops it. */
async function withTarget<T>(
  target: TargetName,
  scenario: string,
  body: (server: RunningServer, world: World, dataDir?: string) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T | undefined> {
  const { users, rooms } = { users: config.users, rooms: config.fanout.rooms };
  let dataDir: string | undefined;
  let server: RunningServer | undefined;
  try {
    let world: World;
    if (target === 'parley' || target === 'parley-pg') {
      if (!existsSync(parleyEntry)) {
        unavailable(scenario, target, `${parleyEntry} does not exist yet`);
        return undefined;
      }
      if (target === 'parley-pg') {
        const pg = await preparePostgres(config.ingest.pairs, env);
        if ('unavailable' in pg) {
          unavailable(scenario, target, pg.unavailable);
          return undefined;
        }
        server = pg.server;
        world = pg.world;
      } else {
        template ??= await seedTemplate(users, rooms, config.ingest.pairs, notes);
        dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-run-'));
        cpSync(template.dataDir, dataDir, { recursive: true });
        server = await startServer('parley', {
          env: { DATA_DIR: dataDir, ...benchServerEnv, ...env },
        });
        world = template.world;
      }
    } else {
      server = await startServer(target);
      world = baselineWorld(target, users, rooms, config.ingest.pairs);
    }
    return await body(server, world, dataDir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    unavailable(scenario, target, `failed: ${message.split('\n')[0]}`);
    if (server) console.error(server.log().slice(-2000));
    return undefined;
  } finally {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

const baselineTargets = config.targets.filter((t) => t === 'ws-relay' || t === 'sio-room') as TargetName[];
const parleyTargets = config.targets.includes('parley') ? (['parley'] as TargetName[]) : [];

if (config.scenarios.includes('fanout')) {
  console.log(`\n## fanout: ${config.fanout.clients} clients in ${config.fanout.rooms} rooms, open loop`);
  await runFanoutScenario([...baselineTargets, ...parleyTargets], withTarget, emit);
}

if (config.scenarios.includes('ingest')) {
  const { pairs, window } = config.ingest;
  console.log(
    `\n## ingest: ${pairs * 2} senders in ${pairs} DM rooms, ${window} in flight each, acked after commit`,
  );
  const targets = [...baselineTargets, ...parleyTargets];
  if (config.targets.includes('parley-pg')) targets.push('parley-pg');
  for (const target of targets) {
    await withTarget(target, 'ingest', async (server, world) => {
      const result = await runIngest(server, world, {
        ...config.ingest,
        quietWaitMs: config.quietWaitMs,
        text: config.text,
      });
      emit(
        { scenario: 'ingest', target, ...result },
        `${result.ackedPerSec} acked msg/s, ack p50 ${result.p50} ms p99 ${result.p99} ms, ` +
          `server ${result.serverCpuUsPerMessage} CPU-µs/msg (${result.serverCpuPct}%), generator ${result.generatorCpuPct}%, others' load ${result.foreignPct.join('/')}%` +
          (result.failed ? `, ${result.failed} refused: ${result.firstError}` : ''),
      );
    });
  }
}

if (config.scenarios.includes('changes')) {
  const { pairs, window } = config.ingest;
  console.log(
    `\n## changes: edits and reactions beside sends, ${pairs * 2} senders, ${window} in flight each, on one server`,
  );
  const targets: TargetName[] = [...parleyTargets];
  if (config.targets.includes('parley-pg')) targets.push('parley-pg');
  for (const target of targets) {
    await withTarget(target, 'changes', async (server, world) => {
      const byOp: Record<string, number> = {};
      for (const op of ['send', 'edit', 'react'] as const) {
        const result = await runIngest(server, world, {
          ...config.ingest,
          op,
          quietWaitMs: config.quietWaitMs,
          text: config.text,
        });
        byOp[op] = result.serverCpuUsPerMessage;
        emit(
          { scenario: 'changes', target, op, ...result },
          `${op}: ${result.ackedPerSec} acked/s, ack p50 ${result.p50} ms p99 ${result.p99} ms, ` +
            `server ${result.serverCpuUsPerMessage} CPU-µs/op, others' load ${result.foreignPct.join('/')}%` +
            (result.failed ? `, ${result.failed} refused: ${result.firstError}` : ''),
        );
      }
      const ratio = (op: string) => ((byOp[op] ?? 0) / (byOp.send || 1)).toFixed(2);
      console.log(
        `  ${target}: CPU per operation against a send: edit ${ratio('edit')}×, reaction ${ratio('react')}×`,
      );
    });
  }
}

// Issue 16's scenarios (storm, huge, cluster, soak), each only when named in BENCH_SCENARIOS.
await runScaleScenarios({ withTarget, emit, notes, parleyTargets });

for (const sockets of config.scenarios.includes('idle') ? config.idle.counts : []) {
  console.log(`\n## idle: ${sockets} authenticated idle sockets`);
  for (const target of [...baselineTargets, ...parleyTargets]) {
    await withTarget(target, 'idle', async (server, world) => {
      const quiet = await awaitQuiet(server.pid, config.quietWaitMs);
      const result = await runIdle(server, world, { ...config.idle, sockets });
      emit(
        { scenario: 'idle', target, ...result, foreignPctBefore: quiet.foreignPct },
        `${result.rssPerConnKb} KB RSS and ${result.heapPerConnKb} KB heap per connection ${result.settleSeconds} s after the last connect ` +
          `(RSS ${result.rssBeforeMb} → ${result.rssAfterMb} MB; ${result.rssPerConnKbConnected} KB per connection as it connected, ` +
          `at most ${result.rssPerConnKbPeak}); connecting took ${result.connectMs} ms ` +
          `(${result.connectsPerSec}/s, ${result.users} users, ${result.generatorProcesses} generator process(es)); ` +
          `all dropped at once: worst event-loop delay ${result.dropStallMs} ms` +
          (result.requested
            ? `; ${result.sockets} of the ${result.requested} asked for: the server's descriptor limit (ulimit -n)`
            : ''),
      );
    });
  }
}

if (config.scenarios.includes('history')) {
  const { messages } = config.history;
  console.log(`\n## history: pages of ${config.history.limit} from a room of ${messages} messages`);
  for (const target of [...baselineTargets, ...parleyTargets]) {
    await withTarget(target, 'history', async (server, world, dataDir) => {
      let roomId = 'history';
      let token: string | undefined;
      let url = server.url;
      let restarted: RunningServer | undefined;
      if (target === 'parley') {
        await server.stop();
        const fill = await fillParleyHistory(dataDir!, world, messages);
        notes.push(`history: ${fill.how}; ${messages} messages in ${fill.ms} ms`);
        console.log(`  history fill: ${fill.how}, ${messages} messages in ${fill.ms} ms`);
        restarted = await startServer('parley', { env: { DATA_DIR: dataDir!, ...benchServerEnv } });
        url = restarted.url;
        roomId = fill.roomId;
        token = fill.token;
      } else {
        await fetch(`${url}/bench/fill?room=${roomId}&count=${messages}`, { method: 'POST' });
      }
      try {
        const quiet = await awaitQuiet((restarted ?? server).pid, config.quietWaitMs);
        for (const depth of await runHistory(url, roomId, messages, token, config.history)) {
          emit(
            { scenario: 'history', target, messages, ...depth, foreignPctBefore: quiet.foreignPct },
            `${depth.depth} pages: p50 ${depth.p50} ms, p99 ${depth.p99} ms, max ${depth.max} ms (${depth.bytesPerPage} B/page)`,
          );
        }
      } finally {
        await restarted?.stop();
      }
    });
  }
}

// `search` runs both parts; `search-ingest` only the index's cost on ingest and `search-queries` only
// the queries on the filled database (whose fill takes many minutes).
const searchParts = {
  ingest: config.scenarios.includes('search') || config.scenarios.includes('search-ingest'),
  queries: config.scenarios.includes('search') || config.scenarios.includes('search-queries'),
};
const searchTargets = (['parley', 'parley-pg'] as const).filter((t) => config.targets.includes(t));
if (searchParts.ingest) {
  const rounds = config.search.ingestRounds;
  console.log(
    `\n## search: the cost of the index on ingest (SEARCH_INDEX off / on, alternating, ${rounds} rounds)`,
  );
  for (const target of searchTargets) {
    const runs: { index: string; acked: number; cpu: number }[] = [];
    for (const index of Array.from({ length: rounds }, () => ['off', 'on']).flat()) {
      await withTarget(
        target,
        'search-ingest',
        async (server, world) => {
          const result = await runIngest(server, world, {
            ...config.ingest,
            quietWaitMs: config.quietWaitMs,
            text: config.text,
          });
          runs.push({ index, acked: result.ackedPerSec, cpu: result.serverCpuUsPerMessage });
          emit(
            { scenario: 'search-ingest', target, index, ...result },
            `index ${index}: ${result.ackedPerSec} acked msg/s, ${result.serverCpuUsPerMessage} CPU-µs/msg, others' load ${result.foreignPct.join('/')}%`,
          );
        },
        { SEARCH_INDEX: index },
      );
    }
    const mean = (index: string, key: 'acked' | 'cpu') => {
      const picked = runs.filter((run) => run.index === index).map((run) => run[key]);
      return picked.reduce((a, b) => a + b, 0) / picked.length;
    };
    const indexedOverUnindexed = Math.round((mean('on', 'acked') / mean('off', 'acked')) * 1000) / 1000;
    const cpuPerMessageRatio = Math.round((mean('on', 'cpu') / mean('off', 'cpu')) * 1000) / 1000;
    emit(
      {
        scenario: 'search-ingest-ratio',
        target,
        acked: runs.map((run) => `${run.index}:${run.acked}`).join(' '),
        indexedOverUnindexed,
        cpuPerMessageRatio,
      },
      `indexed ingest = ${indexedOverUnindexed} × unindexed (target ≥ 0.85); CPU per message × ${cpuPerMessageRatio}`,
    );
  }
}
if (searchParts.queries) {
  const { messages, rooms } = config.search;
  console.log(`\n## search: ${messages} messages in ${rooms} rooms, newest first, one query at a time`);
  for (const target of searchTargets) {
    try {
      const { results } = await runSearchQueries(
        target,
        { ...config.search, quietWaitMs: config.quietWaitMs, postgresUrl: config.postgresUrl },
        (line) => {
          console.log(`  ${line}`);
          if (line.startsWith('search fill')) notes.push(line);
        },
      );
      for (const result of results) {
        emit(
          { scenario: 'search', target, messages, rooms, ...result },
          `${result.kind}: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms, ${result.meanResults} results, ${result.serverCpuUsPerQuery} server CPU-µs/query`,
        );
      }
    } catch (error) {
      unavailable('search', target, `failed: ${String(error).split('\n')[0]}`);
    }
  }
}

notes.push(
  `load average (shared machine) at start ${loadAtStart}, at end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
if (template) rmSync(template.dataDir, { recursive: true, force: true });
dropBenchDatabases();
console.log('\n## Parley / baseline');
for (const line of ratios(rows)) console.log(`  ${line}`);
console.log('\n## Targets (issue 5)');
for (const line of targets(rows)) console.log(`  ${line}`);
for (const line of scaleTargets(rows)) console.log(`  ${line}`);
if (process.env.BENCH_WRITE !== '0') console.log(`\nwrote ${appendResults(rows, notes, pinning)}`);
