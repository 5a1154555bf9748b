import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, register, startServer, tempDir } from '../harness.js';

// Pinned to SQLite in both passes: the generated secret file is the single-node default.
const sqlite = { DATABASE_URL: '', JWT_SECRET: '' };

describe('the token secret', () => {
  it('refuses to start on an empty or whitespace-only jwt-secret file, saying which file', async () => {
    for (const content of ['', '  \n\t ']) {
      const dataDir = tempDir();
      fs.writeFileSync(path.join(dataDir, 'jwt-secret'), content, { mode: 0o600 });
      await expect(startServer({ dataDir, env: sqlite })).rejects.toThrow(
        new RegExp(`${path.join(dataDir, 'jwt-secret')}.*empty`),
      );
      // Nothing was created: the database is not even opened.
      expect(fs.existsSync(path.join(dataDir, 'parley.sqlite'))).toBe(false);
    }
  });

  it('refuses a jwt-secret file or JWT_SECRET shorter than 32 bytes', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'jwt-secret'), 'short-secret\n', { mode: 0o600 });
    await expect(startServer({ dataDir, env: sqlite })).rejects.toThrow(/at least 32 bytes/);
    await expect(startServer({ env: { JWT_SECRET: 'x'.repeat(31) } })).rejects.toThrow(
      /JWT_SECRET.*at least 32 bytes/,
    );
    await expect(startServer({ env: { JWT_SECRET: ' '.repeat(40) } })).rejects.toThrow(/JWT_SECRET/);
  });

  it('starts with a 32-byte JWT_SECRET and signs working tokens with it', async () => {
    const server = await startServer({ env: { ...sqlite, JWT_SECRET: 'k'.repeat(32) } });
    const { token } = await register(server.url);
    expect((await api(server.url, 'GET', '/api/me', { token })).status).toBe(200);
    await server.close();
  });
});
