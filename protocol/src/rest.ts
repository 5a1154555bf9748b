import { z } from 'zod';
import { Id, Member, Room, User, UserSummary, Visibility } from './entities.js';
import { Emoji, SendExtras } from './events.js';
import { limits } from './limits.js';
import { Message } from './messages.js';

// Lengths are checked loosely here (the wire ceiling) and precisely in the domain, so that an
// over-long username gets `invalid_username` rather than a generic validation error.
const text = (max: number) => z.string().max(max);

export const Credentials = z.object({
  username: text(200),
  password: text(1024),
});
export type Credentials = z.infer<typeof Credentials>;

/** Registration, with the code of an invite link when the server is invite-only. */
export const RegisterBody = Credentials.extend({ invite: text(200).optional() });
export type RegisterBody = z.infer<typeof RegisterBody>;

export const GuestBody = z.object({ nickname: text(200).optional() });
export type GuestBody = z.infer<typeof GuestBody>;

export const AuthReply = z.object({ user: User, token: z.string() });
export type AuthReply = z.infer<typeof AuthReply>;

export const MeReply = z.object({ user: User });

/** What the sign-in screen offers (issue 14): the single sign-on button, and whether passwords work. */
export const SignInOptions = z.object({
  /** The provider's button label, when single sign-on is configured. */
  oidc: z.object({ name: z.string() }).optional(),
  /** False when an admin turned sign-in with a password off. */
  passwordLogin: z.boolean(),
});
export type SignInOptions = z.infer<typeof SignInOptions>;

export const ServerConfigReply = z.object({
  maxMessageLength: z.number().int(),
  historyPageMax: z.number().int(),
  /** Whether the sign-in screen offers registration, asks for an invite, or neither (live settings). */
  registration: z.enum(['open', 'invite', 'closed']).optional(),
  guests: z.boolean().optional(),
  uploadMaxBytes: z.number().int().optional(),
  /** Presence changes reach a socket at most once per this many ms (`presence:changed`). */
  presenceWindowMs: z.number().int().optional(),
  /** A tab untouched or hidden for this long tells the server it is away (`presence:away`). */
  awayAfterMs: z.number().int().optional(),
  signIn: SignInOptions.optional(),
  /** "Forgot your password?" can mail a reset link (SMTP_URL and PUBLIC_URL are set). */
  passwordResetByEmail: z.boolean().optional(),
});
export type ServerConfigReply = z.infer<typeof ServerConfigReply>;

export const RoomIdParams = z.object({ id: Id });
export const RoomMemberParams = z.object({ id: Id, userId: Id });

export const CreateRoomBody = z.object({
  name: text(200),
  description: text(2000).optional(),
  visibility: Visibility.optional(),
});
export type CreateRoomBody = z.infer<typeof CreateRoomBody>;

export const UpdateRoomBody = z.object({
  name: text(200).optional(),
  description: text(2000).optional(),
});
export type UpdateRoomBody = z.infer<typeof UpdateRoomBody>;

export const AddMemberBody = z.object({ userId: Id });

/**
 * The caller's rooms (all of them) and a page of the public rooms they have not joined; `nextCursor`
 * fetches the next page of those.
 */
export const RoomsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(limits.roomPageMax).optional(),
  cursor: z.string().max(300).optional(),
});
export type RoomsQuery = z.infer<typeof RoomsQuery>;
export const RoomsReply = z.object({ rooms: z.array(Room), nextCursor: z.string().optional() });
export const RoomReply = z.object({ room: Room });
export const RoomDetailsReply = z.object({
  room: Room,
  /** Every member, or in a room of more than `memberLimits.inlineMax` the first page. */
  members: z.array(Member),
  /** Set when `members` is only the first page: the cursor of `GET /api/chat/rooms/:id/members`. */
  membersCursor: z.string().optional(),
  messages: z.array(Message),
  hasMore: z.boolean(),
});
export type RoomDetailsReply = z.infer<typeof RoomDetailsReply>;

const seqCursor = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const HistoryQuery = z.object({
  before: seqCursor.optional(),
  after: seqCursor.optional(),
  /** A page centred on this seq (for links and search results); ignores before/after. */
  around: seqCursor.optional(),
  limit: z.coerce.number().int().min(1).max(limits.historyPageMax).optional(),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

/**
 * A page of the room's main timeline (thread replies stay in their threads unless also sent to the
 * room), ascending by seq. `hasMore`: more exist in the direction of paging (older ones; newer ones for
 * `after`); `hasNewer` (answered for `around` and `after`): newer ones exist.
 */
export const HistoryReply = z.object({
  messages: z.array(Message),
  hasMore: z.boolean(),
  hasNewer: z.boolean().optional(),
});
export type HistoryReply = z.infer<typeof HistoryReply>;

export const SendBody = SendExtras.extend({
  text: text(limits.messageWireMax),
  clientId: z.string().min(1).max(limits.clientIdMax).optional(),
});
export type SendBody = z.infer<typeof SendBody>;
export const MessageReply = z.object({ message: Message });

const messageSeq = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const MessageParams = z.object({ id: Id, seq: messageSeq });
export const ReactionParams = MessageParams.extend({ emoji: Emoji });
export const EditBody = z.object({ text: text(limits.messageWireMax) });
export type EditBody = z.infer<typeof EditBody>;

export const ThreadQuery = z.object({
  after: seqCursor.optional(),
  limit: z.coerce.number().int().min(1).max(limits.threadPageMax).optional(),
});
/** A thread: its root and a page of replies in seq order; `hasMore` when later replies exist. */
export const ThreadReply = z.object({ root: Message, messages: z.array(Message), hasMore: z.boolean() });
export type ThreadReply = z.infer<typeof ThreadReply>;

/** The room's pinned messages, most recently pinned first. */
export const PinsReply = z.object({ messages: z.array(Message) });

export const ReadBody = z.object({ seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });

export const DmBody = z.object({ userId: Id });

export const UserSearchQuery = z.object({ q: z.string().max(64).optional() });
export const UsersReply = z.object({ users: z.array(UserSummary.extend({ online: z.boolean() })) });

export const UpgradeBody = RegisterBody;
