import { sql } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Ctx } from '../context.js';

/** The blob keys of a file: the original (or an avatar) and its thumbnail. */
const keysOf = (ids: string[]) => ids.flatMap((id) => [id, `${id}.t`]);

/**
 * Removes the blobs of files whose rows are already gone (deleted in the transaction that removed what
 * held them). Storage that fails is retried a few times; what still fails is logged: an orphaned blob
 * costs space, never exposure, since no row leads to it.
 */
export async function removeBlobs(ctx: Ctx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.blobs.delete(keysOf(ids));
      return;
    } catch (error) {
      if (attempt >= 3) {
        ctx.log.error({ err: error, files: ids }, 'could not remove the blobs of deleted files');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/**
 * Deletes every file of a room, rows then blobs: for deleting a room (and anything else that removes a
 * room's history wholesale). Messages cleared or deleted through the writer take their files already.
 */
export async function deleteRoomFiles(ctx: Ctx, roomId: string): Promise<void> {
  const gone = await ctx.store.db.deleteFrom('files').where('room_id', '=', roomId).returning('id').execute();
  await removeBlobs(
    ctx,
    gone.map((row) => row.id),
  );
}

/**
 * For deleting an account: the person's avatar and the uploads they never attached. Files attached to
 * messages go with those messages (deleted through the writer), or stay with the messages kept.
 */
export async function deleteUserFiles(ctx: Ctx, userId: string): Promise<void> {
  await ctx.store.db.updateTable('users').set({ avatar_id: null }).where('id', '=', userId).execute();
  const gone = await ctx.store.db
    .deleteFrom('files')
    .where('uploader_id', '=', userId)
    .where('message_seq', 'is', null)
    .returning('id')
    .execute();
  await removeBlobs(
    ctx,
    gone.map((row) => row.id),
  );
}

/**
 * Removes uploads never attached to a message within UPLOAD_UNATTACHED_TTL_SECONDS, and files whose room
 * no longer exists. Every node runs it; a row is deleted once, and only its deleter removes the blobs.
 * A send attaching a file at the same moment is serialized with this delete by the database: either the
 * message gets the file, or the send is refused with `file_not_found`.
 */
export async function sweepFiles(ctx: Ctx): Promise<number> {
  const cutoff = new Date(Date.now() - ctx.config.files.unattachedTtlSeconds * 1000).toISOString();
  const stale = await ctx.store.db
    .deleteFrom('files')
    .where('kind', '=', 'file')
    .where('message_seq', 'is', null)
    .where('created_at', '<', cutoff)
    .returning('id')
    .execute();
  const orphaned = await ctx.store.db
    .deleteFrom('files')
    .where('kind', '=', 'file')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('rooms').select(sql`1`.as('one')).whereRef('rooms.id', '=', 'files.room_id'))),
    )
    .returning('id')
    .execute();
  const ids = [...stale, ...orphaned].map((row) => row.id);
  await removeBlobs(ctx, ids);
  return ids.length;
}

/**
 * Starts what files need while the server runs: blobs removed after the writer commits the deletion of
 * their rows, the periodic sweep, and the stored-bytes gauge. Returns the stop.
 */
export function startFileLifecycle(ctx: Ctx, registry: Registry): () => void {
  const onDeleted = ({ ids }: { ids: string[] }) => removeBlobs(ctx, ids);
  ctx.events.on('files.deleted', onDeleted);
  const timer = setInterval(() => {
    sweepFiles(ctx).catch((error: unknown) => ctx.log.warn({ err: error }, 'the file sweep failed'));
  }, ctx.config.files.sweepIntervalMs);
  timer.unref();
  new Gauge({
    name: 'parley_file_bytes',
    help: 'Bytes of files, thumbnails and avatars in storage.',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const rows = await ctx.store.db
        .selectFrom('files')
        .select(['kind', sql<string | number>`coalesce(sum(size + coalesce(thumb_size, 0)), 0)`.as('bytes')])
        .groupBy('kind')
        .execute();
      this.reset();
      this.set({ kind: 'file' }, 0);
      this.set({ kind: 'avatar' }, 0);
      for (const row of rows) this.set({ kind: row.kind }, Number(row.bytes));
    },
  });
  return () => {
    clearInterval(timer);
    ctx.events.off('files.deleted', onDeleted);
  };
}
