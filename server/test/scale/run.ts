/**
 * `npm run test:scale`: the whole server suite again on PostgreSQL + Redis, multi-node tests included.
 * Services come from PARLEY_TEST_DATABASE_URL / PARLEY_TEST_REDIS_URL (defaults: the machine's own on
 * their standard ports). When they cannot be reached the run is skipped with the reason, except in CI
 * (CI=true), where that is a failure: CI must skip nothing.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';

const databaseUrl = process.env.PARLEY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.PARLEY_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
// Schemas and key prefixes the harness made (pt_<base-36 ms>_…) are dropped once this old.
const keepMs = 3_600_000;

function madeAt(name: string): number {
  const match = /^pt_([0-9a-z]+)_/.exec(name);
  return match?.[1] ? Number.parseInt(match[1], 36) : Number.NaN;
}
const stale = (name: string) => Date.now() - madeAt(name) > keepMs;

/** A fresh PostgreSQL cluster has no `test` database yet: make it. */
async function ensureDatabase(): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
}

async function sweepPostgres(): Promise<void> {
  await ensureDatabase();
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'pt\\_%'`,
    );
    for (const { name } of rows.filter((row) => stale(row.name))) {
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(name)} CASCADE`);
    }
  } finally {
    await client.end();
  }
}

async function sweepRedis(): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0 });
  redis.on('error', () => {});
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'pt_*', 'COUNT', 1000);
      cursor = next;
      const old = keys.filter(stale);
      if (old.length > 0) await redis.del(...old);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

try {
  await Promise.all([sweepPostgres(), sweepRedis()]);
} catch (error) {
  const reason = `PostgreSQL (${databaseUrl}) or Redis (${redisUrl}) is unreachable: ${(error as Error).message}`;
  if (process.env.CI === 'true') {
    console.error(`test:scale failed: ${reason}`);
    process.exit(1);
  }
  console.log(`test:scale skipped: ${reason}`);
  process.exit(0);
}

const vitest = spawn('npx', ['vitest', 'run', '--project', 'server'], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl },
});
vitest.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
