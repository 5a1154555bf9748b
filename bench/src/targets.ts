import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.js';

/** Which server a run measures. The same generator drives all three. */
export type TargetName = 'ws-relay' | 'sio-room' | 'parley' | 'parley-pg';

export const serverCore = 0;
/** How long a server may take to answer /healthz: on a loaded shared machine a start took over 60 s. */
const startTimeoutS = Number(process.env.BENCH_START_TIMEOUT_S || 180);
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
 * Parley runs as `npm start` runs it: the node flags and environment of its `exec env VAR=… node FLAGS…
 * server/dist/main.js` (V8's young generation and glibc's arenas held small). BENCH_NODE_FLAGS and
 * BENCH_SERVER_ENV ("VAR=value …"; '' for none) replace them, to measure what they cost or save beside
 * the baselines, which never get them.
 */
const startTuning = (() => {
  const manifest = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8'));
  const match = /exec env ((?:\w+=\S+ )*)node ((?:--\S+ )*)server\/dist\/main\.js$/.exec(
    manifest.scripts.start,
  );
  const words = (text: string | undefined) => (text ?? '').split(' ').filter(Boolean);
  const flags = words(process.env.BENCH_NODE_FLAGS ?? match?.[2]);
  const env = words(process.env.BENCH_SERVER_ENV ?? match?.[1]).map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
  return { flags, env: Object.fromEntries(env) };
})();

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
  /** The server's stderr so far, for reporting a failed start. */
  log(): string;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Write a V8 CPU profile into this directory when the server exits. */
  cpuProfDir?: string;
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
  if (parley) nodeArgs.push(...startTuning.flags);
  const serverEnv = parley ? startTuning.env : {};
  nodeArgs.push('--import', 'tsx', '--import', probe, entries[name]);
  const nice = process.env.BENCH_NICE ? ['nice', '-n', process.env.BENCH_NICE] : [];
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
  while (true) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited (${child.exitCode}) while starting:\n${stderr}`);
    try {
      const response = await fetch(`${url}${ready}`);
      if (response.ok) break;
    } catch {}
    if (Date.now() - started > startTimeoutS * 1000) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer ${ready} within ${startTimeoutS} s:\n${stderr}`);
    }
    await sleep(100);
  }
  return {
    name,
    url,
    pid: child.pid!,
    memory: () => requestMemory(child),
    heapSnapshot: async (file) => {
      await probeRequest(child, { type: 'heap-snapshot', file }, 'heap-snapshot', 300_000);
    },
    stop: () => stopChild(child),
    log: () => stderr,
  };
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
