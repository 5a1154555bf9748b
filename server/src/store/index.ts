import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export type { Store } from './types.js';

/** How long start-up waits between tries while PostgreSQL cannot be reached: doubling, at most 30 s. */
const retryDelaysMs = (attempt: number) => Math.min(1_000 * 2 ** attempt, 30_000);

/**
 * SQLite under DATA_DIR unless DATABASE_URL points at PostgreSQL. A PostgreSQL that cannot be reached
 * at start-up (still booting, failing over, a network hiccup) is waited for with backoff — a line in
 * the log each time — instead of exiting into a restart loop; anything else (a wrong password, a
 * missing database, a failed migration) still stops the start at once.
 */
export async function openStore(
  config: Config,
  onWait: (message: string) => void = () => {},
): Promise<Store> {
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
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await openPostgresStore(url, search);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'unavailable')) throw error;
      const delay = retryDelaysMs(attempt);
      onWait(`PostgreSQL is unreachable (${error.message}); not ready, trying again in ${delay / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
