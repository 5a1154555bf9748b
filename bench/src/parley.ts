import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from './config.js';
import { seedParley } from './seed.js';
import { parleyServerDir, type RunningServer, startServer } from './targets.js';
import type { World } from './world.js';

export const parleyEntry = `${parleyServerDir}/src/main.ts`;

/**
 * Limits every bench server runs with: the generator is one address standing for thousands of clients
 * (signups, sign-ins in flight), and its clients reuse tokens as tabs do, so a user may hold many sockets.
 */
export const benchServerEnv = {
  // The per-user buckets (issue 13: 30 sends per 10 s by default) would cap every sender of the
  // throughput scenarios at 3 a second; `bench:flood` measures them with the defaults instead.
  RATE_SEND: '1000000/1s',
  RATE_EDIT: '1000000/1s',
  RATE_REACTION: '1000000/1s',
  RATE_TYPING: '1000000/1s',
  SIGNUP_LIMIT_PER_IP: '1000000',
  MAX_PENDING_SOCKETS_PER_IP: '1000000',
  MAX_SOCKETS_PER_USER: '1000',
};

export interface Template {
  dataDir: string;
  world: World;
}

/**
 * Registers the users and makes the rooms once per run, in a data directory that every Parley
 * scenario then copies: argon2 makes registration the slowest step, and the copy keeps each
 * scenario's server fresh. The JWT secret lives in the directory, so the tokens stay valid.
 */
export async function seedTemplate(
  users: number,
  rooms: number,
  pairs: number,
  notes: string[],
  serverDir?: string,
): Promise<Template> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-template-'));
  // The seed registers every user from 127.0.0.1, far past the default signup limit.
  const server = await startServer('parley', { env: { DATA_DIR: dataDir, ...benchServerEnv }, serverDir });
  try {
    const started = Date.now();
    const { world, timings } = await seedParley(server.url, 'parley', { users, rooms, dms: pairs });
    const note =
      `seed (SQLite): registered ${timings.users} users in ${timings.registerMs} ms (16 in parallel, ` +
      `server on one core), ${rooms} rooms + joins in ${timings.roomsMs} ms, ${pairs} DMs in ${timings.dmsMs} ms; ` +
      `total ${Date.now() - started} ms`;
    console.log(`  ${note}`);
    notes.push(note);
    return { dataDir, world };
  } finally {
    await server.stop();
  }
}

/** psql on the bench's PostgreSQL server, in `db`. */
export function psqlOn(url: URL, sql: string, db = 'postgres'): string {
  return execFileSync(
    'psql',
    ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username, '-d', db, '-tAc', sql],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/**
 * Drops this run's own databases (`parley_bench_<pid>` and its `_search`), and those of runs whose
 * process is gone (a run killed before its end). Nothing when BENCH_PG_URL names the database.
 */
export function dropBenchDatabases(): void {
  if (!config.ownPostgres) return;
  const url = new URL(config.postgresUrl);
  try {
    const names = psqlOn(
      url,
      "SELECT datname FROM pg_database WHERE datname ~ '^parley_bench_[0-9]+(_search)?$'",
    )
      .split('\n')
      .filter(Boolean);
    for (const name of names) {
      const pid = Number(/^parley_bench_(\d+)/.exec(name)?.[1]);
      let alive = pid !== process.pid;
      if (alive) {
        try {
          process.kill(pid, 0);
        } catch {
          alive = false;
        }
      }
      if (!alive) psqlOn(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } catch {
    // PostgreSQL away: nothing to drop.
  }
}

/**
 * A fresh database for the PostgreSQL run: the run's own (`parley_bench_<pid>` unless BENCH_PG_URL
 * names one), dropped and recreated each time, so neither the shared `test` database nor another
 * person's bench run is touched.
 */
export async function preparePostgres(
  pairs: number,
  extraEnv: Record<string, string> = {},
  rooms = 1,
): Promise<{ server: RunningServer; world: World; env: Record<string, string> } | { unavailable: string }> {
  const url = new URL(config.postgresUrl);
  const database = url.pathname.slice(1);
  const psql = (sql: string, db = 'postgres') => psqlOn(url, sql, db);
  try {
    psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    psql(`CREATE DATABASE ${database}`);
  } catch (error) {
    return { unavailable: `PostgreSQL not reachable: ${String(error).split('\n')[0]}` };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-pg-'));
  let server: RunningServer;
  let env: Record<string, string>;
  try {
    // With PostgreSQL the secret must be configured (every node shares it); any value does here.
    env = {
      DATA_DIR: dataDir,
      DATABASE_URL: config.postgresUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ...benchServerEnv,
      ...extraEnv,
    };
    server = await startServer('parley-pg', { env });
  } catch (error) {
    // The server's own words, e.g. "this build has no PostgreSQL store yet".
    const reason = String(error)
      .split('\n')
      .find((line) => /Error\b/.test(line) && !line.includes('exited'));
    return { unavailable: `the server does not start on PostgreSQL: ${reason?.trim() ?? String(error)}` };
  }
  const tables = Number(
    psql(
      "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
      database,
    ).trim(),
  );
  if (tables === 0) {
    await server.stop();
    return {
      unavailable: 'the server ignored DATABASE_URL (no tables in PostgreSQL): no PostgreSQL dialect yet',
    };
  }
  console.log(
    `  PostgreSQL node ready in ${server.startedIn.wallMs} ms (${server.startedIn.cpuMs} ms of its CPU), load ${loadAverage()}`,
  );
  const started = Date.now();
  let world: World;
  try {
    ({ world } = await seedParley(server.url, 'parley-pg', { users: pairs * 2, rooms, dms: pairs }));
  } catch (error) {
    await server.stop();
    return { unavailable: `seeding PostgreSQL failed: ${String(error).split('\n')[0]}` };
  }
  console.log(
    `  seed (PostgreSQL): ${pairs * 2} users, ${rooms} rooms, ${pairs} DMs in ${Date.now() - started} ms`,
  );
  return { server, world, env };
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
