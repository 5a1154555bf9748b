import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, register, startServer, strongPassword, tempDir } from '../harness.js';
import { parley } from './cli.js';

const sqlite = { DATABASE_URL: '', JWT_SECRET: '' };

describe('parley, the operator’s command', () => {
  it('creates an admin and resets a password, ending the account’s sessions', async () => {
    const dataDir = tempDir();
    const made = await parley(['create-admin', 'root_admin'], { DATA_DIR: dataDir }, `${strongPassword}\n`);
    expect(made.code, made.out).toBe(0);
    const weak = await parley(['create-admin', 'other_admin'], {
      DATA_DIR: dataDir,
      PARLEY_PASSWORD: 'password',
    });
    expect(weak.code).toBe(1);
    expect(weak.out).toMatch(/password/i);
    const taken = await parley(['create-admin', 'ROOT_admin'], {
      DATA_DIR: dataDir,
      PARLEY_PASSWORD: strongPassword,
    });
    expect(taken.out).toMatch(/taken/);

    const server = await startServer({ dataDir, env: sqlite });
    const login = await api<{ token: string; user: { admin?: boolean } }>(server.url, 'POST', '/api/login', {
      body: { username: 'root_admin', password: strongPassword },
    });
    expect(login.status).toBe(200);
    expect((await api(server.url, 'GET', '/api/admin/users', { token: login.body.token })).status).toBe(200);

    const fresh = 'another-long-passphrase-77';
    const reset = await parley(['reset-password', 'root_admin'], {
      DATA_DIR: dataDir,
      PARLEY_PASSWORD: fresh,
    });
    expect(reset.code, reset.out).toBe(0);
    expect((await api(server.url, 'GET', '/api/me', { token: login.body.token })).status).toBe(401);
    const again = await api(server.url, 'POST', '/api/login', {
      body: { username: 'root_admin', password: fresh },
    });
    expect(again.status).toBe(200);
    const missing = await parley(['reset-password', 'nobody_here'], {
      DATA_DIR: dataDir,
      PARLEY_PASSWORD: fresh,
    });
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('no account named nobody_here');
    await server.close();
  }, 240_000);

  it('checks the database and reports files the database and the disk disagree about', async () => {
    const dataDir = tempDir();
    const server = await startServer({ dataDir, env: sqlite });
    await register(server.url);
    await server.close();
    const clean = await parley(['check'], { DATA_DIR: dataDir });
    expect(clean.code, clean.out).toBe(0);
    expect(clean.out).toContain('integrity ok');
    fs.mkdirSync(path.join(dataDir, 'files', 'zz'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'files', 'zz', 'strayzz'), 'left behind');
    const orphan = await parley(['check'], { DATA_DIR: dataDir });
    expect(orphan.out).toContain('orphan (no row names it; the file sweep removes it): strayzz');
    // A page of the file overwritten: the integrity check finds it and says so.
    const file = path.join(dataDir, 'parley.sqlite');
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 4096 * 2, 4096 * 2 + 2048);
    fs.writeFileSync(file, bytes);
    const broken = await parley(['check'], { DATA_DIR: dataDir });
    expect(broken.code).toBe(1);
    expect(broken.out).not.toContain('integrity ok');
  }, 240_000);

  it('on PostgreSQL, says to use pg_dump after checking the connection, and fails clearly when it cannot', async () => {
    const down = await parley(['backup', 'x.tar.gz'], {
      DATABASE_URL: 'postgres://parley@127.0.0.1:9/parley',
    });
    expect(down.code).toBe(1);
    expect(down.out).toContain('PostgreSQL at 127.0.0.1:9 cannot be reached');
    if (!process.env.DATABASE_URL) return;
    const up = await parley(['backup', 'x.tar.gz'], { DATABASE_URL: process.env.DATABASE_URL });
    expect(up.code, up.out).toBe(0);
    expect(up.out).toMatch(/PostgreSQL \d+.* answers/);
    expect(up.out).toContain('pg_dump');
  }, 120_000);

  it('explains itself when called without a command or with a wrong one', { timeout: 120_000 }, async () => {
    expect((await parley([], {})).out).toContain('usage: parley');
    const wrong = await parley(['frobnicate'], {});
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('unknown command frobnicate');
  });
});

describe('migrations', () => {
  it('refuse a database that a newer Parley has migrated, naming what they do not know', async () => {
    const dataDir = tempDir();
    const server = await startServer({ dataDir, env: sqlite });
    await server.parley.ctx.store.db
      .insertInto('kysely_migration' as never)
      .values({ name: '9999_from_the_future', timestamp: new Date().toISOString() } as never)
      .execute();
    await server.close();
    await expect(startServer({ dataDir, env: sqlite })).rejects.toThrow(
      /migrated by a newer Parley \(it has 9999_from_the_future/,
    );
  });
});
