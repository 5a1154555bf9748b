import { z } from 'zod';
import { Id, UserSummary } from './entities.js';
import { profileLimits } from './account.rules.js';

/** A short status ("In a meeting"), cleared by the server at `expiresAt` when one is given. */
export const UserStatus = z.object({
  text: z.string().max(profileLimits.statusMax),
  expiresAt: z.string().nullable(),
});
export type UserStatus = z.infer<typeof UserStatus>;

/** A person as their card shows them. */
export const Profile = UserSummary.extend({
  guest: z.boolean(),
  status: UserStatus.optional(),
  /** IANA time zone, for their local time. */
  timeZone: z.string().optional(),
  online: z.boolean(),
  deleted: z.boolean().optional(),
});
export type Profile = z.infer<typeof Profile>;
export const ProfileReply = z.object({ profile: Profile });
export const UserParams = z.object({ id: Id });

/** `PATCH /api/me`: null clears a field. */
export const ProfilePatch = z.object({
  displayName: z.string().max(200).nullable().optional(),
  status: z
    .object({ text: z.string().max(500), expiresAt: z.string().max(40).nullable().optional() })
    .nullable()
    .optional(),
  timeZone: z.string().max(100).nullable().optional(),
  /** Set (unverified until the mailed link is opened) or remove the address password resets go to. */
  email: z.string().max(500).nullable().optional(),
});
export type ProfilePatch = z.infer<typeof ProfilePatch>;

export const PasswordChangeBody = z.object({
  current: z.string().max(1024),
  password: z.string().max(1024),
});
export type PasswordChangeBody = z.infer<typeof PasswordChangeBody>;

/** One place the account is signed in. */
export const SessionInfo = z.object({
  id: z.string(),
  /** The session this request came from. */
  current: z.boolean(),
  /** "Firefox 128 on Windows", from the user agent; "Unknown device" without one. */
  device: z.string(),
  browser: z.string().optional(),
  os: z.string().optional(),
  address: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
export const SessionsReply = z.object({ sessions: z.array(SessionInfo) });
export const SessionParams = z.object({ id: Id });
export const SessionsEndedReply = z.object({ ended: z.number().int() });

/** `DELETE /api/me`: the password (guests have none) and what becomes of the messages. */
export const DeleteMeBody = z.object({
  password: z.string().max(1024).optional(),
  messages: z.enum(['keep', 'remove']),
});
export type DeleteMeBody = z.infer<typeof DeleteMeBody>;

/** An admin's one-time link for someone who forgot their password. */
export const ResetLinkReply = z.object({ url: z.string(), token: z.string(), expiresAt: z.string() });
export type ResetLinkReply = z.infer<typeof ResetLinkReply>;
export const ForgotPasswordBody = z.object({ username: z.string().max(500) });
export const ResetTokenBody = z.object({ token: z.string().max(200) });
export const ResetCheckReply = z.object({ username: z.string(), expiresAt: z.string() });
export const ResetPasswordBody = z.object({ token: z.string().max(200), password: z.string().max(1024) });
export const EmailVerifyBody = z.object({ token: z.string().max(200) });
