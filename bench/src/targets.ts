import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { processCpuMicros } from './proc.js';
import { sleep } from './stats.js';

/** Which server a run measures. The same generator drives all three. */
export type TargetName = 'ws-relay' | 'sio-room' | 'parley' | 'parley-pg';

export const serverCore = 0;
/**
 * How a start is given up on. A fixed wall-clock limit measured the neighbours: a start costs 3.3–4.9
 * CPU-seconds here (tsx, either dialect), and with the bench at nice 10 among six people's builds (load
 * 18–37) a server got 4–20% of its core, down to a few per cent for minutes — issue 16's cluster run gave
 * up on its first PostgreSQL node at the old 180 s limit. So a start fails when the server has not used any CPU for
 * `BENCH_START_IDLE_S` (stuck waiting: its /readyz says on what), has burnt `BENCH_START_CPU_S` without
 * getting ready, or after `BENCH_START_TIMEOUT_S` of wall time in any case.
 */
const startLimits = {
  idleMs: Number(process.env.BENCH_START_IDLE_S || 60) * 1000,
  cpuUs: Number(process.env.BENCH_START_CPU_S || 120) * 1_000_000,
  wallMs: Number(process.env.BENCH_START_TIMEOUT_S || 900) * 1000,
};
export const generatorCore = 1;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The Parley server's directory. PARLEY_SERVER_DIR points the bench at a copy (say, with a change
 * being tried) to measure before/after without touching server/; keep the copy inside the repo so
 * its imports resolve to the same node_modules.
 */
export const parleyServerDir = process.env.PARLEY_SERVER_DIR ?? `${repoRoot}server`;
const probe = fileURLToPath(new URL('./probe.ts', import.meta.url));
const entries: Record<TargetName, string> = {
  'ws-relay': fileURLToPath(new URL('../baselines/ws-relay.ts', import.meta.url)),
  'sio-room': fileURLToPath(new URL('../baselines/sio-room.ts', import.meta.url)),
  parley: `${parleyServerDir}/src/main.ts`,
  'parley-pg': `${parleyServerDir}/src/main.ts`,
};

/**
 * BENCH_NODE_FLAGS and BENCH_SERVER_ENV ("VAR=value …"): node flags and environment for Parley's process
 * only (never the baselines'), to measure what a runtime setting costs or saves; `npm run bench:ab` with
 * AB_BASELINE=untuned runs the same server without them alongside.
 */
const tuning = {
  flags: (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  env: Object.fromEntries(
    (process.env.BENCH_SERVER_ENV ?? '')
      .split(' ')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  ),
};

export interface MemoryUsage {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface RunningServer {
  name: TargetName;
  url: string;
  pid: number;
  /** Heap and RSS after a full GC, read inside the server. */
  memory(): Promise<MemoryUsage>;
  /** Writes a heap snapshot (after a full GC) to `file`; resolves when it is written. */
  heapSnapshot(file: string): Promise<void>;
  stop(): Promise<void>;
  /** How long it took to become ready: wall time, and the CPU time it used meanwhile. */
  startedIn: { wallMs: number; cpuMs: number };
  /** The server's stderr so far, for reporting a failed start. */
  log(): string;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Write a V8 CPU profile into this directory when the server exits. */
  cpuProfDir?: string;
  /** Another Parley server directory than `parleyServerDir` (`npm run bench:ab`). */
  serverDir?: string;
  /** Parley without BENCH_NODE_FLAGS and BENCH_SERVER_ENV (`npm run bench:ab`'s `untuned` side). */
  untuned?: boolean;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts a server pinned to the server core, and waits until it is ready: Parley's /readyz (its
 * /healthz answers from the first moment, while everything else is still 503), a baseline's /healthz.
 */
export async function startServer(name: TargetName, options: StartOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const nodeArgs = ['--expose-gc'];
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  const parley = name === 'parley' || name === 'parley-pg';
  const tuned = parley && !options.untuned;
  if (tuned) nodeArgs.push(...tuning.flags);
  const serverEnv = tuned ? tuning.env : {};
  const entry = options.serverDir && parley ? `${options.serverDir}/src/main.ts` : entries[name];
  nodeArgs.push('--import', 'tsx', '--import', probe, entry);
  // `nice -n` adds to the niceness the server inherits from this process, which pinGenerator has set to
  // BENCH_NICE already: adding BENCH_NICE again put every server at 19 under BENCH_NICE=10.
  const niceBy = process.env.BENCH_NICE ? Number(process.env.BENCH_NICE) - getPriority() : 0;
  const nice = niceBy !== 0 ? ['nice', '-n', String(niceBy)] : [];
  const command = [...nice, 'taskset', '-c', String(serverCore), process.execPath, ...nodeArgs];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...serverEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const ready = parley ? '/readyz' : '/healthz';
  const started = Date.now();
  let cpuUs = 0;
  let lastCpuAt = started;
  let said = 'nothing (the port was not open)';
  while (true) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited (${child.exitCode}) while starting:\n${stderr}`);
    try {
      const response = await fetch(`${url}${ready}`);
      if (response.ok) break;
      said = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch {}
    const now = Date.now();
    try {
      const used = processCpuMicros(child.pid!);
      if (used > cpuUs) lastCpuAt = now;
      cpuUs = used;
    } catch {}
    const stuck =
      now - lastCpuAt > startLimits.idleMs
        ? `used no CPU for ${startLimits.idleMs / 1000} s`
        : cpuUs > startLimits.cpuUs
          ? `used ${startLimits.cpuUs / 1e6} CPU-seconds`
          : now - started > startLimits.wallMs
            ? `took ${startLimits.wallMs / 1000} s`
            : undefined;
    if (stuck) {
      child.kill('SIGKILL');
      throw new Error(
        `${name} was not ready after ${Math.round((now - started) / 1000)} s (${Math.round(cpuUs / 1e5) / 10} CPU-s): it ${stuck}; ` +
          `${ready} last said ${said}; load ${loadAverage()}:\n${stderr}`,
      );
    }
    await sleep(100);
  }
  const startedIn = { wallMs: Date.now() - started, cpuMs: Math.round(processCpuMicros(child.pid!) / 1000) };
  return {
    name,
    url,
    pid: child.pid!,
    memory: () => requestMemory(child),
    heapSnapshot: async (file) => {
      await probeRequest(child, { type: 'heap-snapshot', file }, 'heap-snapshot', 300_000);
    },
    startedIn,
    stop: () => stopChild(child),
    log: () => stderr,
  };
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}

function requestMemory(child: ChildProcess): Promise<MemoryUsage> {
  return probeRequest(child, { type: 'memory' }, 'memory', 30_000);
}

function probeRequest<T>(
  child: ChildProcess,
  request: object,
  replyType: string,
  timeoutMs: number,
): Promise<T> {
  const reply = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${replyType} reply`)), timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message.type !== replyType) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
  });
  child.send(request);
  return reply;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.send({ type: 'exit' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Pins this process (the generator) to its core and, with BENCH_NICE, renices it. nice is per
 * thread on Linux, so every existing thread is reniced; threads started later inherit it.
 */
export function pinGenerator(): string {
  execFileSync('taskset', ['-a', '-cp', String(generatorCore), String(process.pid)], { stdio: 'ignore' });
  const nice = process.env.BENCH_NICE;
  if (nice) {
    // Effective across sessions only through the session's autogroup (see launch.ts).
    try {
      writeFileSync('/proc/self/autogroup', nice);
    } catch {}
    const threads = readdirSync(`/proc/${process.pid}/task`);
    execFileSync('renice', ['-n', nice, '-p', ...threads], { stdio: 'ignore' });
  }
  return (
    `server pinned to core ${serverCore}, generator (pid ${process.pid}) pinned to core ${generatorCore} (taskset)` +
    (nice ? `, both at nice ${nice}` : '')
  );
}
