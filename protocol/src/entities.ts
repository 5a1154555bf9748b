import { z } from 'zod';
import { RoomNotifications } from './attention.js';

export const Id = z.string().min(1).max(64);

export const UserSummary = z.object({
  id: z.string(),
  username: z.string(),
  /** The URL of the person's avatar (a square image), when they set one. */
  avatar: z.string().optional(),
  /** The name the person chose to be shown with their username, when they set one. */
  displayName: z.string().optional(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const User = UserSummary.extend({
  guest: z.boolean(),
  admin: z.boolean(),
  createdAt: z.string(),
  /** The signed-in person's own profile (see account.ts): their status, time zone and email address. */
  status: z.object({ text: z.string(), expiresAt: z.string().nullable() }).optional(),
  timeZone: z.string().optional(),
  email: z.string().optional(),
  emailVerified: z.boolean().optional(),
});
export type User = z.infer<typeof User>;

export const Visibility = z.enum(['public', 'private']);
export type Visibility = z.infer<typeof Visibility>;

export const RoomKind = z.enum(['room', 'dm']);
/** A moderator deletes any message and removes, mutes and bans members; owners also make moderators. */
export const Role = z.enum(['owner', 'moderator', 'member']);
export type Role = z.infer<typeof Role>;

export const Room = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** DMs are always private. */
  visibility: Visibility,
  kind: RoomKind,
  ownerId: z.string().nullable(),
  memberCount: z.number().int(),
  joined: z.boolean(),
  unreadCount: z.number().int(),
  /** The highest seq stored in the room (0 when empty). */
  lastSeq: z.number().int(),
  /** The caller's read position (0 when unread or not a member). */
  readSeq: z.number().int(),
  /** Messages after the caller's read position that mention them (by name, `@room` or `@here`). */
  unreadMentions: z.number().int().optional(),
  /** The caller's notification level and mute, when a member (see attention.ts). */
  notifications: RoomNotifications.optional(),
  /** For a DM: the other person. */
  peer: UserSummary.nullable(),
  createdAt: z.string(),
  /** The caller's role, when a member. */
  role: Role.optional(),
  /** An archived room is read-only: nobody sends, edits or reacts. */
  archived: z.boolean().optional(),
  /** Why the caller cannot send here (banned, muted, blocked), in words the client shows. */
  restriction: z
    .object({
      kind: z.enum(['banned', 'muted', 'blocked']),
      /** Null: until lifted. */
      until: z.string().nullable(),
      reason: z.string().nullable(),
    })
    .optional(),
});
export type Room = z.infer<typeof Room>;

export const Member = UserSummary.extend({
  role: Role,
  /** True when online or away (connected at all). */
  online: z.boolean(),
  /** `online`, `away` or `offline` (see presence.ts); absent from servers before away existed. */
  status: z.enum(['online', 'away', 'offline']).optional(),
  guest: z.boolean(),
  /** Present while the member is muted (can read, cannot send); `until` null: until unmuted. */
  muted: z.object({ until: z.string().nullable() }).optional(),
});
export type Member = z.infer<typeof Member>;
