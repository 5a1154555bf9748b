import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import { migrate } from './migrations/index.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';
import { WriteHealth } from './write-health.js';
import { isUnwritable } from './sqlite.errors.js';
import { WriterThread } from './sqlite.writer.js';
import { sqliteSearch } from './search/sqlite.js';

/** Free space a node that ran out of disk waits for before it says it is ready again. */
const recoveryFreeBytes = 1024 * 1024;

/**
 * The embedded default: one SQLite file in WAL mode, with two connections. Messages are appended by a
 * writer thread (sqlite.writer.mjs) with `synchronous = FULL`: every commit reaches the disk before the
 * send is acknowledged, so an acked message survives a crash or a power cut, and the fsync waits in that
 * thread instead of stalling deliveries; group commit pays it once per batch. Everything else (reads,
 * memberships, sessions) runs on this thread's connection through Kysely.
 */
export async function openSqliteStore(
  dataDir: string,
  search = { enabled: true, language: 'english' },
  options: { idleCheckpointMs?: number } = {},
): Promise<Store> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'parley.sqlite');
  const raw = new SQLite(file);
  const health = new WriteHealth(isUnwritable);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // Checkpoints are the writer thread's (sqlite.writer.mjs): here one would copy up to the whole WAL
  // into the database file, and fsync it, on the event loop, in whichever commit crossed the threshold.
  raw.pragma('wal_autocheckpoint = 0');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(raw, health) }),
  });
  await migrate(db as Kysely<unknown>);
  const searchIndex = sqliteSearch(db, raw, search);

  const writer = await WriterThread.start(file, { search: search.enabled, ...options });
  return {
    dialect: 'sqlite',
    db,
    applyOps: (ops) =>
      writer.apply(ops).then(
        (answers) => {
          health.succeeded();
          return answers;
        },
        (error: unknown) => health.translate(error),
      ),
    search: searchIndex,
    async ping() {
      if (!writer.alive) throw new Error('the SQLite writer thread is not running');
      await db.connection().execute(async () => raw.prepare('SELECT 1').get());
      // After a write failed for want of disk, ready again only once there is room (a margin: the
      // failed transaction's own frames leave space for a small write) and a write goes through.
      if (health.failure) {
        const { bavail, bsize } = fs.statfsSync(dataDir);
        if (bavail * bsize < recoveryFreeBytes)
          health.translate(Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' }));
        await db.connection().execute(async () => {
          try {
            raw
              .prepare(`UPDATE kysely_migration_lock SET is_locked = is_locked WHERE id = 'migration_lock'`)
              .run();
          } catch (error) {
            health.translate(error);
          }
        });
        health.succeeded();
      }
    },
    writeFailure: () => health.failure,
    async close() {
      await writer.close();
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query afresh, which the bench measured at ~21 µs of a 25 µs lookup. Statements
 * are reused by their SQL text instead (Kysely runs one query at a time on this connection and never
 * iterates, so a statement is never in use twice). Bounded: a flood of distinct texts starts over.
 */
function withStatementCache(raw: SQLite.Database, health: WriteHealth): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= 500) statements.clear();
        try {
          statement = guarded(withFastRows(raw.prepare(sql)), health);
        } catch (error) {
          health.translate(error);
        }
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** A full or read-only disk answers `unavailable` (503) on this connection too: logins, joins, reads. */
function guarded(statement: SqliteStatement, health: WriteHealth): SqliteStatement {
  return {
    reader: statement.reader,
    all(parameters) {
      try {
        return statement.all(parameters);
      } catch (error) {
        return health.translate(error);
      }
    },
    run(parameters) {
      try {
        return statement.run(parameters);
      } catch (error) {
        return health.translate(error);
      }
    },
    *iterate(parameters) {
      try {
        yield* statement.iterate(parameters);
      } catch (error) {
        health.translate(error);
      }
    },
  };
}

/**
 * better-sqlite3 builds each result row property by property through V8's API; for a page of 50
 * messages that was most of the query's time (166 µs of objects against 68 µs of plain arrays,
 * measured on a million-message room). A reading statement therefore returns arrays, and one
 * function per statement, made from its column list, turns each into an object literal of a single
 * shape: the same keys in the same order, a later duplicate name winning as it does in better-sqlite3.
 * Column names are JSON-quoted into the source; a column named __proto__ keeps the slow path.
 */
function withFastRows(statement: SQLite.Statement): SqliteStatement {
  if (!statement.reader) return statement;
  const rowMaker = () => {
    const names = statement.columns().map((column) => column.name);
    if (names.includes('__proto__')) return undefined;
    const make = new Function(
      'r',
      `return {${names.map((name, i) => `${JSON.stringify(name)}: r[${i}]`).join(', ')}};`,
    ) as (values: unknown[]) => Record<string, unknown>;
    return { width: names.length, make };
  };
  let maker = rowMaker();
  if (!maker) return statement;
  statement.raw(true);
  // A schema change after preparing (none happens after the migrations, but another process could
  // run one) makes SQLite re-prepare the statement with other columns: build the maker again.
  const toRow = (values: unknown[]) => {
    if (values.length !== maker?.width) maker = rowMaker() ?? maker;
    return maker?.make(values) ?? {};
  };
  return {
    reader: true,
    all: (parameters) => (statement.all(parameters) as unknown[][]).map(toRow),
    run: (parameters) => statement.run(parameters),
    *iterate(parameters) {
      for (const values of statement.iterate(parameters)) yield toRow(values as unknown[]);
    },
  };
}
