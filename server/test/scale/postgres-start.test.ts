import { afterAll, describe, expect, it } from 'vitest';
import { api, register, startServer, type TestServer } from '../harness.js';
import { services, ThrowawayPostgres } from './cluster.js';

// A node started while its PostgreSQL is down waits for it (backoff, a log line each try) instead of
// exiting into a restart loop, and starts once the database is there.
describe.skipIf(!services)('a node whose PostgreSQL is down at start-up', () => {
  let postgres: ThrowawayPostgres;
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.close();
    await postgres?.destroy();
  });

  it('waits for the database instead of exiting, then starts and serves', { timeout: 120_000 }, async () => {
    postgres = await ThrowawayPostgres.start();
    await postgres.stop();
    let outcome: 'pending' | 'started' | Error = 'pending';
    const starting = startServer({ env: { DATABASE_URL: postgres.url } }).then(
      (started) => {
        server = started;
        outcome = 'started';
      },
      (error: Error) => {
        outcome = error;
      },
    );
    // Long enough for several tries (1 s, 2 s, …): the old code had thrown on the first.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(outcome).toBe('pending');

    await postgres.start();
    await starting;
    expect(outcome).toBe('started');
    const ready = await api((server as TestServer).url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    await register((server as TestServer).url);
  });
});
