import { afterAll, describe, expect, it } from 'vitest';
import { api, killSpawnedServers, register, spawnServer, tempDir } from '../harness.js';
import { freePort, services, ThrowawayPostgres, until } from './cluster.js';

// A node started while its PostgreSQL is down waits for it (backoff, a log line each try) instead of
// exiting into a restart loop. Meanwhile it holds its port as a live node that is not ready, so a load
// balancer or orchestrator sees "not ready" rather than a refused connection; then it starts on that
// same port and serves.
describe.skipIf(!services)('a node whose PostgreSQL is down at start-up', () => {
  let postgres: ThrowawayPostgres;
  let node: Awaited<ReturnType<typeof spawnServer>> | undefined;
  afterAll(async () => {
    // Also a node still waiting for the database, if the test failed before it started.
    killSpawnedServers();
    await postgres?.destroy();
  });

  it('is live and not ready while it waits for the database, then ready on the same port', {
    timeout: 180_000,
  }, async () => {
    postgres = await ThrowawayPostgres.start();
    await postgres.stop();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let outcome: 'pending' | 'started' | Error = 'pending';
    const starting = spawnServer({ dataDir: tempDir(), port, env: { DATABASE_URL: postgres.url } }).then(
      (started) => {
        node = started;
        outcome = 'started';
      },
      (error: Error) => {
        outcome = error;
      },
    );

    await until(
      'the node to answer /healthz while it waits',
      async () => {
        return (await api(url, 'GET', '/healthz')).status === 200;
      },
      90_000,
    );
    await until(
      '/readyz to say it waits for the database',
      async () => {
        const ready = await api<{ code: string; message: string; checks: Record<string, string> }>(
          url,
          'GET',
          '/readyz',
        );
        expect(ready.status).toBe(503);
        expect(ready.body.code).toBe('unavailable');
        return ready.body.checks.database === 'down' && /waiting for the database/i.test(ready.body.message);
      },
      30_000,
    );
    const refused = await api(url, 'POST', '/api/register', {
      body: { username: 'early', password: 'tall-harbor-lantern-42' },
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      statusCode: 503,
      code: 'unavailable',
      error: 'Service Unavailable',
    });
    expect((await api(url, 'GET', '/api/chat/rooms')).status).toBe(503);
    // Long enough for several tries (1 s, 2 s, …): the code before the backoff had exited on the first.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(outcome).toBe('pending');
    expect((await api(url, 'GET', '/healthz')).status).toBe(200);

    await postgres.start();
    await starting;
    expect(outcome).toBe('started');
    expect(node?.url).toBe(url);
    const ready = await api(url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    await register(url);
  });
});
