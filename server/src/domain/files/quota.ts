import { type Kysely, sql } from 'kysely';
import { fail } from '../../errors.js';
import type { Database, FileRow } from '../../store/schema.js';
import type { Ctx } from '../context.js';

/** The limits in force: the live settings where the server has them, else the environment's. */
export function uploadLimits(ctx: Ctx): { maxBytes: number; quotaBytes: number } {
  const live = (ctx as { settings?: { current: typeof ctx.config.settingsDefaults } }).settings?.current;
  const settings = live ?? ctx.config.settingsDefaults;
  return { maxBytes: settings.uploadMaxBytes, quotaBytes: settings.uploadQuotaBytes };
}

/** Bytes a user's uploads and avatars take in storage, thumbnails included. */
export async function usedBytes(ctx: Ctx, userId: string): Promise<number> {
  const row = await ctx.store.db
    .selectFrom('files')
    .select(sql<string | number>`coalesce(sum(size + coalesce(thumb_size, 0)), 0)`.as('used'))
    .where('uploader_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.used ?? 0);
}

/**
 * Inserts the file's row unless it would take its uploader past the quota, in one statement (on SQLite a
 * read and then a write in one transaction could be overtaken by the writer thread's commit). Two
 * uploads finishing together must not both fit in the last megabyte: on PostgreSQL a per-user advisory
 * lock serializes them across nodes; on SQLite the one connection already does.
 */
export async function insertWithinQuota(ctx: Ctx, row: FileRow): Promise<void> {
  const { quotaBytes } = uploadLimits(ctx);
  const limit = quotaBytes === 0 ? Number.MAX_SAFE_INTEGER : quotaBytes;
  const insert = (db: Kysely<Database>) =>
    sql`
      INSERT INTO files (id, kind, room_id, uploader_id, name, type, size, width, height, thumb_size, message_seq, created_at)
      SELECT CAST(${row.id} AS text), CAST(${row.kind} AS text), CAST(${row.room_id} AS text),
        CAST(${row.uploader_id} AS text), CAST(${row.name} AS text), CAST(${row.type} AS text),
        CAST(${row.size} AS bigint), CAST(${row.width} AS integer), CAST(${row.height} AS integer),
        CAST(${row.thumb_size} AS bigint), CAST(${row.message_seq} AS bigint), CAST(${row.created_at} AS text)
      WHERE (SELECT coalesce(sum(size + coalesce(thumb_size, 0)), 0) FROM files WHERE uploader_id = ${row.uploader_id})
        + CAST(${row.size + (row.thumb_size ?? 0)} AS bigint) <= CAST(${limit} AS bigint)`.execute(db);
  const result =
    ctx.store.dialect === 'postgres'
      ? await ctx.store.db.transaction().execute(async (trx) => {
          await sql`SELECT pg_advisory_xact_lock(hashtext(${`parley:quota:${row.uploader_id}`}))`.execute(
            trx,
          );
          return insert(trx);
        })
      : await insert(ctx.store.db);
  if (Number(result.numAffectedRows ?? 0) === 0) fail('upload_quota_exceeded');
}
