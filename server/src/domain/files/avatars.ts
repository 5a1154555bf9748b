import type { User } from '@parley/protocol';
import { fail } from '../../errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { now } from '../ids.js';
import { toUser } from '../mapping.js';
import { squareAvatar } from './images.js';
import { removeBlobs } from './lifecycle.js';
import { insertWithinQuota } from './quota.js';
import { isImage, sniffType } from './sniff.js';
import { type IncomingFile, receive } from './upload.js';

/**
 * Avatars go through the upload pipeline (streamed, size-capped, sniffed, pixel-bounded) and are kept
 * only as a 256 px square WebP without metadata. They are served without a signed link: an avatar is
 * shown beside every message, member and search result, in payloads framed once for many viewers, and
 * is no more private than the name beside it. Its URL holds a fresh random id per upload, so it can be
 * cached for good and is not guessable from the person.
 */
export async function setAvatar(ctx: Ctx, auth: Auth, incoming: IncomingFile): Promise<User> {
  let avatarId = '';
  await receive(ctx, auth.user.id, incoming, async (spool) => {
    const type = await sniffType(spool.head, incoming.filename || 'avatar', incoming.mimetype);
    if (!isImage(type)) fail('invalid_image', 'An avatar is a PNG, JPEG, GIF, WebP or AVIF image.');
    const { size } = await squareAvatar(spool.path, ctx.config.files.imageMaxPixels, spool.thumbPath);
    await insertWithinQuota(ctx, {
      id: spool.id,
      kind: 'avatar',
      room_id: null,
      uploader_id: auth.user.id,
      name: 'avatar.webp',
      type: 'image/webp',
      size,
      width: 256,
      height: 256,
      thumb_size: null,
      message_seq: null,
      created_at: now(),
    });
    try {
      await ctx.blobs.put(spool.id, spool.thumbPath, size, 'image/webp');
    } catch (error) {
      await ctx.store.db.deleteFrom('files').where('id', '=', spool.id).execute();
      throw error;
    }
    avatarId = spool.id;
  });
  return replaceAvatar(ctx, auth, avatarId);
}

/** `DELETE /api/me/avatar`: back to the initial. */
export function removeAvatar(ctx: Ctx, auth: Auth): Promise<User> {
  return replaceAvatar(ctx, auth, null);
}

async function replaceAvatar(ctx: Ctx, auth: Auth, avatarId: string | null): Promise<User> {
  await ctx.store.db
    .updateTable('users')
    .set({ avatar_id: avatarId })
    .where('id', '=', auth.user.id)
    .execute();
  // Every avatar of theirs but the current one goes, in one statement: two uploads racing cannot leave
  // the person pointing at a deleted image.
  const gone = await ctx.store.db
    .deleteFrom('files')
    .where('kind', '=', 'avatar')
    .where('uploader_id', '=', auth.user.id)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('users')
            .select('users.id')
            .where('users.id', '=', auth.user.id)
            .whereRef('users.avatar_id', '=', 'files.id'),
        ),
      ),
    )
    .returning('id')
    .execute();
  await removeBlobs(
    ctx,
    gone.map((file) => file.id),
  );
  const row = await ctx.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', auth.user.id)
    .executeTakeFirst();
  if (!row) fail('user_not_found');
  ctx.events.emit('user.renamed', { userId: auth.user.id });
  return toUser(row);
}

/** An avatar's bytes: anyone may fetch one by its id (see above). */
export async function avatarBlob(ctx: Ctx, id: string) {
  const row = await ctx.store.db
    .selectFrom('files')
    .select(['id', 'size'])
    .where('id', '=', id)
    .where('kind', '=', 'avatar')
    .executeTakeFirst();
  const body = row ? await ctx.blobs.get(row.id) : null;
  if (!row || !body) fail('file_not_found');
  return { body, size: Number(row.size) };
}
