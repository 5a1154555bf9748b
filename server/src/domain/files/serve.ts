import type { Readable } from 'node:stream';
import { AppError, fail } from '../../errors.js';
import type { ByteRange } from '../../store/blobs/index.js';
import type { Ctx } from '../context.js';
import { now } from '../ids.js';
import { checkLink } from './links.js';
import { servedInline } from './sniff.js';

export interface Served {
  body: Readable;
  /** The status and headers to answer with (200 or 206 for a range). */
  status: 200 | 206;
  headers: Record<string, string>;
}

/**
 * Headers on every file response. nosniff: the browser uses the type given, never one it guesses. The
 * CSP sandbox: even opened on its own, a file cannot run script or reach this origin's storage — an
 * HTML or SVG upload is inert. No referrer: a signed URL does not leak through a file's links.
 * Cross-origin resource policy: only this origin's pages may embed a file, unless the web client is
 * hosted on another origin (CORS_ORIGINS), whose pages must show images and avatars too; the signed
 * link, not the embedding page, is what lets a file be read.
 */
export const fileHeaders = (ctx: Ctx): Record<string, string> => ({
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': ctx.config.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin',
});

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` (one range; several are answered whole). */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw new AppError('range_not_satisfiable');
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) throw new AppError('range_not_satisfiable');
  return { start, end };
}

function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * A file (or its thumbnail) for the viewer a signed link names: the link must be intact and unexpired,
 * its session live and its viewer a member of the file's room, now. Anything else is a 404, as for a
 * file that does not exist.
 */
export async function serveFile(
  ctx: Ctx,
  fileId: string,
  link: { g?: string; s?: string },
  options: { thumb: boolean; range?: string },
): Promise<Served> {
  const viewer = checkLink(ctx, fileId, link.g, link.s);
  const row = await ctx.store.db
    .selectFrom('files')
    .innerJoin('memberships', (join) =>
      join.onRef('memberships.room_id', '=', 'files.room_id').on('memberships.user_id', '=', viewer.userId),
    )
    .innerJoin('sessions', (join) =>
      join
        .on('sessions.id', '=', viewer.sessionId)
        .on('sessions.user_id', '=', viewer.userId)
        .on('sessions.revoked_at', 'is', null)
        .on('sessions.expires_at', '>', now()),
    )
    .select(['files.id', 'files.name', 'files.type', 'files.size', 'files.thumb_size'])
    .where('files.id', '=', fileId)
    .where('files.kind', '=', 'file')
    .executeTakeFirst();
  if (!row) fail('file_not_found');
  if (options.thumb && row.thumb_size === null) fail('file_not_found');
  const size = Number(options.thumb ? row.thumb_size : row.size);
  const type = options.thumb ? 'image/webp' : row.type;
  const range = parseRange(options.range, size);
  const body = await ctx.blobs.get(options.thumb ? `${row.id}.t` : row.id, range);
  if (!body) fail('file_not_found');
  const inline = servedInline(type);
  const headers: Record<string, string> = {
    ...fileHeaders(ctx),
    'content-type': inline
      ? type === 'text/plain'
        ? 'text/plain; charset=utf-8'
        : type
      : 'application/octet-stream',
    'content-disposition': disposition(inline ? 'inline' : 'attachment', row.name),
    'content-length': String(range ? range.end - range.start + 1 : size),
    'accept-ranges': 'bytes',
    // Files never change; the URL (with its grant) is private to one viewer.
    'cache-control': 'private, max-age=3600',
    etag: `"${row.id}${options.thumb ? '.t' : ''}"`,
  };
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  return { body, status: range ? 206 : 200, headers };
}
