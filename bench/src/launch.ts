import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts run.ts (or profile.ts). With BENCH_NICE it starts it in a session of its own: the kernel
 * groups CPU time by session (autogroup), so nice only outranks other people's work on this shared
 * machine when the bench's own session group is reniced — and this way nothing else of ours is.
 */
// `run` is the whole bench; the others are scripts of their own (`bench:push` used to start run.ts too).
const scripts: Record<string, string> = {
  run: './run.ts',
  profile: './profile.ts',
  push: './push.ts',
  flood: './flood.ts',
  ab: './ab.ts',
};
const script = fileURLToPath(new URL(scripts[process.argv[2] ?? 'run'] ?? './run.ts', import.meta.url));
const args = [...process.execArgv, script];
const command = process.env.BENCH_NICE
  ? ['setsid', '-w', process.execPath, ...args]
  : [process.execPath, ...args];
const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
