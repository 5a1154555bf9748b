import { z } from 'zod';
import { Id, Member, UserSummary } from './entities.js';
import { reasonMax, reportStatuses } from './moderation.limits.js';

const until = z.iso.datetime({ offset: true }).nullable().optional();
const reason = z.string().max(reasonMax).optional();

/** `PATCH /api/chat/rooms/:id/members/:userId`: owners make and unmake moderators. */
export const MemberRoleBody = z.object({ role: z.enum(['moderator', 'member']) });
export type MemberRoleBody = z.infer<typeof MemberRoleBody>;

/** `POST /api/chat/rooms/:id/bans`: removed, and cannot rejoin or be re-added until `until` (null: for good). */
export const BanBody = z.object({ userId: Id, until, reason });
export type BanBody = z.infer<typeof BanBody>;

/** `POST /api/chat/rooms/:id/mutes`: can read, cannot send, until `until` (null: until unmuted). */
export const MuteBody = z.object({ userId: Id, until, reason });
export type MuteBody = z.infer<typeof MuteBody>;

export const Ban = z.object({
  user: UserSummary,
  by: UserSummary.nullable(),
  reason: z.string().nullable(),
  until: z.string().nullable(),
  createdAt: z.string(),
});
export type Ban = z.infer<typeof Ban>;
export const BansReply = z.object({ bans: z.array(Ban) });

export const MemberReply = z.object({ member: Member });

/** People the caller blocked: no DMs from them, their messages collapsed. */
export const BlocksReply = z.object({ users: z.array(UserSummary) });
export const UserIdParams = z.object({ userId: Id });

export const ReportBody = z.object({ reason: z.string().max(reasonMax).optional() });
export const MessageSeqParams = z.object({
  id: Id,
  seq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

export const ReportStatus = z.enum(reportStatuses);
export type ReportStatus = z.infer<typeof ReportStatus>;

/** A message someone reported, as the moderators' queue shows it. */
export const Report = z.object({
  id: z.string(),
  room: z.object({ id: z.string(), name: z.string() }),
  seq: z.number().int(),
  /** The message as it was when reported (it may since have been edited or deleted). */
  text: z.string(),
  author: UserSummary,
  reporter: UserSummary,
  reason: z.string().nullable(),
  status: ReportStatus,
  createdAt: z.string(),
  resolvedBy: UserSummary.nullable(),
  resolvedAt: z.string().nullable(),
});
export type Report = z.infer<typeof Report>;
export const ReportReply = z.object({ report: Report });

const pageLimit = z.coerce.number().int().min(1).max(200).optional();
const cursor = z.string().max(200).optional();

export const ReportsQuery = z.object({
  status: ReportStatus.optional(),
  roomId: Id.optional(),
  limit: pageLimit,
  cursor,
});
export const ReportsReply = z.object({ reports: z.array(Report), nextCursor: z.string().optional() });
export const ReportIdParams = z.object({ id: Id });
export const ResolveReportBody = z.object({ status: z.enum(['resolved', 'dismissed']) });

/** A page of a list: `limit` items after the opaque `cursor` of the previous page. */
export const PageQuery = z.object({ limit: pageLimit, cursor });
export type PageQuery = z.infer<typeof PageQuery>;

/** What the caller may not do in a room, told to them when it changes. */
export const Restriction = z.object({
  kind: z.enum(['banned', 'muted', 'blocked']),
  until: z.string().nullable(),
  reason: z.string().nullable(),
});
export type Restriction = z.infer<typeof Restriction>;
