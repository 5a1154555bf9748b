import type { Message, User, UserSummary } from '@parley/protocol';
import type { MessageRow, UserRow } from '../store/schema.js';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    guest: row.guest === 1,
    admin: row.admin === 1,
    createdAt: row.created_at,
  };
}

export function toSummary(user: { id: string; username: string }): UserSummary {
  return { id: user.id, username: user.username };
}

export function toMessage(row: MessageRow, author: UserSummary): Message {
  const message: Message = {
    id: row.id,
    roomId: row.room_id,
    seq: row.seq,
    author,
    text: row.text,
    createdAt: row.created_at,
  };
  if (row.client_id !== null) message.clientId = row.client_id;
  return message;
}
