import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from './config.js';
import { benchServerEnv, seedTemplate, type Template } from './parley.js';
import { runIngest } from './scenarios/ingest.js';
import { scrapeBatches } from './scrape.js';
import { parleyServerDir, pinGenerator, startServer } from './targets.js';

/**
 * `npm run bench:ab`: SQLite ingest of two Parley servers alternated in one run, A B B A A B …, each
 * on a fresh copy of a data directory seeded by that server (their schemas may differ), so both
 * sides meet the same neighbours' load. AB_BASELINE is the other server's directory (a worktree of an
 * older commit, with node_modules beside it), or `untuned`: this server without BENCH_NODE_FLAGS and
 * BENCH_SERVER_ENV (what a runtime setting costs); AB_ROUNDS pairs (3). The ratios per pair, and their
 * median, are the figures to read on a shared machine: single runs vary by ±20% here.
 */
const baselines = (process.env.AB_BASELINE ?? '').split(',').filter(Boolean);
if (baselines.length === 0) throw new Error('AB_BASELINE=<another checkout>/server[,<another>] is required');
const rounds = Number(process.env.AB_ROUNDS || 3);
const sides = [
  { name: 'this', dir: parleyServerDir },
  ...baselines.map((dir, i) =>
    dir === 'untuned'
      ? { name: 'untuned', dir: parleyServerDir, untuned: true }
      : { name: baselines.length === 1 ? 'baseline' : `baseline${i + 1}`, dir },
  ),
];

console.log(`# ${pinGenerator()}`);
console.log(`# ${sides.map((side) => `${side.name} = ${side.dir}`).join(', ')}; ${rounds} rounds`);
const notes: string[] = [];
const templates = new Map<string, Template>();
for (const side of sides) {
  // Sides of one directory (this and `untuned`) share a seed.
  const seeded = sides.find((other) => other.dir === side.dir && templates.has(other.name));
  templates.set(
    side.name,
    seeded
      ? templates.get(seeded.name)!
      : await seedTemplate(config.users, config.fanout.rooms, config.ingest.pairs, notes, side.dir),
  );
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
/** CPU ticks of the server's main thread and of all its other threads (the SQLite writer's, GC helpers). */
function threadTicks(pid: number): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (Number(tid) === pid) main += ticks;
      else others += ticks;
    } catch {}
  }
  return { main, others };
}

interface Row {
  round: number;
  side: string;
  ackedPerSec: number;
  cpuUsPerMessage: number;
  p99: number;
  load: string;
  foreign: string;
  /** Share of the process's CPU over the ingest call (connects included) not on the main thread. */
  otherThreadsPct: number;
  /** The largest the SQLite WAL file grew during the round, sampled every 200 ms. */
  walMb: number;
  /** Messages per committed transaction over the round (warm-up included); 0 when not exported. */
  batch: number;
}
const walBytes = (dataDir: string) => {
  try {
    return statSync(join(dataDir, 'parley.sqlite-wal')).size;
  } catch {
    return 0;
  }
};
const rows: Row[] = [];
for (let round = 0; round < rounds; round++) {
  // A B (C), then (C) B A: no side always goes first.
  const order = round % 2 === 0 ? sides : [...sides].reverse();
  for (const side of order) {
    const template = templates.get(side.name)!;
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-ab-'));
    cpSync(template.dataDir, dataDir, { recursive: true });
    const server = await startServer('parley', {
      env: { DATA_DIR: dataDir, ...benchServerEnv },
      serverDir: side.dir,
      untuned: 'untuned' in side,
    });
    try {
      const before = load();
      const ticksBefore = threadTicks(server.pid);
      const batchesBefore = await scrapeBatches(server.url);
      let wal = walBytes(dataDir);
      const walTimer = setInterval(() => {
        wal = Math.max(wal, walBytes(dataDir));
      }, 200);
      const result = await runIngest(server, template.world, {
        ...config.ingest,
        quietWaitMs: config.quietWaitMs,
        text: config.text,
      });
      clearInterval(walTimer);
      const batchesAfter = await scrapeBatches(server.url);
      const ticksAfter = threadTicks(server.pid);
      const mainTicks = ticksAfter.main - ticksBefore.main;
      const otherTicks = ticksAfter.others - ticksBefore.others;
      const row: Row = {
        round,
        side: side.name,
        ackedPerSec: result.ackedPerSec,
        cpuUsPerMessage: result.serverCpuUsPerMessage,
        p99: result.p99,
        load: `${before} → ${load()}`,
        foreign: JSON.stringify(result.foreignPct),
        otherThreadsPct: Math.round((100 * otherTicks) / Math.max(1, mainTicks + otherTicks)),
        batch:
          batchesBefore && batchesAfter
            ? Math.round(
                (batchesAfter.messages - batchesBefore.messages) /
                  Math.max(1, batchesAfter.commits - batchesBefore.commits),
              )
            : 0,
        walMb: Math.round(Math.max(wal, walBytes(dataDir)) / 1e5) / 10,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

console.log(
  '\n| round | side | acked/s | CPU-µs/msg | p99 ms | other threads % | WAL MB | batch | load average (start → end) | foreignPct |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows)
  console.log(
    `| ${row.round + 1} | ${row.side} | ${row.ackedPerSec} | ${row.cpuUsPerMessage} | ${row.p99} | ${row.otherThreadsPct} | ${row.walMb} | ${row.batch} | ${row.load} | ${row.foreign} |`,
  );
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(', ');
for (const other of sides.slice(1)) {
  const acked: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const mine = rows.find((r) => r.round === round && r.side === 'this')!;
    const theirs = rows.find((r) => r.round === round && r.side === other.name)!;
    acked.push(mine.ackedPerSec / theirs.ackedPerSec);
    cpu.push(mine.cpuUsPerMessage / theirs.cpuUsPerMessage);
  }
  console.log(`\nthis / ${other.name}, acked/s per round: ${fmt(acked)}; median ${median(acked).toFixed(3)}`);
  console.log(`this / ${other.name}, CPU-µs/msg per round: ${fmt(cpu)}; median ${median(cpu).toFixed(3)}`);
}
for (const note of notes) console.log(`- ${note}`);
for (const template of templates.values()) rmSync(template.dataDir, { recursive: true, force: true });
process.exit(0);
