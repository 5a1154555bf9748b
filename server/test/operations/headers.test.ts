import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, strongPassword, type TestServer, tempDir } from '../harness.js';
import { freePort } from '../scale/cluster.js';

let server: TestServer;
const webDir = tempDir('parley-web-');
beforeAll(async () => {
  fs.writeFileSync(
    path.join(webDir, 'index.html'),
    '<!doctype html><title>Parley</title><div id="root"></div>',
  );
  fs.writeFileSync(
    path.join(webDir, 'config.js'),
    "window.PARLEY_CONFIG = { serverUrl: 'https://chat.example.org' };",
  );
  server = await startServer({ env: { WEB_DIR: webDir, METRICS_TOKEN: 'metrics-secret-for-the-test' } });
});
afterAll(() => server.close());

const csp = (headers: Headers) =>
  Object.fromEntries(
    (headers.get('content-security-policy') ?? '')
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  ) as Record<string, string[]>;

describe('security headers', () => {
  it('serve the web client under a strict Content-Security-Policy that allows its server', async () => {
    const page = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const policy = csp(page.headers);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['script-src-attr']).toEqual(["'none'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['default-src']).toEqual(["'self'"]);
    const host = new URL(server.url).host;
    expect(policy['connect-src']).toEqual(
      expect.arrayContaining([
        "'self'",
        `ws://${host}`,
        'https://chat.example.org',
        'wss://chat.example.org',
      ]),
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    // A client route falls back to the page, with the same policy.
    const route = await fetch(`${server.url}/rooms/x`, { headers: { accept: 'text/html' } });
    expect(csp(route.headers)['frame-ancestors']).toEqual(["'none'"]);
  });

  it('follows an edit of config.js without a restart', async () => {
    const file = path.join(webDir, 'config.js');
    fs.writeFileSync(file, "window.PARLEY_CONFIG = { serverUrl: 'http://other.example.net:8080' };");
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(file, later, later);
    const page = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } });
    expect(csp(page.headers)['connect-src']).toEqual(
      expect.arrayContaining(['http://other.example.net:8080', 'ws://other.example.net:8080']),
    );
  });

  it('marks API answers nosniff and no-store, tokens above all', async () => {
    const username = `hdr_${Date.now().toString(36)}`;
    const made = await api(server.url, 'POST', '/api/register', {
      body: { username, password: strongPassword },
    });
    expect(made.status).toBe(201);
    const login = await api(server.url, 'POST', '/api/login', {
      body: { username, password: strongPassword },
    });
    for (const reply of [made, login, await api(server.url, 'GET', '/api/config')]) {
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('keeps /docs public', async () => {
    const docs = await fetch(`${server.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
    // Read to the end: a body left unread (the document is a few hundred KB) keeps the connection busy,
    // and the server's close waits for it.
    const openapi = await fetch(`${server.url}/openapi.json`);
    expect(openapi.status).toBe(200);
    await openapi.arrayBuffer();
  });
});

describe('/metrics', () => {
  it('asks for METRICS_TOKEN as a bearer token when it is set', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-secret-for-the-test' },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('parley_');
  });

  it('moves to METRICS_PORT, off the public port, when that is set', async () => {
    const port = await freePort();
    const apart = await startServer({ env: { METRICS_PORT: String(port) } });
    try {
      await register(apart.url);
      expect((await fetch(`${apart.url}/metrics`)).status).toBe(404);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('parley_');
      expect((await fetch(`http://127.0.0.1:${port}/api/config`)).status).toBe(404);
    } finally {
      await apart.close();
    }
  });
});
