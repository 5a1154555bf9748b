import type { User, UserSummary } from '@parley/protocol';
import type { UserRow } from '../store/schema.js';
import { avatarUrl } from './files/paths.js';

/** A status past its expiry is no status: readers clear it, so no job has to. */
export function liveStatus(
  row: Pick<UserRow, 'status_text' | 'status_expires_at'>,
  at = Date.now(),
): { text: string; expiresAt: string | null } | undefined {
  if (!row.status_text) return undefined;
  const expiresAt = row.status_expires_at ?? null;
  if (expiresAt !== null && Date.parse(expiresAt) <= at) return undefined;
  return { text: row.status_text, expiresAt };
}

export function toUser(row: UserRow): User {
  const user: User = {
    id: row.id,
    username: row.username,
    guest: row.guest === 1,
    admin: row.admin === 1,
    createdAt: row.created_at,
  };
  if (row.avatar_id) user.avatar = avatarUrl(row.avatar_id);
  if (row.display_name) user.displayName = row.display_name;
  const status = liveStatus(row);
  if (status) user.status = status;
  if (row.time_zone) user.timeZone = row.time_zone;
  if (row.email) {
    user.email = row.email;
    user.emailVerified = Boolean(row.email_verified_at);
  }
  return user;
}

export function toSummary(user: {
  id: string;
  username: string;
  avatar?: string;
  displayName?: string;
}): UserSummary {
  const summary: UserSummary = { id: user.id, username: user.username };
  if (user.avatar !== undefined) summary.avatar = user.avatar;
  if (user.displayName !== undefined) summary.displayName = user.displayName;
  return summary;
}

/** A summary straight from the user columns a query selected. */
export function summaryOf(row: {
  id: string;
  username: string;
  avatar_id?: string | null;
  display_name?: string | null;
}): UserSummary {
  const summary: UserSummary = { id: row.id, username: row.username };
  if (row.avatar_id) summary.avatar = avatarUrl(row.avatar_id);
  if (row.display_name) summary.displayName = row.display_name;
  return summary;
}
