import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { config } from './config.js';
import { Corpus } from './corpus.js';
import { oneUserPerRoom, sendOp } from './store-world.js';
import { parleyServerDir } from './targets.js';

/**
 * `npm run bench:search-write`: what the search index costs the SQLite message writer, without sockets
 * or HTTP — batches of new messages (and edits) through the server's own store (`applyOps`, the writer
 * thread, its triggers), with the index off and on, alternating, in this one process. Reports the
 * process's CPU time per message (both threads), so a noisy shared machine moves it far less than it
 * moves a wall-clock rate. WRITE_MESSAGES per round (20,000), WRITE_BATCH (200: what group commit
 * gathers under load), WRITE_ROUNDS (3 off/on pairs), WRITE_TEXT=corpus for the search corpus's
 * messages instead of the ingest scenario's one sentence, WRITE_INDEX=on for the indexed rounds only (to
 * profile them).
 */
interface Store {
  db: { insertInto(table: string): { values(rows: unknown): { execute(): Promise<unknown> } } };
  applyOps(ops: unknown[]): Promise<{ numbers: number[]; special: Record<number, unknown> }>;
  close(): Promise<void>;
}
const { openSqliteStore } = (await import(pathToFileURL(`${parleyServerDir}/src/store/sqlite.ts`).href)) as {
  openSqliteStore(dir: string, search: { enabled: boolean; language: string }): Promise<Store>;
};

const messages = Number(process.env.WRITE_MESSAGES ?? 20_000);
const batch = Number(process.env.WRITE_BATCH ?? 200);
const rounds = Number(process.env.WRITE_ROUNDS ?? 3);
const corpus = process.env.WRITE_TEXT === 'corpus' ? new Corpus() : undefined;
const textOf = (i: number) => corpus?.message(i) ?? config.text;
const rooms = 100;

async function round(enabled: boolean): Promise<{ sendUs: number; editUs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-write-'));
  const store = await openSqliteStore(dir, { enabled, language: 'english' });
  try {
    const at = new Date().toISOString();
    await oneUserPerRoom(store.db, rooms, at);
    const send = (i: number) => sendOp(i, rooms, textOf(i), at);
    const edit = (i: number) => ({
      kind: 'edit',
      roomId: `r${i % rooms}`,
      seq: Math.floor(i / rooms) + 1,
      actorId: `u${i % rooms}`,
      text: `${textOf(i + 1)} (edited)`,
      at,
      mentions: [],
    });
    // A warm-up batch of each kind: the JIT and the statements, not the figure.
    const run = async (make: (i: number) => unknown, from: number, count: number) => {
      for (let i = from; i < from + count; i += batch) {
        const ops = [];
        for (let j = i; j < Math.min(from + count, i + batch); j++) ops.push(make(j));
        const answers = await store.applyOps(ops);
        if (!answers.numbers[1]) throw new Error(`refused: ${JSON.stringify(answers.special)}`);
      }
    };
    await run(send, 0, batch * 5);
    const t0 = process.cpuUsage();
    await run(send, batch * 5, messages);
    const t1 = process.cpuUsage(t0);
    const t2 = process.cpuUsage();
    await run(edit, 0, Math.min(messages, batch * 25));
    const t3 = process.cpuUsage(t2);
    return {
      sendUs: (t1.user + t1.system) / messages,
      editUs: (t3.user + t3.system) / Math.min(messages, batch * 25),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`# batches of ${batch}, ${messages} messages a round, load average ${loadavg()}`);
const results: Record<'off' | 'on', { sendUs: number; editUs: number }[]> = { off: [], on: [] };
for (let r = 0; r < rounds; r++) {
  for (const index of (process.env.WRITE_INDEX === 'on' ? ['on'] : ['off', 'on']) as ('off' | 'on')[]) {
    const result = await round(index === 'on');
    results[index].push(result);
    console.log(
      `index ${index}: ${result.sendUs.toFixed(1)} CPU-µs per new message, ${result.editUs.toFixed(1)} per edit`,
    );
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
for (const kind of ['sendUs', 'editUs'] as const) {
  const off = median(results.off.map((r) => r[kind]));
  const on = median(results.on.map((r) => r[kind]));
  console.log(
    `${kind === 'sendUs' ? 'new message' : 'edit'}: median off ${off.toFixed(1)} µs, on ${on.toFixed(1)} µs, on/off ${(on / off).toFixed(3)}`,
  );
}
console.log(`# load average at the end ${loadavg()}`);
