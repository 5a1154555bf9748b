import { z } from 'zod';
import { Member } from './entities.js';

export const memberLimits = {
  pageMax: 200,
  pageDefault: 100,
  /**
   * `GET /api/chat/rooms/:id` lists every member of a room up to this many; past it, the first page and
   * `membersCursor` for the rest (`GET /api/chat/rooms/:id/members`).
   */
  inlineMax: 500,
} as const;

/** `GET /api/chat/rooms/:id/members?limit=&cursor=&q=`: members by name, a page at a time. */
export const MembersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(memberLimits.pageMax).optional(),
  /** From the previous page's `cursor`. */
  cursor: z.string().max(200).optional(),
  /** Only members whose name starts with this (case-insensitive). */
  q: z.string().max(64).optional(),
});
export type MembersQuery = z.infer<typeof MembersQuery>;

export const MembersReply = z.object({
  members: z.array(Member),
  /** Present when there are more: pass it back as `cursor`. */
  cursor: z.string().optional(),
});
export type MembersReply = z.infer<typeof MembersReply>;
