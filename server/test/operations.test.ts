import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, type TestServer, tempDir } from './harness.js';

let server: TestServer;
const webDir = tempDir('parley-web-');
beforeAll(async () => {
  fs.writeFileSync(
    path.join(webDir, 'index.html'),
    '<!doctype html><title>Parley client</title><div id="root"></div>',
  );
  server = await startServer({ env: { WEB_DIR: webDir, CORS_ORIGINS: 'https://chat.example.org' } });
});
afterAll(() => server.close());

describe('operations', () => {
  it('answers liveness and readiness with the state of the database and the bus', async () => {
    expect((await api(server.url, 'GET', '/healthz')).body).toEqual({ ok: true });
    const ready = await api(server.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ok: true, checks: { database: 'ok', bus: 'ok' } });
  });

  it('reports not-ready once the database is gone', async () => {
    const doomed = await startServer();
    await doomed.parley.ctx.store.close();
    const ready = await api(doomed.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ code: 'unavailable', checks: { database: 'down', bus: 'ok' } });
    await doomed.parley.app.close();
  });

  it('publishes an OpenAPI document generated from the schemas, and its docs page', async () => {
    const doc = await api<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    }>(server.url, 'GET', '/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/register', '/api/chat/rooms/{id}/messages', '/api/dms']),
    );
    expect(JSON.stringify(doc.body.paths['/api/register']?.post?.requestBody)).toContain('password');
    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });

  it('exposes Prometheus metrics, counting stored messages', async () => {
    const { token } = await register(server.url);
    const rooms = await api<{ rooms: { id: string; joined: boolean }[] }>(
      server.url,
      'GET',
      '/api/chat/rooms',
      { token },
    );
    const roomId = rooms.body.rooms.find((room) => room.joined)?.id;
    await api(server.url, 'POST', `/api/chat/rooms/${roomId}/messages`, { token, body: { text: 'counted' } });
    const metrics = await fetch(`${server.url}/metrics`);
    const text = await metrics.text();
    expect(text).toMatch(/^parley_messages_total [1-9]/m);
    expect(text).toContain('parley_sockets');
  });

  it('reports how late the event loop ran and the active handles, so a stall shows in /metrics', async () => {
    const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
    const figure = (text: string, name: string) =>
      Number(new RegExp(`^${name.replace(/[{}."]/g, (c) => `\\${c}`)} (\\S+)`, 'm').exec(text)?.[1]);
    await scrape(); // starts a fresh window
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The server runs in this process: a 150 ms busy loop here is a 150 ms stall there.
    const end = Date.now() + 150;
    while (Date.now() < end) {
      // stalled
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = await scrape();
    const max = figure(text, 'parley_event_loop_delay_seconds{quantile="1"}');
    expect(max).toBeGreaterThan(0.1);
    expect(max).toBeLessThan(5);
    expect(figure(text, 'parley_event_loop_delay_seconds{quantile="0.99"}')).toBeGreaterThanOrEqual(0);
    expect(figure(text, 'parley_event_loop_delay_max_seconds')).toBeGreaterThan(0.1);
    expect(figure(text, 'parley_active_handles')).toBeGreaterThan(0);
    // A quiet window after it reads near zero again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(figure(await scrape(), 'parley_event_loop_delay_seconds{quantile="1"}')).toBeLessThan(max);
  });

  it('serves the web client at / and for client-side routes, but JSON 404s under /api', async () => {
    const root = await fetch(`${server.url}/`);
    expect(await root.text()).toContain('Parley client');
    const deep = await fetch(`${server.url}/rooms/general`, { headers: { accept: 'text/html' } });
    expect(await deep.text()).toContain('Parley client');
    const missing = await api(server.url, 'GET', '/api/nothing-here', { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found' });
  });

  it('serves client files added after start (a rebuild needs no restart)', async () => {
    fs.writeFileSync(path.join(webDir, 'app-rebuilt.js'), 'console.log("new build")');
    const asset = await fetch(`${server.url}/app-rebuilt.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toContain('new build');
    const missing = await fetch(`${server.url}/missing-asset.js`);
    expect(missing.status).toBe(404);
  });

  it('serves a page that says the client is not built when there is none', async () => {
    const bare = await startServer({ env: { WEB_DIR: tempDir('parley-empty-') } });
    const page = await fetch(`${bare.url}/`);
    expect(await page.text()).toContain('web client has not been built');
    await bare.close();
  });

  it('allows cross-origin calls only from CORS_ORIGINS', async () => {
    const allowed = await fetch(`${server.url}/api/config`, {
      headers: { origin: 'https://chat.example.org' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://chat.example.org');
    const other = await fetch(`${server.url}/api/config`, {
      headers: { origin: 'https://evil.example.com' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const defaults = await startServer();
    const none = await fetch(`${defaults.url}/api/config`, {
      headers: { origin: 'https://chat.example.org' },
    });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
    await defaults.close();
  });

  it('keeps its generated JWT secret in DATA_DIR on SQLite, so sessions survive a restart', async () => {
    // This is the single-node default; with DATABASE_URL a shared JWT_SECRET is required instead
    // (test/scale/config.test.ts), so this test pins SQLite in both passes.
    const sqlite = { DATABASE_URL: '', JWT_SECRET: '' };
    const dataDir = tempDir();
    const first = await startServer({ dataDir, env: sqlite });
    const { token } = await register(first.url);
    await first.close();
    expect(fs.statSync(path.join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    const second = await startServer({ dataDir, env: sqlite });
    expect((await api(second.url, 'GET', '/api/me', { token })).status).toBe(200);
    await second.close();
  });
});
