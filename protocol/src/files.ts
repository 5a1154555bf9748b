import { z } from 'zod';
import { Id, User } from './entities.js';
import { MessageFile } from './messages.js';

/**
 * Files. Upload with `POST /api/chat/rooms/:id/files` (multipart, one part named `file`), then send a
 * message with `files: [file.id]`. A message's files carry `url` (the file) and, for images, `thumbUrl`
 * (a WebP thumbnail); an avatar is served from `/api/avatars/:id`.
 *
 * File URLs are signed for one viewer and expire: `<url>?g=<grant>&s=<signature>`. A message is framed
 * once for every socket of its room, so broadcast payloads carry the bare path; REST replies carry it
 * signed for their one caller. A client asks for a grant (`GET /api/files/grant`): the grant names the
 * viewer and its expiry, and comes with a key derived by the server from its secret and the grant. The
 * client signs each file id with that key (`signFileUrl`), so a URL names both the file and the viewer
 * and a copied link opens that one file, for that viewer, until the grant expires. The server derives the
 * key again to check the signature, then checks at every fetch that the viewer's session is live and
 * that they are a member of the file's room.
 */
export const UploadedFile = MessageFile.extend({
  roomId: z.string(),
  createdAt: z.string(),
});
export type UploadedFile = z.infer<typeof UploadedFile>;
export const UploadReply = z.object({ file: UploadedFile });
export type UploadReply = z.infer<typeof UploadReply>;

export const FileGrant = z.object({
  /** `<userId>.<sessionId>.<expiry in unix seconds>`. */
  grant: z.string(),
  /** base64url HMAC-SHA256 key for `signFileUrl`. */
  key: z.string(),
  expiresAt: z.string(),
});
export type FileGrant = z.infer<typeof FileGrant>;

export const FileParams = z.object({ id: Id, name: z.string().max(1000) });
export const ThumbParams = z.object({ id: Id });
export const FileLinkQuery = z.object({
  g: z.string().max(300).optional(),
  s: z.string().max(100).optional(),
});

export const AvatarReply = z.object({ user: User });

/** Names a file may not have: path separators, control characters, "." and "..". */
export const unsafeFileName = (name: string): boolean =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  /[/\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..';

export const fileNameMax = 255;
