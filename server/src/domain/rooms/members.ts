import {
  type Member,
  type MembersQuery,
  type MembersReply,
  memberLimits,
  type PresenceStatus,
  type Role,
} from '@parley/protocol';
import { sql } from 'kysely';
import { AppError } from '../../errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { avatarUrl } from '../files/paths.js';
import { now } from '../ids.js';
import { forever } from '../moderation/forever.js';
import { roomFor } from './access.js';

// The cursor is the last name of the page, opaque to clients (base64url), so the order can change later.
const encode = (nameKey: string) => Buffer.from(nameKey, 'utf8').toString('base64url');
function decode(cursor: string): string {
  const nameKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!nameKey || encode(nameKey) !== cursor)
    throw new AppError('validation_failed', 'That cursor is not valid.');
  return nameKey;
}

/**
 * A room's members by name, a page at a time (keyset: after the previous page's last name), with
 * their presence. Visible to whoever may see the room: members, and anyone for a public room.
 */
export async function memberPage(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  query: MembersQuery,
): Promise<MembersReply> {
  await roomFor(ctx, auth.user.id, roomId);
  return pageOf(ctx, roomId, query);
}

export async function pageOf(ctx: Ctx, roomId: string, query: MembersQuery): Promise<MembersReply> {
  const limit = query.limit ?? memberLimits.pageDefault;
  const after = query.cursor === undefined ? undefined : decode(query.cursor);
  // LIKE's wildcards are escaped, so "a_b" finds "a_b…" and not "axb…" (usernames may contain "_").
  const prefix = (query.q ?? '')
    .trim()
    .toLowerCase()
    .replace(/[%_\\]/g, (char) => `\\${char}`);
  const rows = await ctx.store.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id',
      'users.username',
      'users.username_key',
      'users.guest',
      'users.avatar_id',
      'users.display_name',
      'memberships.role',
      'memberships.muted_until',
    ])
    .where('memberships.room_id', '=', roomId)
    .$if(after !== undefined, (qb) => qb.where('users.username_key', '>', after as string))
    .$if(prefix.length > 0, (qb) =>
      qb.where(sql<boolean>`users.username_key LIKE ${`${prefix}%`} ESCAPE '\\'`),
    )
    .orderBy('users.username_key')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const states = await ctx.bus.presence.states(page.map((row) => row.id));
  const at = now();
  const members = page.map((row) => toMember(row, states.get(row.id) ?? 'offline', at));
  const last = page.at(-1);
  return rows.length > limit && last ? { members, cursor: encode(last.username_key) } : { members };
}

/** A membership row as the API shows it: presence, and a mute while it lasts. */
export function toMember(
  row: {
    id: string;
    username: string;
    guest: number;
    role: Role;
    muted_until: string | null;
    avatar_id?: string | null;
    display_name?: string | null;
  },
  status: PresenceStatus,
  at: string,
): Member {
  const member: Member = {
    id: row.id,
    username: row.username,
    role: row.role,
    guest: row.guest === 1,
    online: status !== 'offline',
    status,
  };
  if (row.avatar_id) member.avatar = avatarUrl(row.avatar_id);
  if (row.display_name) member.displayName = row.display_name;
  if (row.muted_until !== null && row.muted_until > at)
    member.muted = { until: row.muted_until === forever ? null : row.muted_until };
  return member;
}
