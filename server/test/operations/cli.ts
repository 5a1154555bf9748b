import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';

const serverDir = path.resolve(import.meta.dirname, '../..');
let built = false;

/** The command as installed: the server package's bin, built once per test process (plain node). */
function cliPath(): string {
  if (!built)
    execFileSync(process.execPath, [path.join(serverDir, 'scripts/build.mjs')], { stdio: 'ignore' });
  built = true;
  return path.join(serverDir, 'dist/cli.js');
}

/** Runs `parley ARGS` as an operator would, in its own process. */
export function parley(
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [cliPath(), ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', REDIS_URL: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}
