import type { Role } from '@parley/protocol';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { audit } from '../admin/audit.js';
import { fail } from '../../errors.js';
import { type RoomAccess, roomFor } from '../rooms/access.js';

/** Who outranks whom in a room: server admins, then the owner, then moderators, then members. */
const roleRank: Record<Role, number> = { member: 0, moderator: 1, owner: 2 };
const adminRank = 3;

export function rankOf(auth: Auth, access: RoomAccess): number {
  if (auth.user.admin) return adminRank;
  return access.membership ? roleRank[access.membership.role] : -1;
}

export interface Target {
  id: string;
  username: string;
  admin: boolean;
  /** Their role in the room, or null when not a member. */
  role: Role | null;
}

export const rankOfTarget = (target: Target) =>
  Math.max(target.role ? roleRank[target.role] : 0, target.admin ? adminRank : 0);

/**
 * The room, for someone about to moderate it: a room they cannot see is a 404, a DM has no
 * moderators, and below moderator the answer is 403.
 */
export async function moderatedRoom(ctx: Ctx, auth: Auth, roomId: string, least: 'moderator' | 'owner') {
  const access = await roomFor(ctx, auth.user.id, roomId);
  if (access.room.kind === 'dm') fail('forbidden', 'A direct message has no moderators.');
  const rank = rankOf(auth, access);
  if (rank < roleRank[least]) {
    fail(
      'forbidden',
      least === 'owner' ? 'Only the room owner can do that.' : 'Only moderators can do that.',
    );
  }
  return { access, rank };
}

/** The person acted on, with their role in the room; an unknown or deleted account is a 404. */
export async function targetIn(ctx: Ctx, roomId: string, userId: string): Promise<Target> {
  const row = await ctx.store.db
    .selectFrom('users')
    .leftJoin('memberships', (join) =>
      join.onRef('memberships.user_id', '=', 'users.id').on('memberships.room_id', '=', roomId),
    )
    .select(['users.id', 'users.username', 'users.admin', 'users.deleted_at', 'memberships.role'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!row || row.deleted_at !== null) fail('user_not_found');
  return { id: row.id, username: row.username, admin: row.admin === 1, role: row.role ?? null };
}

/**
 * Refuses a moderator acting on someone of their own rank or above (another moderator, the owner, an
 * admin), and anyone acting on the owner where `ownerImmune` says so. The refusal is logged: it is
 * what an admin wants to see when a moderator oversteps.
 */
export async function mustOutrank(
  ctx: Ctx,
  auth: Auth,
  action: string,
  context: { access: RoomAccess; rank: number; target: Target; ownerImmune?: boolean },
): Promise<void> {
  const { access, rank, target } = context;
  let why: string | undefined;
  if (target.id === auth.user.id) fail('validation_failed', 'You cannot do that to yourself.');
  if (context.ownerImmune && target.role === 'owner') why = 'The room owner cannot be banned or muted.';
  else if (rank <= rankOfTarget(target)) why = `${target.username} has the same rank as you or a higher one.`;
  if (!why) return;
  await audit(ctx, auth, action, {
    target: { type: 'user', id: target.id, name: target.username },
    room: { id: access.room.id, name: access.room.name },
    outcome: 'refused',
    detail: { why },
  });
  fail('forbidden', why);
}

/** "until 2030-01-02 15:04 UTC", or nothing for "for good". */
export function untilWords(until: string | null): string {
  if (!until) return '';
  return ` until ${until.slice(0, 16).replace('T', ' ')} UTC`;
}

/** A time given by a moderator: in the future, and not absurdly far (null: no end). */
export function checkUntil(until: string | null | undefined): string | null {
  if (until === undefined || until === null) return null;
  const at = new Date(until);
  if (at.getTime() <= Date.now()) fail('validation_failed', 'The end time is in the past.');
  if (at.getTime() > Date.now() + 100 * 365 * 86_400_000)
    fail('validation_failed', 'The end time is too far away.');
  return at.toISOString();
}

/** ": reason." — or just "." — closing a sentence told to the person concerned. */
export function reasonWords(reason: string | null): string {
  if (!reason) return '.';
  return /[.!?]$/.test(reason) ? `: ${reason}` : `: ${reason}.`;
}
