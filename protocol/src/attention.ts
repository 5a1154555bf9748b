import { z } from 'zod';

// Not imported from entities.ts, which imports this module (Room and Message carry attention fields).
const Id = z.string().min(1).max(64);

/**
 * Attention: mentions, read receipts, notification levels and Web Push.
 *
 * Mentions: `@username` resolves to that member's id in `Message.mentions`; `@room` (everyone in the
 * room) and `@here` (those online when it was sent) are not expanded into ids — the message carries
 * `groupMention: "room" | "here"` instead, so a mention of a 10,000-member room is not 10,000 ids in
 * every payload. Each member's `Room.unreadMentions` counts what mentions them after their read position.
 */
export const GroupMention = z.enum(['room', 'here']);
export type GroupMention = z.infer<typeof GroupMention>;

/** The words that mention a whole room; a person named "room" or "here" is mentioned as `@room` anyway. */
export const groupMentionWords: readonly GroupMention[] = ['room', 'here'];

/** `all`: every message; `mentions`: direct messages and mentions of you; `none`: nothing. */
export const NotifyLevel = z.enum(['all', 'mentions', 'none']);
export type NotifyLevel = z.infer<typeof NotifyLevel>;

/** The caller's notification settings for one room, on `Room.notifications`. */
export const RoomNotifications = z.object({
  /** What notifies (the room's default unless `custom`). */
  level: NotifyLevel,
  /** False while the level is the default: DMs and small rooms `all`, big rooms `mentions`. */
  custom: z.boolean(),
  /** Muted: nothing notifies and the unread count stays quiet; mentions are still counted. */
  muted: z.boolean(),
  /** When a mute ends; null while muted until turned back on (or not muted). */
  mutedUntil: z.string().nullable(),
});
export type RoomNotifications = z.infer<typeof RoomNotifications>;

/**
 * `PUT /api/chat/rooms/:id/notifications`. `level: "default"` goes back to the room's default.
 * `mutedUntil`: a time mutes until then, `"forever"` until turned back on, null unmutes; absent leaves
 * the mute as it is.
 */
export const RoomNotificationsBody = z.object({
  level: z.union([NotifyLevel, z.literal('default')]).optional(),
  mutedUntil: z.union([z.iso.datetime({ offset: true }), z.literal('forever'), z.null()]).optional(),
});
export type RoomNotificationsBody = z.infer<typeof RoomNotificationsBody>;
export const RoomNotificationsReply = z.object({ notifications: RoomNotifications });

/** A person's own attention settings (`GET`/`PATCH /api/me/notifications`). */
export const NotificationPrefs = z.object({
  /**
   * Others see how far you have read. Off: they do not, and you see none of theirs (delivery ticks
   * stay), as in the messengers people know.
   */
  readReceipts: z.boolean(),
  /** Pushes show the message's text; off: only who wrote in which room. */
  pushText: z.boolean(),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;
export const NotificationPrefsBody = NotificationPrefs.partial();
export const NotificationPrefsReply = z.object({ prefs: NotificationPrefs });

/**
 * One member's positions: `seq` read up to (absent when they do not share read receipts, or the caller
 * does not), `deliveredSeq` received up to. Both count thread replies too (they carry `threadSeq`).
 */
export const ReadPosition = z.object({
  userId: z.string(),
  seq: z.number().int().optional(),
  deliveredSeq: z.number().int(),
});
export type ReadPosition = z.infer<typeof ReadPosition>;

export const ReadsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  /** The last userId of the previous page. */
  after: Id.optional(),
});
/** `GET /api/chat/rooms/:id/reads`: the members' positions by user id; `nextAfter` pages on. */
export const ReadsReply = z.object({
  reads: z.array(ReadPosition),
  nextAfter: z.string().optional(),
  /** Whether positions change live (`room:read`, `room:delivered`) in this room: small enough for it. */
  live: z.boolean(),
});
export type ReadsReply = z.infer<typeof ReadsReply>;

const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Client → server `delivered {roomId, seq}` (and `POST …/delivered {seq}`): received up to `seq`. */
export const DeliveredEvent = z.object({ roomId: Id, seq });
export type DeliveredEvent = z.infer<typeof DeliveredEvent>;
export const DeliveredBody = z.object({ seq });

/** What a browser's PushManager hands out (`PushSubscription.toJSON()`), minus what Parley ignores. */
export const PushSubscriptionBody = z.object({
  endpoint: z.string().max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: z.string().max(200), auth: z.string().max(100) }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;
export const PushUnsubscribeBody = z.object({ endpoint: z.string().max(2048) });
/** `GET /api/push/key`: the server's VAPID public key, for `PushManager.subscribe`'s applicationServerKey. */
export const PushKeyReply = z.object({ key: z.string() });

export const attentionLimits = {
  /** Push subscriptions one person may hold (browsers and devices). */
  pushSubscriptionsMax: 10,
  /** Distinct `@names` resolved in one message; more are left as text. */
  mentionsPerMessageMax: 50,
} as const;

/**
 * The payload of a push (JSON, encrypted for the browser), read by the service worker. `url` is the
 * client address of the room at the message (`#/rooms/ID/messages/SEQ`); `badge` the person's unread
 * total for the app icon; `text` absent when they chose not to show message text.
 */
export interface PushPayload {
  roomId: string;
  seq: number;
  title: string;
  body: string;
  tag: string;
  url: string;
  badge: number;
  count: number;
}
