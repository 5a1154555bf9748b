import { type Kysely, PostgresAdapter } from 'kysely';

/** Which database a migration runs on, for the DDL the two dialects write differently. */
export function dialectOf(db: Kysely<unknown>): 'sqlite' | 'postgres' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
