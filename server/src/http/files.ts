import {
  AvatarReply,
  FileGrant,
  FileLinkQuery,
  FileParams,
  RoomIdParams,
  ThumbParams,
  UploadReply,
} from '@parley/protocol';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { avatarBlob, removeAvatar, setAvatar } from '../domain/files/avatars.js';
import { grantFor } from '../domain/files/links.js';
import { uploadLimits } from '../domain/files/quota.js';
import { fileHeaders, serveFile } from '../domain/files/serve.js';
import { formatBytes, type IncomingFile, uploadFile } from '../domain/files/upload.js';
import { AppError, fail } from '../errors.js';
import { authOf, bearer, requireAuth } from './auth.js';
import type { Ctx } from '../domain/context.js';
import type { App, Deps } from './types.js';

/** Room for the multipart framing around a file: a body longer than the limit plus this is refused unread. */
const framingBytes = 64 * 1024;
/** After a refusal mid-upload, this much more is read (and dropped) so the client hears the answer. */
const drainBytes = 8 * 1024 * 1024;

/** The one file part of a multipart request, streamed; refused early when its length says it is too big. */
async function incomingFile(ctx: Ctx, req: FastifyRequest): Promise<IncomingFile> {
  if (!req.isMultipart()) fail('unsupported_media_type', 'Send the file as multipart/form-data.');
  const { maxBytes } = uploadLimits(ctx);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + framingBytes) {
    throw new AppError('file_too_large', `Files are at most ${formatBytes(maxBytes)} on this server.`);
  }
  const part = await req.file({
    limits: { fileSize: maxBytes + 1, files: 1, fields: 4, parts: 5, fieldSize: 1024 },
    throwFileSizeLimit: false,
    // The name as the client sent it, so one that looks like a path is refused rather than trimmed.
    preservePath: true,
  });
  if (part?.fieldname !== 'file') fail('file_missing');
  return {
    stream: part.file,
    filename: part.filename,
    mimetype: part.mimetype,
    truncated: () => part.file.truncated,
  };
}

/**
 * When an upload is refused before its body was read, the rest is read and dropped (up to a bound) so
 * the client, still sending, gets the answer instead of a reset connection; past the bound it is cut.
 */
function drainOnError(req: FastifyRequest, reply: FastifyReply, error: unknown): never {
  const raw = req.raw;
  if (!raw.readableEnded) {
    let dropped = 0;
    raw.unpipe();
    raw.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > drainBytes) raw.destroy();
    });
    raw.resume();
    reply.header('connection', 'close');
  }
  throw error;
}

/** Files and avatars. Needs @fastify/multipart registered on the app (app.ts does). */
export function fileRoutes(app: App, { ctx }: Deps): void {
  const tags = ['files'];
  const authed = { onRequest: requireAuth(ctx) };

  app.post(
    '/api/chat/rooms/:id/files',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        description:
          'multipart/form-data with one part named `file`. Streamed to storage; at most UPLOAD_MAX_BYTES ' +
          '(413 `file_too_large`) and within the uploader’s quota (413 `upload_quota_exceeded`).',
        consumes: ['multipart/form-data'],
        params: RoomIdParams,
        response: { 201: UploadReply },
      },
    },
    async (req, reply) => {
      try {
        const file = await uploadFile(ctx, authOf(req), req.params.id, await incomingFile(ctx, req));
        return reply.status(201).send({ file });
      } catch (error) {
        drainOnError(req, reply, error);
      }
    },
  );

  app.get(
    '/api/files/grant',
    { ...authed, schema: { tags, security: bearer, response: { 200: FileGrant } } },
    async (req) => grantFor(ctx, authOf(req)),
  );

  // A download a client stopped reading holds its connection open, and with it the server's close:
  // streams still running when the server closes are ended.
  const streaming = new Set<Readable>();
  app.addHook('preClose', async () => {
    for (const body of streaming) body.destroy();
  });
  const track = (body: Readable) => {
    streaming.add(body);
    body.once('close', () => streaming.delete(body));
    return body;
  };

  const serve = (thumb: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    // Refusals carry the file headers too.
    reply.headers(fileHeaders(ctx));
    const { id } = req.params as { id: string };
    const query = req.query as { g?: string; s?: string };
    const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
    const served = await serveFile(ctx, id, query, { thumb, range });
    return reply.status(served.status).headers(served.headers).send(track(served.body));
  };
  app.get(
    '/api/files/:id/:name',
    { schema: { tags, params: FileParams, querystring: FileLinkQuery } },
    serve(false),
  );
  app.get(
    '/api/thumbs/:id',
    { schema: { tags, params: ThumbParams, querystring: FileLinkQuery } },
    serve(true),
  );

  app.put(
    '/api/me/avatar',
    {
      ...authed,
      schema: {
        tags,
        security: bearer,
        description: 'multipart/form-data with one part named `file`: an image, kept as a 256 px square.',
        consumes: ['multipart/form-data'],
        response: { 200: AvatarReply },
      },
    },
    async (req, reply) => {
      try {
        return { user: await setAvatar(ctx, authOf(req), await incomingFile(ctx, req)) };
      } catch (error) {
        drainOnError(req, reply, error);
      }
    },
  );
  app.delete(
    '/api/me/avatar',
    { ...authed, schema: { tags, security: bearer, response: { 200: AvatarReply } } },
    async (req) => ({ user: await removeAvatar(ctx, authOf(req)) }),
  );
  app.get('/api/avatars/:id', { schema: { tags, params: ThumbParams } }, async (req, reply) => {
    reply.headers(fileHeaders(ctx));
    const { body, size } = await avatarBlob(ctx, req.params.id);
    return reply
      .headers({
        'content-type': 'image/webp',
        'content-length': String(size),
        // A new avatar gets a new id: this one never changes.
        'cache-control': 'public, max-age=31536000, immutable',
      })
      .send(track(body));
  });
}
