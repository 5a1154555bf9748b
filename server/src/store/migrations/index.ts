import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as initial from './0001_initial.js';
import * as changeFeed from './0002_change_feed.js';
import * as moderation from './0003_moderation.js';
import * as search from './0004_search.js';
import * as attention from './0005_attention.js';
import * as roomMemberCount from './0006_room_member_count.js';
import * as files from './0007_files.js';
import * as identity from './0008_identity.js';
import * as accounts from './0009_accounts.js';
import * as bigintCounters from './0010_bigint_counters.js';
import * as displayNameKey from './0011_display_name_key.js';
import * as sessionEnds from './0012_session_ends.js';
import * as searchWithoutFk from './0013_search_without_fk.js';
import * as changedRevIndex from './0014_changed_rev_index.js';

// Migrations live in code, imported here, so that the build and the tests apply exactly the same ones.
// One file a migration, applied in the order of this list (which is also the order of their names).
// Never edit a migration once it is on main: add another. Each runs on SQLite and PostgreSQL; where the
// dialects differ the migration asks `dialectOf(db)`.
const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_change_feed': changeFeed,
  '0003_moderation': moderation,
  '0004_search': search,
  '0005_attention': attention,
  '0006_room_member_count': roomMemberCount,
  '0007_files': files,
  '0008_identity': identity,
  '0009_accounts': accounts,
  '0010_bigint_counters': bigintCounters,
  '0011_display_name_key': displayNameKey,
  '0012_session_ends': sessionEnds,
  '0013_search_without_fk': searchWithoutFk,
  '0014_changed_rev_index': changedRevIndex,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The migrations the database says were applied (none on a new database). */
async function appliedMigrations(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  const scoped = (schema ? db.withSchema(schema) : db) as Kysely<{ kysely_migration: { name: string } }>;
  try {
    const rows = await scoped.selectFrom('kysely_migration').select('name').execute();
    return rows.map((row) => row.name);
  } catch {
    return [];
  }
}

/**
 * `schema` names where Kysely keeps its bookkeeping tables on PostgreSQL: without it Kysely looks for
 * them in every schema and would take another schema's for its own.
 */
export async function migrate(db: Kysely<unknown>, options: { schema?: string } = {}): Promise<void> {
  // A database a newer Parley has migrated is not this code's to run (or to "repair"): a downgrade
  // without restoring the backup taken before the upgrade would write rows the newer schema forbids.
  const unknown = (await appliedMigrations(db, options.schema)).filter((name) => !(name in migrations));
  if (unknown.length > 0) {
    throw new Error(
      `the database was migrated by a newer Parley (it has ${unknown.join(', ')}, which this version does not know): ` +
        'run that version or a later one, or restore the backup taken before the upgrade',
    );
  }
  // Unordered: a migration missing from the middle (a database that had a later one first, as the
  // search backfill test makes by removing 0004) is applied rather than refused. They are written to
  // be independent of each other's order past what main had when each was added.
  const migrator = new Migrator({
    db,
    provider,
    migrationTableSchema: options.schema,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
