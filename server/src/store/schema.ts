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
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
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
  created_at: string;
}

export interface MembershipsTable {
  room_id: string;
  user_id: string;
  role: 'owner' | 'member';
  read_seq: Generated<number>;
  joined_at: string;
}

export interface MessagesTable {
  id: string;
  room_id: string;
  seq: number;
  author_id: string;
  text: string;
  client_id: string | null;
  created_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  rooms: RoomsTable;
  memberships: MembershipsTable;
  messages: MessagesTable;
}

export type UserRow = Selectable<UsersTable>;
export type RoomRow = Selectable<RoomsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessage = Insertable<MessagesTable>;
