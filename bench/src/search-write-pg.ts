import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { config } from './config.js';
import { psqlOn } from './parley.js';
import { oneUserPerRoom, sendOp } from './store-world.js';
import { parleyServerDir } from './targets.js';

/**
 * `npm run bench:search-write-pg`: what the search index costs PostgreSQL's message batch, without
 * sockets or HTTP — batches of new messages (the ingest scenario's sentence) through the server's own
 * store (`applyOps`: the batch transaction), index off and on, alternating batch by batch in this one
 * process; with PARLEY_BASE_SERVER_DIR, another build's store alternates with this one's too (before
 * and after in the same conditions). Reports medians per message of the batch's wall time, the CPU of
 * the database's backends (/proc/PID/schedstat: the database must run on this machine) and of this
 * process. WRITE_BATCH (400), WRITE_ROUNDS (40 batches of each), BENCH_PG_URL's server.
 */
interface Store {
  db: {
    insertInto(table: string): { values(rows: unknown): { execute(): Promise<unknown> } };
    selectFrom(table: string): {
      select(column: string): {
        where(c: string, op: string, v: unknown): { execute(): Promise<{ pid: number }[]> };
      };
    };
  };
  applyOps(ops: unknown[]): Promise<{ numbers: number[]; special: Record<number, unknown> }>;
  close(): Promise<void>;
}
type Open = (url: string, search: { enabled: boolean; language: string }) => Promise<Store>;

const batch = Number(process.env.WRITE_BATCH ?? 400);
const rounds = Number(process.env.WRITE_ROUNDS ?? 40);
const rooms = 100;
const builds = [parleyServerDir, process.env.PARLEY_BASE_SERVER_DIR].filter((dir): dir is string => !!dir);
const url = new URL(config.postgresUrl);
const psql = (statement: string) => psqlOn(url, statement);

async function setup(open: Open, name: string, enabled: boolean) {
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const store = await open(target.toString(), { enabled, language: 'english' });
  const at = new Date().toISOString();
  await oneUserPerRoom(store.db, rooms, at);
  return { store, name, sent: 0, wall: [] as number[], database: [] as number[], node: [] as number[] };
}

/** CPU time (µs) of the database's backends serving `name`. */
async function backendsCpu(store: Store, name: string): Promise<number> {
  const rows = await store.db
    .selectFrom('pg_stat_activity')
    .select('pid')
    .where('datname', '=', name)
    .execute();
  let us = 0;
  for (const { pid } of rows) {
    try {
      us += Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
    } catch {}
  }
  return us;
}

const runs = [];
for (const [b, dir] of builds.entries()) {
  const { openPostgresStore } = (await import(pathToFileURL(`${dir}/src/store/postgres.ts`).href)) as {
    openPostgresStore: Open;
  };
  for (const index of ['off', 'on'])
    runs.push({
      dir,
      index,
      ...(await setup(openPostgresStore, `parley_write_${b}_${index}`, index === 'on')),
    });
}
const at = new Date().toISOString();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`# batches of ${batch}, ${rounds} of each kind, load average ${loadavg()}`);
// Three warm-up batches each (the JIT and the statements, not the figure), then alternating, the order
// reversed every round.
for (let round = 0; round < rounds + 3; round++) {
  for (const run of round % 2 ? [...runs].reverse() : runs) {
    const ops = [];
    for (let j = 0; j < batch; j++) {
      const i = run.sent++;
      ops.push(sendOp(i, rooms, config.text, at));
    }
    const database = await backendsCpu(run.store, run.name);
    const node = process.cpuUsage();
    const started = performance.now();
    const answers = await run.store.applyOps(ops);
    const wall = performance.now() - started;
    const nodeUsed = process.cpuUsage(node);
    const databaseUsed = (await backendsCpu(run.store, run.name)) - database;
    if (!answers.numbers[1]) throw new Error(`refused: ${JSON.stringify(answers.special)}`);
    if (round < 3) continue;
    run.wall.push((wall * 1000) / batch);
    run.database.push(databaseUsed / batch);
    run.node.push((nodeUsed.user + nodeUsed.system) / batch);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
for (const run of runs) {
  console.log(
    `${run.dir} index ${run.index}: wall ${median(run.wall).toFixed(1)} µs/msg, database CPU ${median(run.database).toFixed(1)} µs/msg, Node CPU ${median(run.node).toFixed(1)} µs/msg`,
  );
  await run.store.close();
  psql(`DROP DATABASE IF EXISTS ${run.name} WITH (FORCE)`);
}
console.log(`# load average at the end ${loadavg()}`);
