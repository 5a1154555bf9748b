import type { Config } from '../config.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export type { Store } from './types.js';

/** SQLite under DATA_DIR unless DATABASE_URL points at PostgreSQL. */
export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) {
    throw new Error('DATABASE_URL is set but this build has no PostgreSQL store yet');
  }
  return openSqliteStore(config.dataDir);
}
