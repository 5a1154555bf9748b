import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { databaseFile, databaseName, integrityProblems, secretNames } from './sqlite-files.js';

type Say = (line: string) => void;

/**
 * A consistent copy of a running Parley: the SQLite database through SQLite's online backup API (the
 * whole file in one step, so one read snapshot: every message committed, and so acknowledged, before it
 * began is in it), then the files and the secrets, packed into one .tar.gz. Writers are not stopped.
 */
export async function backup(config: Config, target: string, say: Say): Promise<void> {
  const source = databaseFile(config.dataDir);
  if (!fs.existsSync(source)) throw new Error(`no Parley database at ${source} (is DATA_DIR right?)`);
  const out = path.resolve(target);
  const staging = fs.mkdtempSync(path.join(path.dirname(out), '.parley-backup-'));
  try {
    const db = new SQLite(source, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 10000');
      // Pages per step: all of them. A multi-step backup restarts whenever another connection writes.
      await db.backup(path.join(staging, databaseName), { progress: () => 0x7fffffff });
    } finally {
      db.close();
    }
    const problems = integrityProblems(path.join(staging, databaseName));
    if (problems.length > 0) throw new Error(`the copy failed its integrity check: ${problems.join('; ')}`);
    // Blobs after the database: a file uploaded meanwhile is an orphan in the copy, which is harmless.
    const files = path.join(config.dataDir, 'files');
    if (fs.existsSync(files)) fs.cpSync(files, path.join(staging, 'files'), { recursive: true });
    for (const name of secretNames) {
      const secret = path.join(config.dataDir, name);
      if (fs.existsSync(secret)) fs.copyFileSync(secret, path.join(staging, name));
    }
    // The archive holds the token secret: readable by its owner only.
    const partial = `${out}.partial`;
    execFileSync('tar', ['-C', staging, '-czf', partial, '.']);
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, out);
    say(`backed up ${source} and its files to ${out} (${fs.statSync(out).size} bytes)`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** A Parley answering on PORT: restoring under it would pull the database from under its feet. */
async function isRunning(config: Config): Promise<boolean> {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  try {
    const reply = await fetch(`http://${host}:${config.port}/healthz`, {
      signal: AbortSignal.timeout(1_000),
    });
    return reply.ok;
  } catch {
    return false;
  }
}

/**
 * Puts a backup in place of DATA_DIR's database, files and secrets, after checking the copy. What was
 * there is moved aside to DATA_DIR/before-restore-<time>, never deleted.
 */
export async function restore(config: Config, archive: string, say: Say): Promise<void> {
  const from = path.resolve(archive);
  if (!fs.existsSync(from)) throw new Error(`no backup at ${from}`);
  if (await isRunning(config))
    throw new Error(
      `Parley is running on port ${config.port}: stop it before restoring, then start it again`,
    );
  fs.mkdirSync(config.dataDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(config.dataDir, '.restore-'));
  try {
    execFileSync('tar', ['-C', staging, '-xzf', from]);
    const restored = path.join(staging, databaseName);
    if (!fs.existsSync(restored)) throw new Error(`${from} holds no ${databaseName}: not a Parley backup`);
    const problems = integrityProblems(restored);
    if (problems.length > 0) throw new Error(`the backup failed its integrity check: ${problems.join('; ')}`);
    const aside = path.join(
      config.dataDir,
      `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`,
    );
    // The WAL and shared-memory files belong to the old database: left in place, SQLite would replay
    // the old WAL onto the restored file.
    const replaced = [databaseName, `${databaseName}-wal`, `${databaseName}-shm`, 'files', ...secretNames];
    for (const name of replaced) {
      const current = path.join(config.dataDir, name);
      if (!fs.existsSync(current)) continue;
      fs.mkdirSync(aside, { recursive: true });
      fs.renameSync(current, path.join(aside, name));
    }
    for (const name of [databaseName, 'files', ...secretNames]) {
      const next = path.join(staging, name);
      if (fs.existsSync(next)) fs.renameSync(next, path.join(config.dataDir, name));
    }
    say(
      `restored ${from} into ${config.dataDir}${fs.existsSync(aside) ? `; what was there is in ${aside}` : ''}`,
    );
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
