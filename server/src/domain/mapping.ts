import type { User, UserSummary } from '@parley/protocol';
import type { UserRow } from '../store/schema.js';

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
