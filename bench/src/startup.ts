/**
 * `npm run bench:startup -w bench`: how long a Parley node takes from its process starting to
 * answering /readyz 200, and how much memory the whole process tree holds once idle. Each mode runs
 * in turn (alternating, so a neighbour's load spreads over all of them) on a fresh DATA_DIR, which
 * includes the migrations, the default rooms and a generated secret.
 *
 *   tsx       node --import tsx server/src/main.ts (what `npm start` ran before the compiled runtime)
 *   compiled  node server/dist/main.js (what `npm start`
 *             and the Dockerfile run; built first if missing)
 *   untuned   node --enable-source-maps server/dist/main.js (what they ran before 2026-12-02: source
 *             maps loaded)
 *
 * RSS is read 5 s after ready in every run, and once more after a minute of idleness in one extra start
 * of each mode (all modes idle side by side): by then V8's memory reducer has given back the young
 * generation that start-up grew. STARTUP_RUNS (5), STARTUP_LONG_IDLE_S (60), STARTUP_MODES (tsx,compiled; untuned
 * on request).
 *
 *   baseline  node --enable-source-maps $STARTUP_BASELINE (another build's dist/main.js, say one of
 *             an older commit built in a directory inside the repository so that it finds
 *             node_modules): run alternately with the others, so a before/after ratio is measured
 *             under the same load. Added to the modes when STARTUP_BASELINE is set.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mb, processRss } from './proc.js';
import { sleep } from './stats.js';
import { freePort } from './targets.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const runs = Number(process.env.STARTUP_RUNS ?? 5);
const idleMs = 5_000;
const longIdleMs = Number(process.env.STARTUP_LONG_IDLE_S ?? 60) * 1000;
const dist = join(repoRoot, 'server/dist/main.js');
/** Each mode's node arguments and environment. `compiled` is kept in step with `npm start`. */
const modes: Record<string, { args: string[]; env?: Record<string, string> }> = {
  tsx: { args: ['--import', 'tsx', join(repoRoot, 'server/src/main.ts')] },
  compiled: { args: [dist] },
  untuned: { args: ['--enable-source-maps', dist] },
};
const baseline = process.env.STARTUP_BASELINE;
if (baseline) modes.baseline = { args: ['--enable-source-maps', baseline] };
const chosen = (process.env.STARTUP_MODES ?? `${baseline ? 'baseline,' : ''}tsx,compiled`)
  .split(',')
  .filter((mode) => mode in modes);

/** The pid and every descendant's, from /proc: tsx runs esbuild as a child process. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]!) ?? []));
  return all;
}

interface Sample {
  readyMs: number;
  processes: number;
  treeRssMb: number;
  mainRssMb: number;
}

function rssOf(root: number): Pick<Sample, 'processes' | 'treeRssMb' | 'mainRssMb'> {
  const pids = tree(root);
  const rss = pids.map((pid) => {
    try {
      return processRss(pid);
    } catch {
      return 0;
    }
  });
  return {
    processes: pids.length,
    treeRssMb: mb(rss.reduce((sum, bytes) => sum + bytes, 0)),
    mainRssMb: mb(rss[0] ?? 0),
  };
}

/** Starts a node in `mode`, waits for /readyz 200, then `idle` ms; reports, and stops it. */
async function measure(mode: string, idle: number): Promise<Sample> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-startup-'));
  const port = await freePort();
  const started = performance.now();
  const { args, env } = modes[mode]!;
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    let readyMs = Number.NaN;
    while (Number.isNaN(readyMs)) {
      if (child.exitCode !== null) throw new Error(`${mode} exited with ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) readyMs = performance.now() - started;
      } catch {
        // Not listening yet.
      }
      if (performance.now() - started > 60_000) throw new Error(`${mode} not ready within 60 s`);
      if (Number.isNaN(readyMs)) await sleep(10);
    }
    await sleep(idle);
    return { readyMs: Math.round(readyMs), ...rssOf(child.pid!) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

if (
  chosen.some((mode) => mode === 'compiled' || mode === 'untuned') &&
  !existsSync(join(repoRoot, 'server/dist/main.js'))
) {
  execFileSync('npm', ['run', 'build:server'], { cwd: repoRoot, stdio: 'inherit' });
}
const samples = new Map<string, Sample[]>(chosen.map((mode) => [mode, []]));
// One unmeasured start of each first: the page cache and the compile cache are warm after it.
for (const mode of chosen) await measure(mode, 0);
for (let i = 0; i < runs; i++)
  for (const mode of chosen) samples.get(mode)?.push(await measure(mode, idleMs));
const longIdle = new Map(
  await Promise.all(chosen.map(async (mode) => [mode, await measure(mode, longIdleMs)] as const)),
);

const rows = chosen.map((mode) => {
  const list = samples.get(mode) ?? [];
  return {
    mode,
    readyMs: median(list.map((s) => s.readyMs)),
    readyMinMs: Math.min(...list.map((s) => s.readyMs)),
    processes: median(list.map((s) => s.processes)),
    treeRssMb: median(list.map((s) => s.treeRssMb)),
    mainRssMb: median(list.map((s) => s.mainRssMb)),
    longIdleTreeRssMb: longIdle.get(mode)?.treeRssMb ?? Number.NaN,
  };
});
console.log(`\n### startup (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n`);
console.log(
  `Machine: ${cpus().length} cores, Node ${process.version}, load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(
      ' / ',
    )} at the end (shared with other people's work). Median of ${runs} starts per mode on a fresh DATA_DIR after one unmeasured start; RSS ${idleMs / 1000} s after ready, and ${longIdleMs / 1000} s after ready in one more start of each mode.\n`,
);
console.log(
  `| mode | readyMs (median) | readyMs (min) | processes | tree RSS at ${idleMs / 1000} s (MB) | server process RSS at ${idleMs / 1000} s (MB) | tree RSS at ${longIdleMs / 1000} s (MB) |`,
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows)
  console.log(
    `| ${row.mode} | ${row.readyMs} | ${row.readyMinMs} | ${row.processes} | ${row.treeRssMb} | ${row.mainRssMb} | ${row.longIdleTreeRssMb} |`,
  );
const [first, second] = rows;
if (first && second) {
  console.log(
    `\n${second.mode}/${first.mode}: ready time ${(second.readyMs / first.readyMs).toFixed(2)}, tree RSS at ${idleMs / 1000} s ${(second.treeRssMb / first.treeRssMb).toFixed(2)}, at ${longIdleMs / 1000} s ${(second.longIdleTreeRssMb / first.longIdleTreeRssMb).toFixed(2)}`,
  );
}
