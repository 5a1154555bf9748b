import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Corpus, prng } from '../corpus.js';
import { psqlOn } from '../parley.js';
import { awaitQuiet, processCpuMicros } from '../proc.js';
import { Histogram, round } from '../stats.js';
import { parleyServerDir, type RunningServer, startServer } from '../targets.js';

/** The slice of the server's store the fill uses; imported at run time so bench/ typechecks alone. */
interface FillStore {
  db: { insertInto(table: string): { values(rows: unknown[]): { execute(): Promise<unknown> } } };
  applyOps(ops: unknown[]): Promise<{ numbers: number[]; special: Record<number, unknown> }>;
  close(): Promise<void>;
}

export interface SearchOptions {
  messages: number;
  rooms: number;
  /** The searcher is a member of one room in this many. */
  memberEvery: number;
  queries: number;
  warmup: number;
  quietWaitMs: number;
  postgresUrl: string;
}

export interface QueryResult {
  kind: 'common word' | 'rare word' | 'phrase';
  queries: number;
  p50: number;
  p99: number;
  max: number;
  meanResults: number;
  serverCpuUsPerQuery: number;
}

const authors = 20;
const batch = 5000;

/**
 * The search scenario's database: `messages` messages of the corpus in `rooms` rooms, five authors
 * to a room, filled through the server's own store with the server stopped (the same rows, triggers
 * and index writes a live server makes), then queried over HTTP by a member of one room in
 * `memberEvery`: common words, rare words and two-word phrases, newest first, one at a time.
 */
export async function runSearchQueries(
  target: 'parley' | 'parley-pg',
  options: SearchOptions,
  log: (line: string) => void,
): Promise<{ results: QueryResult[]; fillMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-search-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    SEARCH_LIMIT_PER_MINUTE: '100000000',
    SIGNUP_LIMIT_PER_IP: '1000000',
  };
  let databaseUrl: string | undefined;
  // Freshly filled tables have no statistics until autovacuum reaches them, and PostgreSQL's planner
  // then guesses a few hundred rows; a server that has been running has them.
  let analyze = () => {};
  if (target === 'parley-pg') {
    const url = new URL(options.postgresUrl);
    url.pathname = `/${url.pathname.slice(1)}_search`;
    databaseUrl = url.toString();
    const psql = (sql: string, db = 'postgres') => psqlOn(url, sql, db);
    psql(`DROP DATABASE IF EXISTS ${url.pathname.slice(1)} WITH (FORCE)`);
    psql(`CREATE DATABASE ${url.pathname.slice(1)}`);
    analyze = () => psql('ANALYZE', url.pathname.slice(1));
    Object.assign(env, { DATABASE_URL: databaseUrl, JWT_SECRET: randomBytes(32).toString('hex') });
  }
  let server: RunningServer | undefined;
  try {
    server = await startServer(target, { env });
    const registered = await fetch(`${server.url}/api/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'searcher', password: 'tall-harbor-lantern-42' }),
    });
    if (registered.status !== 201)
      throw new Error(`register: ${registered.status} ${await registered.text()}`);
    const { token, user } = (await registered.json()) as { token: string; user: { id: string } };
    await server.stop();
    server = undefined;

    const corpus = new Corpus();
    const started = Date.now();
    await fill(corpus, user.id, options, databaseUrl, dataDir, log);
    const fillMs = Date.now() - started;
    log(`search fill (${target}): ${options.messages} messages in ${options.rooms} rooms in ${fillMs} ms`);
    analyze();

    server = await startServer(target, { env });
    const results = await measure(server, token, corpus, options);
    return { results, fillMs };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function fill(
  corpus: Corpus,
  searcherId: string,
  options: SearchOptions,
  databaseUrl: string | undefined,
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  const store = databaseUrl
    ? await (
        (await import(pathToFileURL(`${parleyServerDir}/src/store/postgres.ts`).href)) as {
          openPostgresStore(url: string): Promise<FillStore>;
        }
      ).openPostgresStore(databaseUrl)
    : await (
        (await import(pathToFileURL(`${parleyServerDir}/src/store/sqlite.ts`).href)) as {
          openSqliteStore(dir: string): Promise<FillStore>;
        }
      ).openSqliteStore(dataDir);
  try {
    const at = new Date().toISOString();
    const users = Array.from({ length: authors }, (_, a) => ({
      id: `author${a}`,
      username: `author${a}`,
      username_key: `author${a}`,
      password_hash: null,
      created_at: at,
    }));
    await store.db.insertInto('users').values(users).execute();
    const rooms = Array.from({ length: options.rooms }, (_, r) => ({
      id: `room${String(r).padStart(4, '0')}`,
      name: `room ${r}`,
      name_key: `room ${r}`,
      visibility: 'public',
      kind: 'room',
      created_at: at,
    }));
    const authorOf = (r: number, k: number) => `author${(r * 7 + k) % authors}`;
    const memberships = rooms.flatMap((room, r) => [
      ...Array.from({ length: 5 }, (_, k) => ({
        room_id: room.id,
        user_id: authorOf(r, k),
        role: 'member',
        joined_at: at,
      })),
      ...(r % options.memberEvery === 0
        ? [{ room_id: room.id, user_id: searcherId, role: 'member', joined_at: at }]
        : []),
    ]);
    for (let i = 0; i < rooms.length; i += 200)
      await store.db
        .insertInto('rooms')
        .values(rooms.slice(i, i + 200))
        .execute();
    for (let i = 0; i < memberships.length; i += 500)
      await store.db
        .insertInto('memberships')
        .values(memberships.slice(i, i + 500))
        .execute();

    // A year of history, oldest first, as it would have been written.
    const start = Date.now() - 365 * 86_400_000;
    const step = (365 * 86_400_000) / options.messages;
    for (let from = 0; from < options.messages; from += batch) {
      const ops = [];
      for (let i = from; i < Math.min(options.messages, from + batch); i++) {
        const r = (i * 7919) % options.rooms;
        ops.push({
          kind: 'send',
          id: `m${String(i).padStart(9, '0')}`,
          roomId: rooms[r]!.id,
          authorId: authorOf(r, i % 5),
          text: corpus.message(i),
          clientId: null,
          createdAt: new Date(start + i * step).toISOString(),
          threadSeq: null,
          alsoToRoom: false,
          mentions: [],
          files: [],
        });
      }
      const answers = await store.applyOps(ops);
      if (!answers.numbers[0]) throw new Error(`search fill: refused ${JSON.stringify(answers.special[0])}`);
      if (from % 100_000 === 0) log(`  … ${from} messages`);
    }
  } finally {
    await store.close();
  }
}

async function measure(server: RunningServer, token: string, corpus: Corpus, options: SearchOptions) {
  const random = prng(99);
  const word = (lo: number, hi: number) => corpus.words[lo + Math.floor(random() * (hi - lo))]!;
  const phrase = () => {
    const words = corpus.message(Math.floor(random() * options.messages)).split(' ');
    const at = Math.floor(random() * (words.length - 1));
    return `"${words[at]} ${words[at + 1]}"`;
  };
  const sets: [QueryResult['kind'], () => string][] = [
    ['common word', () => word(0, 60)],
    ['rare word', () => word(10_000, corpus.words.length)],
    ['phrase', phrase],
  ];
  const ask = async (q: string) => {
    const reply = await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}&limit=20`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (reply.status !== 200) throw new Error(`search ${q}: ${reply.status} ${await reply.text()}`);
    return ((await reply.json()) as { results: unknown[] }).results.length;
  };
  for (let i = 0; i < options.warmup; i++) await ask(sets[i % 3]![1]());
  await awaitQuiet(server.pid, options.quietWaitMs);
  const results: QueryResult[] = [];
  for (const [kind, make] of sets) {
    const histogram = new Histogram();
    let found = 0;
    const cpu = processCpuMicros(server.pid);
    for (let i = 0; i < options.queries; i++) {
      const q = make();
      const began = performance.now();
      found += await ask(q);
      histogram.record(performance.now() - began);
    }
    results.push({
      kind,
      queries: options.queries,
      ...histogram.summary(),
      meanResults: round(found / options.queries, 1),
      serverCpuUsPerQuery: Math.round((processCpuMicros(server.pid) - cpu) / options.queries),
    });
  }
  return results;
}
