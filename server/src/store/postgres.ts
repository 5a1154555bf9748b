import { randomUUID } from 'node:crypto';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { isUniqueViolation } from './errors.js';
import { migrate } from './migrations/index.js';
import { applyBatch } from './postgres.ops.js';
import { isPgUnwritable, translatePgError } from './postgres.errors.js';
import type { Database } from './schema.js';
import { PostgresSearch } from './search/postgres.js';
import type { BatchAnswers, MessageOp, Store } from './types.js';
import { WriteHealth } from './write-health.js';

/**
 * PostgreSQL for several nodes. Pooled connections; every error passes `translatePgError`, so an
 * outage answers 503 / `{code: "unavailable"}` instead of a 500.
 */
export async function openPostgresStore(
  databaseUrl: string,
  searchOptions = { enabled: true, language: 'english' },
): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    // Bounded waits: while the database is down a send is refused within seconds, not held open.
    connectionTimeoutMillis: 3_000,
    // A connection cut by a partition would otherwise hang its query (and every send queued behind it)
    // for the TCP retransmission time. A send that times out is refused, not acked; a retry with its
    // clientId finds it if it did commit.
    query_timeout: 10_000,
    keepAlive: true,
    idleTimeoutMillis: 30_000,
    application_name: 'parley',
    // bigint (seq, rev, counts) as a number, not pg's default string: every such value is bounded to
    // Number.MAX_SAFE_INTEGER (the protocol's cursors), which a double holds exactly.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  // An idle connection dropped by the server (restart, failover) is reported here; without a listener
  // pg would crash the process. The next query gets a fresh connection or a clear error.
  pool.on('error', () => {});
  // The pool listens only to idle connections. One checked out (a transaction between two statements)
  // whose server session is ended (pg_terminate_backend at a failover, a restart) emits 'error' with
  // nobody listening, which killed the process. Its next statement fails with a connection error
  // (503 `unavailable`) instead, and the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => {}));

  const health = new WriteHealth(isPgUnwritable);
  const translate = (error: unknown): never => {
    if (isPgUnwritable(error)) health.translate(error);
    return translatePgError(error);
  };
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        connect: () => pool.connect().catch(translatePgError),
        end: () => pool.end(),
      },
      async onCreateConnection(connection) {
        const execute = connection.executeQuery.bind(connection);
        connection.executeQuery = <R>(query: CompiledQuery) => execute<R>(query).catch(translate);
      },
    }),
  });
  const search = new PostgresSearch(db, searchOptions);
  try {
    await migrateOnce(pool, db, search);
  } catch (error) {
    await db.destroy();
    throw error;
  }

  return {
    dialect: 'postgres',
    db,
    search,
    async applyOps(ops: MessageOp[]): Promise<BatchAnswers> {
      let answers: BatchAnswers;
      try {
        answers = await applyBatch(db, ops, search);
      } catch (error) {
        // Two nodes stored the same (author, clientId) at the same moment: the later transaction is
        // refused by the unique index and rolled back whole (its seq bumps too). Once more, in a new
        // transaction, it sees the committed row and answers with it as a duplicate.
        if (!isUniqueViolation(error)) throw error;
        answers = await applyBatch(db, ops, search);
      }
      health.succeeded();
      return answers;
    },
    async ping() {
      // A read-only server (a standby after a failover, default_transaction_read_only) says so without
      // a write being tried: not ready before the first send is refused.
      const { rows } = await sql<{
        read_only: string;
      }>`SELECT current_setting('transaction_read_only') AS read_only`.execute(db);
      if (rows[0]?.read_only === 'on') {
        health.translate(Object.assign(new Error('the database is read-only'), { code: '25006' }));
      }
      // After a write failed for want of disk, ready again only once a write that needs new space goes
      // through: an update in place fits in a page's free room and would pass while every message,
      // which extends its table, is still refused (readiness flapped so on a full disk).
      if (health.failure) {
        await db.connection().execute(async (connection) => {
          const table = sql.id(`parley_space_probe_${randomUUID().replaceAll('-', '')}`);
          await sql`BEGIN`.execute(connection);
          try {
            await sql`CREATE TABLE ${table} AS SELECT md5(i::text) || md5(random()::text) AS probe
              FROM generate_series(1, 256) AS i`.execute(connection);
          } finally {
            await sql`ROLLBACK`.execute(connection);
          }
        });
        health.succeeded();
      }
    },
    writeFailure: () => health.failure,
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Nodes starting together would race to create the same tables; a session advisory lock lets one
 * migrate while the others wait, then find nothing left to do. The schema is the first one on the
 * connection's search_path (set with `?options=-c search_path=name`), created if it does not exist,
 * so several Parleys can share one database.
 */
async function migrateOnce(pool: pg.Pool, db: Kysely<Database>, search: PostgresSearch): Promise<void> {
  const client = await pool.connect().catch(translatePgError);
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('parley:migrations'))`);
    try {
      const schema = await currentSchema(client);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
      await migrate(db as Kysely<unknown>, { schema });
      await search.prepare(db);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('parley:migrations'))`);
    }
  } finally {
    client.release();
  }
}

async function currentSchema(client: pg.PoolClient): Promise<string> {
  const { rows } = await client.query<{ schema: string | null; path: string; user: string }>(
    `SELECT current_schema() AS schema, current_setting('search_path') AS path, current_user AS user`,
  );
  const { schema, path, user } = rows[0] ?? { schema: null, path: '', user: '' };
  if (schema) return schema;
  // current_schema() is null when no schema on the path exists yet: take the first one named.
  const first = (path.split(',')[0] ?? '').trim().replace(/^"(.*)"$/, '$1');
  if (!first) throw new Error('DATABASE_URL: the search_path names no schema');
  return first === '$user' ? user : first;
}
