/**
 * `npm run bench:sweep -w bench`: what one pass of the session sweep costs (server/src/realtime/sessions.ts).
 * Every SESSION_SWEEP_MS (500 ms) each node asks the database which of its sockets' sessions ended; this
 * measures that question for N open sessions on each dialect, through the server's own store and
 * function: N users with one session each, one of them revoked (the pass must name exactly that one).
 *
 * Per full pass (every open session checked): the node's CPU (process.cpuUsage: building, sending and
 * reading the queries) and, on PostgreSQL, the CPU of the server backends that answered (/proc/<pid>/stat
 * of the pool's connections), and the wall time; then the same for the pass in between (`recent`: the
 * sessions revoked or expired in the last minute, through indexes). `corePct` is the share of one core
 * the sweep takes at two passes a second, one full pass in `fullSweepEvery`. SWEEP_SOCKETS
 * (1000,5000,20000), SWEEP_PASSES (40), SWEEP_DIALECTS (sqlite,postgres),
 * BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/test; a schema of its own, dropped afterwards).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parleyServerDir } from './targets.js';

interface Db {
  insertInto(table: string): { values(rows: unknown[]): { execute(): Promise<unknown> } };
  updateTable(table: string): {
    set(values: unknown): {
      where(column: string, op: string, value: unknown): { execute(): Promise<unknown> };
    };
  };
}
interface Store {
  db: Db;
  dialect: string;
  close(): Promise<void>;
}
interface PgClient {
  connect(): Promise<void>;
  query<R>(text: string): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}

const counts = (process.env.SWEEP_SOCKETS ?? '1000,5000,20000').split(',').map(Number);
const passes = Number(process.env.SWEEP_PASSES ?? 40);
const dialects = (process.env.SWEEP_DIALECTS ?? 'sqlite,postgres').split(',');
const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ticksPerSec = 1000 / 500;

const server = (file: string) => import(pathToFileURL(`${parleyServerDir}/src/${file}`).href);
const require = createRequire(join(parleyServerDir, 'package.json'));
const { endedSessions, recentlyEndedSessions, fullSweepEvery } = (await server('realtime/sessions.ts')) as {
  endedSessions(store: Store, ids: string[], at: string): Promise<string[]>;
  recentlyEndedSessions(store: Store, since: string, at: string): Promise<string[]>;
  fullSweepEvery: number;
};
const { newId } = (await server('domain/ids.ts')) as { newId(): string };

/** CPU seconds a process has used (user + system), from /proc. */
function processCpuS(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function openStore(
  dialect: string,
  scope: string,
): Promise<{ store: Store; backends(): Promise<number[]>; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parley-sweep-'));
    const { openSqliteStore } = await server('store/sqlite.ts');
    const store = (await openSqliteStore(dir, { enabled: false, language: 'english' })) as Store;
    return {
      store,
      backends: async () => [],
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${scope}`);
  const { openPostgresStore } = await server('store/postgres.ts');
  const store = (await openPostgresStore(url.toString(), { enabled: false, language: 'english' })) as Store;
  const pg = require('pg') as { Client: new (url: string) => PgClient };
  const admin = new pg.Client(pgUrl);
  await admin.connect();
  return {
    store,
    async backends() {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'parley' AND datname = current_database()`,
      );
      return rows.map((row) => row.pid);
    },
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS "${scope}" CASCADE`);
      await admin.end();
    },
  };
}

async function fill(db: Db, count: number): Promise<string[]> {
  const at = new Date().toISOString();
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const ids: string[] = [];
  for (let from = 0; from < count; from += 500) {
    const users = [];
    const sessions = [];
    for (let i = from; i < Math.min(count, from + 500); i++) {
      const user = newId();
      const session = newId();
      const name = `sweep_${i}_${user.slice(-6)}`;
      users.push({ id: user, username: name, username_key: name, guest: 0, admin: 0, created_at: at });
      sessions.push({ id: session, user_id: user, created_at: at, expires_at: expires, revoked_at: null });
      ids.push(session);
    }
    await db.insertInto('users').values(users).execute();
    await db.insertInto('sessions').values(sessions).execute();
  }
  return ids;
}

interface Row {
  dialect: string;
  sessions: number;
  nodeCpuUsPerPass: number;
  dbCpuUsPerPass: number;
  wallMsPerPass: number;
  recentNodeCpuUs: number;
  recentDbCpuUs: number;
  corePct: number;
}

/** Node and database CPU (µs) per call of `pass`, over `passes` calls. */
async function cpuPerPass(pids: number[], pass: () => Promise<void>) {
  const dbBefore = pids.reduce((sum, pid) => sum + processCpuS(pid), 0);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < passes; i++) await pass();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const dbCpuS = pids.reduce((sum, pid) => sum + processCpuS(pid), 0) - dbBefore;
  return { node: (cpu.user + cpu.system) / passes, db: (dbCpuS * 1e6) / passes, wallMs: wallMs / passes };
}

async function measure(dialect: string, count: number): Promise<Row> {
  const scope = `pt_${Date.now().toString(36)}_sweep`;
  const { store, backends, drop } = await openStore(dialect, scope);
  try {
    const ids = await fill(store.db, count);
    const revoked = ids[Math.floor(count / 2)] as string;
    await store.db
      .updateTable('sessions')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', revoked)
      .execute();
    for (let i = 0; i < 5; i++) await endedSessions(store, ids, new Date().toISOString());
    const pids = await backends();
    const full = await cpuPerPass(pids, async () => {
      const ended = await endedSessions(store, ids, new Date().toISOString());
      if (ended.length !== 1 || ended[0] !== revoked)
        throw new Error(`the pass found ${ended.length} ended sessions, not 1`);
    });
    const recent = await cpuPerPass(pids, async () => {
      const at = new Date().toISOString();
      const since = new Date(Date.now() - 60_500).toISOString();
      const ended = await recentlyEndedSessions(store, since, at);
      if (!ended.includes(revoked)) throw new Error('the recent pass missed the revoked session');
    });
    // The sweep: one full pass, then fullSweepEvery - 1 recent ones, two passes a second.
    const perPassUs =
      (full.node + full.db + (fullSweepEvery - 1) * (recent.node + recent.db)) / fullSweepEvery;
    return {
      dialect,
      sessions: count,
      nodeCpuUsPerPass: Math.round(full.node),
      dbCpuUsPerPass: Math.round(full.db),
      wallMsPerPass: Number(full.wallMs.toFixed(2)),
      recentNodeCpuUs: Math.round(recent.node),
      recentDbCpuUs: Math.round(recent.db),
      corePct: Number(((perPassUs * ticksPerSec) / 1e4).toFixed(2)),
    };
  } finally {
    await store.close();
    await drop();
  }
}

const rows: Row[] = [];
for (const dialect of dialects) for (const count of counts) rows.push(await measure(dialect, count));
const keys = Object.keys(rows[0] ?? {}) as (keyof Row)[];
console.log(
  `${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`| ${keys.join(' | ')} |\n| ${keys.map(() => '---').join(' | ')} |`);
for (const row of rows) console.log(`| ${keys.map((key) => row[key]).join(' | ')} |`);
process.exit(0);
