import type { Config } from '../config.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export type { Store } from './types.js';

/** SQLite under DATA_DIR unless DATABASE_URL points at PostgreSQL. */
export async function openStore(config: Config): Promise<Store> {
  const url = config.databaseUrl;
  const search = { enabled: config.searchIndex, language: config.searchLanguage };
  if (!url) return openSqliteStore(config.dataDir, search);
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  // Every node must verify the tokens the others sign; a secret generated into one node's DATA_DIR
  // would not be shared, so several nodes need it given explicitly.
  if (!config.jwtSecret) {
    throw new Error('DATABASE_URL is set: set JWT_SECRET as well, the same value on every node');
  }
  // Loaded only when used: a SQLite node never pays for the PostgreSQL driver's memory.
  const { openPostgresStore } = await import('./postgres.js');
  return openPostgresStore(url, search);
}
