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
    sockets: int('IDLE_SOCKETS', 10_000),
    concurrency: int('IDLE_CONCURRENCY', 100),
    settleSeconds: int('IDLE_SETTLE_S', 2),
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
  },
  postgresUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_bench',
};
