import { z } from 'zod';
import { Id, RoomKind, UserSummary, Visibility } from './entities.js';
import { Message } from './messages.js';

/** Limits of a search, shared by the server's checks and the client's box. */
export const searchLimits = {
  /** Longest query, in characters, after trimming. */
  queryMax: 256,
  /** Words and phrases in one query (operators such as `from:` not counted). */
  termsMax: 16,
  pageDefault: 20,
  pageMax: 50,
} as const;

/**
 * `GET /api/search`. `q` holds words, `"exact phrases"`, `-excluded` words, `prefix*` and the operators
 * `from:@user`, `in:#room` (or `in:@user` for a DM), `has:file`, `has:link`, `before:`, `after:` and
 * `on:` with a date (YYYY-MM-DD, UTC). The parameters narrow it the same way. Results come from the
 * rooms the caller is a member of, plus the public rooms they may join when `public=true`.
 */
export const SearchQuery = z.object({
  q: z.string().max(2000),
  roomId: Id.optional(),
  /** A username (with or without "@") or a user id. */
  from: z.string().max(64).optional(),
  /** Messages sent before this date or time (ISO-8601). */
  before: z.string().max(40).optional(),
  /** Messages sent on or after this date or time (ISO-8601). */
  after: z.string().max(40).optional(),
  /** `newest` (default) or `relevance` (best match first). */
  sort: z.enum(['newest', 'relevance']).optional(),
  /** Also search the public rooms the caller has not joined. */
  public: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(searchLimits.pageMax).optional(),
  /** The `cursor` of the previous page, to get the next one. */
  cursor: z.string().max(200).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** Characters `start` (inclusive) to `end` (exclusive) of a text, in UTF-16 code units (JS string indexes). */
export const TextRange = z.object({ start: z.number().int(), end: z.number().int() });
export type TextRange = z.infer<typeof TextRange>;

/** The room of a result, enough to group and label results (DMs are named after the other person). */
export const SearchRoom = z.object({
  id: z.string(),
  name: z.string(),
  kind: RoomKind,
  visibility: Visibility,
  /** False for a public room the caller has not joined (`public=true`). */
  joined: z.boolean(),
  /** For a DM: the other person, whose display name (when they set one) is the room's label. */
  peer: UserSummary.optional(),
});
export type SearchRoom = z.infer<typeof SearchRoom>;

/** A message found, its room, and where in `message.text` the query matched. */
export const SearchResult = z.object({
  message: Message,
  room: SearchRoom,
  highlights: z.array(TextRange),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const SearchReply = z.object({
  results: z.array(SearchResult),
  /** Present when more results may follow: pass it back as `cursor`. */
  cursor: z.string().optional(),
  /**
   * True while the server is still indexing messages stored before search was switched on: older
   * messages may be missing from the results until it finishes.
   */
  indexing: z.boolean().optional(),
});
export type SearchReply = z.infer<typeof SearchReply>;
