#!/usr/bin/env node
/**
 * `parley` (the server package's bin; `npm run parley -- …` from the repository): what an operator does
 * to a Parley from its machine. It reads the same environment as the server (DATA_DIR, DATABASE_URL).
 */
import { execFileSync } from 'node:child_process';
import readline from 'node:readline';
import { backup, restore } from './cli/backup.js';
import { check } from './cli/check.js';
import { createAdmin, resetPassword } from './cli/accounts.js';
import { postgresReachable } from './cli/postgres.js';
import { loadConfig } from './config.js';
import { openStore } from './store/index.js';

const usage = `usage: parley <command>

  backup FILE              a consistent copy of the SQLite database, files and secrets, while Parley runs
  restore FILE             put a backup in place (Parley stopped); what was there is moved aside
  check                    the database's integrity, and files missing or orphaned
  create-admin USERNAME    a new admin account (password from PARLEY_PASSWORD or standard input)
  reset-password USERNAME  a new password (same); the account's sessions end

Reads DATA_DIR, DATABASE_URL and the rest of the server's environment.`;

const say = (line: string) => console.log(line);

async function readPassword(): Promise<string> {
  if (process.env.PARLEY_PASSWORD) return process.env.PARLEY_PASSWORD;
  const tty = process.stdin.isTTY;
  if (tty) {
    process.stderr.write('Password: ');
    execFileSync('stty', ['-echo'], { stdio: 'inherit' });
  }
  try {
    const lines = readline.createInterface({ input: process.stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new Error('no password given (set PARLEY_PASSWORD or write it to standard input)');
  } finally {
    if (tty) {
      execFileSync('stty', ['echo'], { stdio: 'inherit' });
      process.stderr.write('\n');
    }
  }
}

async function withStore<T>(run: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig());
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

async function main(args: string[]): Promise<number> {
  const [command, argument] = args;
  const config = loadConfig();
  const needs = (what: string) => {
    if (!argument) throw new Error(`${command} needs ${what}\n\n${usage}`);
    return argument;
  };
  switch (command) {
    case 'backup':
      if (config.databaseUrl) {
        say(await postgresReachable(config.databaseUrl));
        say(
          'On PostgreSQL, back up with its own tools while Parley runs: pg_dump -Fc "$DATABASE_URL" > FILE',
        );
        say('(and the S3 bucket with the provider’s tools). Restore with pg_restore into an empty database.');
        return 0;
      }
      await backup(config, needs('a FILE to write'), say);
      return 0;
    case 'restore':
      if (config.databaseUrl)
        throw new Error('On PostgreSQL, restore with pg_restore (see `parley backup`).');
      await restore(config, needs('the backup FILE'), say);
      return 0;
    case 'check':
      return (await check(config, say)) === 0 ? 0 : 1;
    case 'create-admin': {
      const username = needs('a USERNAME');
      const password = await readPassword();
      await withStore((store) => createAdmin(store, username, password, say));
      return 0;
    }
    case 'reset-password': {
      const username = needs('a USERNAME');
      const password = await readPassword();
      await withStore((store) => resetPassword(store, username, password, say));
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      say(usage);
      return command === undefined ? 2 : 0;
    default:
      throw new Error(`unknown command ${command}\n\n${usage}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`parley: ${(error as Error).message}`);
    process.exit(1);
  },
);
