import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, defaultRoomId, register, request, tempDir } from './harness.js';

const run = promisify(execFile);
const serverDir = path.resolve(import.meta.dirname, '..');

/** Pids of a process's children, from /proc (tsx ran esbuild as one). */
function childrenOf(pid: number): number[] {
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  return tasks.flatMap((task) =>
    fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
}

describe('the compiled runtime', () => {
  let child: ReturnType<typeof spawn>;
  let url = '';

  beforeAll(async () => {
    await run(process.execPath, [path.join(serverDir, 'scripts/build.mjs')], { cwd: serverDir });
    child = spawn(process.execPath, [path.join(serverDir, 'dist/main.js')], {
      // Nothing inherited that could bring a loader back (NODE_OPTIONS=--import tsx, say).
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir(), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
  }, 60_000);
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('builds the server and protocol to JavaScript that plain node runs, with no TypeScript loader', async () => {
    const pid = child.pid ?? 0;
    const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(commandLine.slice(1)).toEqual([path.join(serverDir, 'dist/main.js')]);
    expect(childrenOf(pid)).toEqual([]);
    const bundle = fs.readdirSync(path.join(serverDir, 'dist')).filter((file) => file.endsWith('.js'));
    for (const file of bundle)
      expect(fs.readFileSync(path.join(serverDir, 'dist', file), 'utf8')).not.toMatch(/from "tsx|@parley\//);
    expect((await api(url, 'GET', '/readyz')).status).toBe(200);
  });

  it('stores and acknowledges messages through the shipped SQLite writer thread', async () => {
    const { token } = await register(url);
    const roomId = await defaultRoomId(url, token);
    const socket = await connect(url, token);
    const ack = await request(socket, 'message:send', { roomId, text: 'compiled', clientId: 'c1' });
    socket.close();
    expect(ack).toMatchObject({ ok: true, message: { text: 'compiled', seq: 1 } });
    const history = await api<{ messages: { text: string }[] }>(
      url,
      'GET',
      `/api/chat/rooms/${roomId}/messages`,
      { token },
    );
    expect(history.body.messages.map((message) => message.text)).toEqual(['compiled']);
  });
});
