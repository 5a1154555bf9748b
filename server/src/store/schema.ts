import type { Generated, Insertable, Selectable } from 'kysely';

// Booleans are 0/1 integers and times ISO-8601 text, so one schema reads the same on SQLite and PostgreSQL.
export interface UsersTable {
  id: string;
  username: string;
  /** Lower-cased username: uniqueness ignores case. */
  username_key: string;
  password_hash: string | null;
  guest: number;
  admin: number;
  created_at: string;
  /** Set while an admin has disabled the account: it cannot sign in and has no sessions. */
  disabled_at: string | null;
  /** Set once an admin deleted the account; the row stays as "deleted user" for the messages kept. */
  deleted_at: string | null;
  /** The file id of the avatar, if any. */
  avatar_id: string | null;
  /** Shown with the username; null: the username alone. */
  display_name: string | null;
  /** The display name as the people finder matches it (`displayNameKey`: accents folded, lower case). */
  display_name_key: string | null;
  status_text: string | null;
  /** The status clears itself then; null: until changed. */
  status_expires_at: string | null;
  /** An IANA zone ("Europe/Paris"), for the local time others see. */
  time_zone: string | null;
  /** For password reset mails; used only once `email_verified_at` is set. */
  email: string | null;
  email_verified_at: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  user_agent: string | null;
  ip: string | null;
  /** Updated at most once a minute while the session is used. */
  last_seen_at: string | null;
}

export interface LoginFailuresTable {
  username_key: string;
  ip: string;
  failures: number;
  last_failed_at: string;
}

export interface AccountTokensTable {
  /** SHA-256 (hex) of the token: a leaked database holds no working link. */
  token_hash: string;
  kind: 'password_reset' | 'email_verify';
  user_id: string;
  email: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface RoomsTable {
  id: string;
  name: string;
  /** Lower-cased name for rooms (unique); null for DMs. */
  name_key: string | null;
  description: string;
  visibility: 'public' | 'private';
  kind: 'room' | 'dm';
  owner_id: string | null;
  /** "<lower id>:<higher id>" for a DM, so a pair has exactly one. */
  dm_key: string | null;
  /** The last seq handed out in this room; bumped in the transaction that stores a message. */
  last_seq: Generated<number>;
  /** The last rev handed out: bumped in the transaction of every change to one of the room's messages. */
  last_rev: Generated<number>;
  /** Messages up to this seq were cleared (or trimmed by retention), as of rev `floor_rev`. */
  floor_seq: Generated<number>;
  floor_rev: Generated<number>;
  created_at: string;
  /** Memberships of the room, kept by triggers on `memberships`. */
  member_count: Generated<number>;
  /** Set while the room is archived: read-only for everyone. */
  archived_at: string | null;
}

export interface MembershipsTable {
  room_id: string;
  user_id: string;
  role: 'owner' | 'moderator' | 'member';
  read_seq: Generated<number>;
  joined_at: string;
  /** The member can read but not send until then (far in the future for "until unmuted"). */
  muted_until: string | null;
  muted_reason: string | null;
  /** Received up to this seq (delivery ticks). */
  delivered_seq: Generated<number>;
  /** `all`, `mentions` or `none`; null: the room's default. */
  notify_level: 'all' | 'mentions' | 'none' | null;
  /** Nothing notifies until then. */
  notify_muted_until: string | null;
  /** The highest seq a push to this member covered. */
  pushed_seq: Generated<number>;
}

export interface MessagesTable {
  id: string;
  room_id: string;
  seq: number;
  author_id: string;
  text: string;
  client_id: string | null;
  created_at: string;
  /** The last rev of a change to it (its `born_rev` until it changes). */
  rev: number;
  /** The rev it was stored with; grows with seq (migration 0014). */
  born_rev: number;
  edited_at: string | null;
  deleted: number;
  /** JSON: `[{"e": emoji, "u": [userId, …]}, …]`. */
  reactions: string;
  pinned_by: string | null;
  pinned_at: string | null;
  thread_seq: number | null;
  also_in_room: number;
  thread_replies: number;
  thread_last_at: string | null;
  /** JSON: the latest repliers' ids, latest first, at most five. */
  thread_users: string;
  /** JSON: ids of the people mentioned. */
  mentions: string;
  /** JSON: the attached files as the message presents them (`MessageFile` without a signature). */
  files: string;
}

export interface FilesTable {
  id: string;
  /** 'file' (uploaded to a room) or 'avatar'. */
  kind: 'file' | 'avatar';
  room_id: string | null;
  uploader_id: string;
  name: string;
  /** Sniffed from the bytes. */
  type: string;
  size: number;
  width: number | null;
  height: number | null;
  thumb_size: number | null;
  /** The message it is attached to; null while pending (removed after a day). */
  message_seq: number | null;
  created_at: string;
}

export interface RoomBansTable {
  room_id: string;
  user_id: string;
  by_id: string | null;
  reason: string | null;
  /** The ban ends then; null: for good. */
  until: string | null;
  created_at: string;
}

export interface BlocksTable {
  user_id: string;
  blocked_id: string;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: string;
  updated_by: string | null;
}

export interface InvitesTable {
  id: string;
  code: string;
  created_by: string | null;
  note: Generated<string>;
  created_at: string;
  expires_at: string | null;
  max_uses: number | null;
  uses: Generated<number>;
  revoked_at: string | null;
}

export interface ReportsTable {
  id: string;
  room_id: string;
  seq: number;
  message_id: string;
  /** The text when reported: moderators judge what was reported, even if it was edited since. */
  text: string;
  author_id: string;
  reporter_id: string;
  reason: string | null;
  status: 'open' | 'resolved' | 'dismissed';
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
}

/** Append-only (the database refuses UPDATE and DELETE). */
export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  room_id: string | null;
  room_name: string | null;
  reason: string | null;
  outcome: 'done' | 'refused';
  /** JSON object, or null. */
  detail: string | null;
}

export interface SearchIndexTable {
  id: number;
  /** The index built: `fts5:<tokenizer>` (SQLite), `pg:<configuration>` (PostgreSQL), or `off`. */
  engine: string;
  backfill_rowid: Generated<number>;
  backfill_id: string | null;
  updated_at: string;
}

/** One person a message mentions; user_id "*" for `@room` (not counted for its author). */
export interface UserMentionsTable {
  room_id: string;
  user_id: string;
  seq: number;
  author_id: string;
}

export interface NotificationPrefsTable {
  user_id: string;
  read_receipts: Generated<number>;
  push_text: Generated<number>;
}

export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  session_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: string;
}

/** An OpenID Connect identity linked to an account (migration 0008). */
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: string;
}

/** A person's TOTP secret; `enabled_at` is null until a code confirmed the enrolment. */
export interface UserTotpTable {
  user_id: string;
  secret: string;
  enabled_at: string | null;
  /** The newest time step a code was accepted for: an older or equal one is a replay. */
  last_step: Generated<number>;
  created_at: string;
}

export interface UserRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  user_identities: UserIdentitiesTable;
  user_totp: UserTotpTable;
  user_recovery_codes: UserRecoveryCodesTable;
  rooms: RoomsTable;
  memberships: MembershipsTable;
  messages: MessagesTable;
  room_bans: RoomBansTable;
  blocks: BlocksTable;
  settings: SettingsTable;
  invites: InvitesTable;
  reports: ReportsTable;
  audit_log: AuditLogTable;
  search_index: SearchIndexTable;
  user_mentions: UserMentionsTable;
  notification_prefs: NotificationPrefsTable;
  push_subscriptions: PushSubscriptionsTable;
  files: FilesTable;
  account_tokens: AccountTokensTable;
  login_failures: LoginFailuresTable;
}

/** Profile columns (issue 14) are optional here so that code building a new user need not list them. */
type ProfileColumns =
  | 'display_name'
  | 'display_name_key'
  | 'status_text'
  | 'status_expires_at'
  | 'time_zone'
  | 'email'
  | 'email_verified_at';
export type UserRow = Omit<Selectable<UsersTable>, ProfileColumns> &
  Partial<Pick<Selectable<UsersTable>, ProfileColumns>>;
export type RoomRow = Selectable<RoomsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type FileRow = Selectable<FilesTable>;
export type NewMessage = Insertable<MessagesTable>;
