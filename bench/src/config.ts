/** Every knob is an environment variable; the defaults keep `npm run bench` to a few minutes. */
const int = (name: string, fallback: number) => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
};
const list = (name: string, fallback: string[]) => process.env[name]?.split(',').filter(Boolean) ?? fallback;

export const config = {
  scenarios: list('BENCH_SCENARIOS', ['fanout', 'ingest', 'changes', 'idle', 'history']),
  targets: list('BENCH_TARGETS', ['ws-relay', 'sio-room', 'parley', 'parley-pg']),
  /** Parley users registered up front; clients beyond this reuse tokens (client i is user i % users). */
  users: int('BENCH_USERS', 1000),
  /** Before each measurement, wait up to this long for other people's work to leave the cores. */
  quietWaitMs: int('BENCH_QUIET_WAIT_S', 15) * 1000,
  /** `nice` level for the server and the generator (e.g. -10 to outrank other work); unset = as is. */
  nice: process.env.BENCH_NICE,
  text: 'The quick brown fox jumps over the lazy dog, then asks the room what is for lunch today.',
  fanout: {
    clients: int('FANOUT_CLIENTS', 1000),
    rooms: int('FANOUT_ROOMS', 10),
    stepSeconds: int('FANOUT_STEP_S', 4),
    startRate: int('FANOUT_START_RATE', 100),
    maxSteps: int('FANOUT_MAX_STEPS', 8),
    p99LimitMs: 100,
    tries: int('FANOUT_TRIES', 2),
    /** The target's latency bound at half the bare Socket.IO rate. */
    halfRateP99Ms: 50,
  },
  ingest: {
    pairs: int('INGEST_PAIRS', 100),
    window: int('INGEST_WINDOW', 4),
    seconds: int('INGEST_S', 6),
    warmupSeconds: int('INGEST_WARMUP_S', 1),
  },
  idle: {
    /** One idle run per count (a comma list, e.g. `10000,20000`), each on a fresh server. */
    counts: list('IDLE_SOCKETS', ['10000']).map(Number),
    concurrency: int('IDLE_CONCURRENCY', 100),
    settleSeconds: int('IDLE_SETTLE_S', 2),
    /** Sockets one generator process holds; more go to child processes (`ulimit -n` is per process). */
    perProcess: int('IDLE_PER_PROCESS', 10_000),
  },
  /** `BENCH_SCENARIOS=storm`: S sockets drop at once and come back over the spread, each syncing. */
  storm: {
    sockets: int('STORM_SOCKETS', 5000),
    stayers: int('STORM_STAYERS', 500),
    stayerUsers: int('STORM_STAYER_USERS', 100),
    spreadSeconds: int('STORM_SPREAD_S', 10),
    rate: int('STORM_RATE', 20),
    watchPerSocket: 50,
    giveUpMs: int('STORM_GIVE_UP_S', 120) * 1000,
  },
  /** `BENCH_SCENARIOS=huge`: one room of M members, N online, beside S small rooms. */
  huge: {
    members: int('HUGE_MEMBERS', 10_000),
    online: int('HUGE_ONLINE', 2000),
    smallRooms: int('HUGE_SMALL_ROOMS', 100),
    bigRate: int('HUGE_BIG_RATE', 10),
    smallRate: int('HUGE_SMALL_RATE', 200),
    seconds: int('HUGE_S', 30),
    pageSize: 50,
    awayToggles: int('HUGE_AWAY_TOGGLES', 10),
  },
  /** `BENCH_SCENARIOS=cluster`: fanout at fixed rates and ingest, one node against two. */
  cluster: {
    rates: list('CLUSTER_RATES', ['200', '800']).map(Number),
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  },
  /** `npm run bench:soak`: S sockets chatting steadily for SOAK_MINUTES, sampled each minute. */
  soak: {
    sockets: int('SOAK_SOCKETS', 2000),
    rate: int('SOAK_RATE', 20),
    minutes: int('SOAK_MINUTES', 30),
    churnPerMinute: int('SOAK_CHURN', 50),
    fromMinute: 5,
  },
  history: {
    messages: int('HISTORY_MESSAGES', 1_000_000),
    requests: int('HISTORY_REQUESTS', 500),
    // Requests before measuring, at every depth, for every target alike: a server in use is warm. At
    // 200, Parley's JIT and caches were still warming while it was measured (server CPU per request
    // fell from ~1,070 to ~540 µs over the first 12,000 requests).
    warmup: int('HISTORY_WARMUP', 2000),
    limit: 50,
  },
  /** `BENCH_SCENARIOS=search`: a million messages in a thousand rooms, and the index's ingest cost. */
  search: {
    messages: int('SEARCH_MESSAGES', 1_000_000),
    rooms: int('SEARCH_ROOMS', 1000),
    memberEvery: int('SEARCH_MEMBER_EVERY', 10),
    queries: int('SEARCH_QUERIES', 300),
    warmup: int('SEARCH_WARMUP', 150),
    /** Off/on pairs of the index's ingest cost, alternating. */
    ingestRounds: int('SEARCH_INGEST_ROUNDS', 2),
  },
  /**
   * The run's own database (and `<name>_search`), dropped and recreated by each PostgreSQL scenario. By
   * default named after this process: several people run the bench on the shared PostgreSQL, and one
   * fixed `parley_bench` let each run's `DROP DATABASE … WITH (FORCE)` cut the other's nodes off.
   */
  postgresUrl: process.env.BENCH_PG_URL ?? `postgres://postgres@127.0.0.1:5432/parley_bench_${process.pid}`,
  /** Whether `postgresUrl` is this run's own (dropped at the end, and swept if a run died before). */
  ownPostgres: !process.env.BENCH_PG_URL,
};
