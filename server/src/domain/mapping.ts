import type { User, UserSummary } from '@parley/protocol';
import type { UserRow } from '../store/schema.js';
import { avatarUrl } from './files/paths.js';

export function toUser(row: UserRow): User {
  const user: User = {
    id: row.id,
    username: row.username,
    guest: row.guest === 1,
    admin: row.admin === 1,
    createdAt: row.created_at,
  };
  if (row.avatar_id) user.avatar = avatarUrl(row.avatar_id);
  return user;
}

export function toSummary(user: { id: string; username: string; avatar?: string }): UserSummary {
  return user.avatar === undefined
    ? { id: user.id, username: user.username }
    : { id: user.id, username: user.username, avatar: user.avatar };
}
