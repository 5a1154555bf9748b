import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { blobKeysOnDisk, databaseFile, integrityProblems, knownBlobKeys } from './sqlite-files.js';
import { postgresReachable } from './postgres.js';

type Say = (line: string) => void;

/**
 * The database's integrity, and files that the database and the disk disagree about: blobs no row
 * names (orphans: a crash between storing a file and its row, or a sweep that has not run) are
 * reported; rows whose blob is gone are problems. Resolves to the number of problems.
 */
export async function check(config: Config, say: Say): Promise<number> {
  if (config.databaseUrl) {
    say(await postgresReachable(config.databaseUrl));
    say('integrity of PostgreSQL is PostgreSQL’s to check (amcheck, pg_dump to /dev/null)');
    return 0;
  }
  const file = databaseFile(config.dataDir);
  if (!fs.existsSync(file)) throw new Error(`no Parley database at ${file} (is DATA_DIR right?)`);
  const problems = integrityProblems(file);
  say(problems.length === 0 ? `database ${file}: integrity ok` : `database ${file}: ${problems.join('; ')}`);
  if (config.files.s3) {
    say('files are in S3: not compared');
    return problems.length;
  }
  const known = knownBlobKeys(file);
  const onDisk = blobKeysOnDisk(path.join(config.dataDir, 'files'));
  const missing = [...known].filter((key) => !onDisk.has(key));
  const orphans = [...onDisk].filter((key) => !known.has(key));
  say(`files: ${known.size} known, ${missing.length} missing, ${orphans.length} orphaned`);
  for (const key of missing) say(`  missing: ${key}`);
  for (const key of orphans) say(`  orphan (no row names it; the file sweep removes it): ${key}`);
  return problems.length + missing.length;
}
