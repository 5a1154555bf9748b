import { z } from 'zod';
import { limitActions, type LimitAction } from './admin.limits.js';
import { Id, User, UserSummary } from './entities.js';

/** `count` actions at once, refilled evenly over `seconds`. */
export const RateLimit = z.object({
  count: z.number().int().min(1).max(1_000_000),
  seconds: z.number().int().min(1).max(86_400),
});
export type RateLimit = z.infer<typeof RateLimit>;

export const RateLimits = z.object(
  Object.fromEntries(limitActions.map((action) => [action, RateLimit])) as Record<
    LimitAction,
    typeof RateLimit
  >,
);
export type RateLimits = z.infer<typeof RateLimits>;

export const Registration = z.enum(['open', 'invite', 'closed']);
export type Registration = z.infer<typeof Registration>;

/** Who must sign in with a second factor (TOTP): nobody is forced, admins, or everyone with a password. */
export const TwoFactorRequirement = z.enum(['off', 'admins', 'everyone']);
export type TwoFactorRequirement = z.infer<typeof TwoFactorRequirement>;

/** Server settings, kept in the database and applied on every node without a restart. */
export const Settings = z.object({
  registration: Registration,
  guests: z.boolean(),
  /** Messages older than this are deleted; null keeps them forever. */
  retentionDays: z.number().int().min(0).max(36_500).nullable(),
  uploadMaxBytes: z
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 ** 3),
  /** What one person may store in uploads in all; 0 for no quota. */
  uploadQuotaBytes: z
    .number()
    .int()
    .min(0)
    .max(1024 ** 4),
  rateLimits: RateLimits,
  /** Off: only single sign-on signs people in (it can be turned off only while single sign-on is set up). */
  passwordLogin: z.boolean(),
  /** Those it names enrol at their next sign-in and cannot turn two-factor off. */
  twoFactor: TwoFactorRequirement,
});
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = Settings.extend({ rateLimits: RateLimits.partial() })
  .partial()
  .extend({
    /** Must equal `retentionDays` when that is below `retentionConfirmBelowDays`. */
    confirmRetentionDays: z.number().int().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;
export const SettingsReply = z.object({ settings: Settings });

const pageLimit = z.coerce.number().int().min(1).max(200).optional();
const cursor = z.string().max(200).optional();

export const AdminUser = User.extend({
  disabled: z.boolean(),
  online: z.boolean(),
  /** When the person last signed in (null: never, or before this was recorded). */
  lastSignInAt: z.string().nullable(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminUsersQuery = z.object({
  q: z.string().max(64).optional(),
  filter: z.enum(['all', 'admins', 'disabled', 'guests']).optional(),
  limit: pageLimit,
  cursor,
});
export type AdminUsersQuery = z.infer<typeof AdminUsersQuery>;
export const AdminUsersReply = z.object({ users: z.array(AdminUser), nextCursor: z.string().optional() });
export const AdminUserReply = z.object({ user: AdminUser });
export const AdminUserParams = z.object({ id: Id });

export const AdminUserPatch = z
  .object({ disabled: z.boolean().optional(), admin: z.boolean().optional() })
  .strict();
export type AdminUserPatch = z.infer<typeof AdminUserPatch>;

/** `DELETE /api/admin/users/:id?messages=keep|remove`: kept messages show "deleted user" as their author. */
export const DeleteUserQuery = z.object({ messages: z.enum(['keep', 'remove']).optional() });

export const AdminRoom = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  visibility: z.enum(['public', 'private']),
  archived: z.boolean(),
  owner: UserSummary.nullable(),
  memberCount: z.number().int(),
  lastSeq: z.number().int(),
  createdAt: z.string(),
});
export type AdminRoom = z.infer<typeof AdminRoom>;
export const AdminRoomsQuery = z.object({
  q: z.string().max(64).optional(),
  filter: z.enum(['all', 'public', 'private', 'archived']).optional(),
  limit: pageLimit,
  cursor,
});
export type AdminRoomsQuery = z.infer<typeof AdminRoomsQuery>;
export const AdminRoomsReply = z.object({ rooms: z.array(AdminRoom), nextCursor: z.string().optional() });
export const AdminRoomReply = z.object({ room: AdminRoom });
export const AdminRoomPatch = z.object({ archived: z.boolean() }).strict();

export const Invite = z.object({
  id: z.string(),
  /** The secret in the link: `<web client>/?invite=<code>`. */
  code: z.string(),
  createdBy: UserSummary.nullable(),
  note: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  maxUses: z.number().int().nullable(),
  uses: z.number().int(),
  revokedAt: z.string().nullable(),
});
export type Invite = z.infer<typeof Invite>;
export const InviteBody = z
  .object({
    /** Hours until the link stops working; absent: it never expires. */
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .optional(),
    maxUses: z.number().int().min(1).max(100_000).optional(),
    note: z.string().max(200).optional(),
  })
  .strict();
export type InviteBody = z.infer<typeof InviteBody>;
export const InviteReply = z.object({ invite: Invite });
export const InvitesReply = z.object({ invites: z.array(Invite), nextCursor: z.string().optional() });
export const InviteParams = z.object({ id: Id });

export const AuditOutcome = z.enum(['done', 'refused']);
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: UserSummary.nullable(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string(), name: z.string() }).nullable(),
  room: z.object({ id: z.string(), name: z.string() }).nullable(),
  reason: z.string().nullable(),
  outcome: AuditOutcome,
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditQuery = z.object({
  action: z.string().max(64).optional(),
  /** Matches the actor's or the target's name (prefix, any case). */
  q: z.string().max(64).optional(),
  actorId: Id.optional(),
  targetId: Id.optional(),
  roomId: Id.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: pageLimit,
  cursor,
});
export type AuditQuery = z.infer<typeof AuditQuery>;
export const AuditReply = z.object({ entries: z.array(AuditEntry), nextCursor: z.string().optional() });
