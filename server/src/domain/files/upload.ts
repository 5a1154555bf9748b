import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UploadedFile } from '@parley/protocol';
import { AppError, fail } from '../../errors.js';
import type { FileRow } from '../../store/schema.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { newId, now } from '../ids.js';
import { memberRoom } from '../rooms/access.js';
import { processImage } from './images.js';
import { signFiles } from './links.js';
import { toMessageFile } from './present.js';
import { insertWithinQuota, uploadLimits, usedBytes } from './quota.js';
import { checkName, isImage, sniffBytes, sniffType } from './sniff.js';

export interface IncomingFile {
  stream: Readable;
  filename: string;
  mimetype: string;
  /** Whether the multipart parser cut the part short at its size limit. */
  truncated: () => boolean;
}

/** Uploads in progress are written here (on the node's own disk, even with S3) until they are whole. */
export const uploadDir = (ctx: Ctx) => path.join(ctx.config.dataDir, 'uploads');

/** Counts the bytes as they pass, keeps the first few for sniffing, and fails past `cap`. */
class Counter extends Transform {
  bytes = 0;
  readonly head: Buffer[] = [];
  #headBytes = 0;
  readonly #cap: number;
  readonly #over: () => AppError;

  constructor(cap: number, over: () => AppError) {
    super();
    this.#cap = cap;
    this.#over = over;
  }

  override _transform(chunk: Buffer, _encoding: string, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    if (this.bytes > this.#cap) return done(this.#over());
    if (this.#headBytes < sniffBytes) {
      const part = chunk.subarray(0, sniffBytes - this.#headBytes);
      this.head.push(Buffer.from(part));
      this.#headBytes += part.length;
    }
    done(null, chunk);
  }
}

/**
 * Writes an incoming file to a temporary file on this node, counting as it goes: past the size limit
 * or the uploader's remaining quota the transfer is cut and 413 answered; a cancelled upload or a bad
 * one (empty, lying about its type, an image bomb) is refused. Either way the temporary files are
 * removed and nothing reaches storage. Never holds the file in memory.
 */
export async function receive(
  ctx: Ctx,
  userId: string,
  incoming: IncomingFile,
  work: (spool: Spool) => Promise<void>,
): Promise<void> {
  const { maxBytes, quotaBytes } = uploadLimits(ctx);
  const remaining = quotaBytes === 0 ? Number.POSITIVE_INFINITY : quotaBytes - (await usedBytes(ctx, userId));
  if (remaining <= 0) fail('upload_quota_exceeded');
  const cap = Math.min(maxBytes, remaining);
  const over = () =>
    cap < maxBytes
      ? new AppError('upload_quota_exceeded')
      : new AppError('file_too_large', `Files are at most ${formatBytes(maxBytes)} on this server.`);
  const id = newId();
  const dir = uploadDir(ctx);
  await fs.promises.mkdir(dir, { recursive: true });
  const spool: Spool = {
    id,
    path: path.join(dir, `${id}.part`),
    thumbPath: path.join(dir, `${id}.thumb`),
    cleanPath: path.join(dir, `${id}.clean`),
    size: 0,
    head: Buffer.alloc(0),
  };
  const counter = new Counter(cap, over);
  try {
    try {
      await pipeline(incoming.stream, counter, fs.createWriteStream(spool.path, { flags: 'wx' }));
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('upload_incomplete');
    }
    if (incoming.truncated()) throw over();
    if (counter.bytes === 0) fail('file_empty');
    spool.size = counter.bytes;
    spool.head = Buffer.concat(counter.head);
    await work(spool);
  } finally {
    await Promise.all(
      [spool.path, spool.thumbPath, spool.cleanPath].map((file) => fs.promises.rm(file, { force: true })),
    );
  }
}

export interface Spool {
  id: string;
  path: string;
  thumbPath: string;
  cleanPath: string;
  size: number;
  head: Buffer;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${Math.round((bytes / 1024 ** 3) * 10) / 10} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * `POST /api/chat/rooms/:id/files`: a member uploads a file to the room; it waits there, unattached,
 * until the uploader sends a message with it (or is removed after UPLOAD_UNATTACHED_TTL_SECONDS). The
 * row is written (within the quota, checked again in its transaction) before the blobs, so no blob is
 * ever stored without a row that accounts for it.
 */
export async function uploadFile(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  incoming: IncomingFile,
): Promise<UploadedFile> {
  await memberRoom(ctx, auth.user.id, roomId);
  const name = checkName(incoming.filename);
  let row: FileRow | undefined;
  await receive(ctx, auth.user.id, incoming, async (spool) => {
    const type = await sniffType(spool.head, name, incoming.mimetype);
    const image = isImage(type)
      ? await processImage(spool.path, type, ctx.config.files.imageMaxPixels, spool)
      : undefined;
    const original = image?.cleanSize === undefined ? spool.path : spool.cleanPath;
    row = {
      id: spool.id,
      kind: 'file',
      room_id: roomId,
      uploader_id: auth.user.id,
      name,
      type,
      size: image?.cleanSize ?? spool.size,
      width: image?.width ?? null,
      height: image?.height ?? null,
      thumb_size: image?.thumbSize ?? null,
      message_seq: null,
      created_at: now(),
    };
    await insertWithinQuota(ctx, row);
    try {
      await ctx.blobs.put(spool.id, original, row.size, type);
      if (image) await ctx.blobs.put(`${spool.id}.t`, spool.thumbPath, image.thumbSize, 'image/webp');
    } catch (error) {
      await ctx.store.db.deleteFrom('files').where('id', '=', spool.id).execute();
      await ctx.blobs.delete([spool.id, `${spool.id}.t`]).catch(() => {});
      throw new AppError('unavailable', `The file could not be stored: ${(error as Error).message}`);
    }
  });
  const stored = row as unknown as FileRow;
  const [file] = signFiles(ctx, auth, [toMessageFile(stored)]);
  return { ...(file as ReturnType<typeof toMessageFile>), roomId, createdAt: stored.created_at };
}
