import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FileGrant, Message, MessageFile } from '@parley/protocol';
import { fail } from '../../errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';

/*
 * Signed file links (the scheme is described for clients in protocol/src/files.ts). `<img>` cannot send
 * a bearer token, so a file's URL carries its own proof: a grant naming the viewer, their session and an
 * expiry, and a signature of the file id under a key derived from the server's secret and that grant.
 * Messages are framed once for a whole room, so broadcasts cannot carry per-viewer signatures; a client
 * holds its grant's key and signs the ids itself, and the server derives the same key to check. A
 * leaked URL opens one file, for one viewer, until the grant expires; the viewer's session and
 * membership of the file's room are checked again at every fetch.
 */

const masters = new WeakMap<Ctx['tokens'], Buffer>();
function master(ctx: Ctx): Buffer {
  let key = masters.get(ctx.tokens);
  if (!key) {
    key = createHmac('sha256', ctx.tokens.secret).update('parley file links v1').digest();
    masters.set(ctx.tokens, key);
  }
  return key;
}

const keyOf = (ctx: Ctx, grant: string) => createHmac('sha256', master(ctx)).update(grant).digest();
const signatureOf = (key: Buffer, fileId: string) =>
  createHmac('sha256', key).update(fileId).digest().subarray(0, 16).toString('base64url');

/**
 * The caller's grant. Expiries fall on multiples of the TTL, so every grant made in one window is the
 * same and a browser's cached images keep their URLs; each is valid for between one and two TTLs.
 */
export function grantFor(ctx: Ctx, auth: Auth): FileGrant {
  const ttl = ctx.config.files.linkTtlSeconds;
  const expires = (Math.floor(Date.now() / 1000 / ttl) + 2) * ttl;
  const grant = `${auth.user.id}.${auth.sessionId}.${expires}`;
  return {
    grant,
    key: keyOf(ctx, grant).toString('base64url'),
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

/** Who a link was signed for; refuses a tampered link (`file_link_invalid`) or an expired one. */
export function checkLink(
  ctx: Ctx,
  fileId: string,
  grant: string | undefined,
  signature: string | undefined,
): { userId: string; sessionId: string } {
  if (!grant || !signature) fail('file_link_invalid', 'This file link is not signed.');
  const parts = grant.split('.');
  const [userId, sessionId, expires] = parts;
  if (parts.length !== 3 || !userId || !sessionId || !/^\d{1,12}$/.test(expires ?? ''))
    fail('file_link_invalid');
  const expected = Buffer.from(signatureOf(keyOf(ctx, grant), fileId));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) fail('file_link_invalid');
  if (Number(expires) <= Date.now() / 1000) fail('file_link_expired');
  return { userId, sessionId };
}

function signFile(key: Buffer, grant: string, file: MessageFile): MessageFile {
  const query = `?g=${encodeURIComponent(grant)}&s=${signatureOf(key, file.id)}`;
  const signed = { ...file };
  if (file.url) signed.url = file.url + query;
  if (file.thumbUrl) signed.thumbUrl = file.thumbUrl + query;
  return signed;
}

/** The files' URLs signed for one caller (for a reply that goes to them alone). */
export function signFiles(ctx: Ctx, auth: Auth, files: MessageFile[]): MessageFile[] {
  if (files.length === 0) return files;
  const { grant } = grantFor(ctx, auth);
  const key = keyOf(ctx, grant);
  return files.map((file) => signFile(key, grant, file));
}

/**
 * Messages as one caller receives them in a reply: copies with signed file URLs where they have files
 * (never changing the objects, which may be the ones broadcast), the others as they are.
 */
export function signMessages(ctx: Ctx, auth: Auth, messages: Message[]): Message[] {
  if (!messages.some((message) => message.files.length > 0)) return messages;
  return messages.map((message) =>
    message.files.length === 0 ? message : { ...message, files: signFiles(ctx, auth, message.files) },
  );
}
