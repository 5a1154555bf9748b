import type { AdminUser, AdminUserPatch, AdminUsersQuery } from '@parley/protocol';
import { sql } from 'kysely';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { now } from '../ids.js';
import { audit } from './audit.js';
import { requireAdmin } from './guard.js';
import { decodeCursor, page, prefixPattern } from './paging.js';
import { endAllSessions } from './sessions.js';

const adminColumns = [
  'id',
  'username',
  'username_key',
  'guest',
  'admin',
  'created_at',
  'disabled_at',
] as const;

async function present(
  ctx: Ctx,
  rows: {
    id: string;
    username: string;
    guest: number;
    admin: number;
    created_at: string;
    disabled_at: string | null;
    last_sign_in_at: string | null;
  }[],
): Promise<AdminUser[]> {
  const online = await ctx.bus.presence.online(rows.map((row) => row.id));
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    guest: row.guest === 1,
    admin: row.admin === 1,
    createdAt: row.created_at,
    disabled: row.disabled_at !== null,
    online: online.has(row.id),
    lastSignInAt: row.last_sign_in_at,
  }));
}

const withLastSignIn = (ctx: Ctx) =>
  ctx.store.db
    .selectFrom('users')
    .select(adminColumns)
    .select((eb) =>
      eb
        .selectFrom('sessions')
        .select((inner) => inner.fn.max('sessions.created_at').as('at'))
        .whereRef('sessions.user_id', '=', 'users.id')
        .as('last_sign_in_at'),
    )
    .where('deleted_at', 'is', null);

/** Every account (deleted ones aside), by name, searched by name prefix, a page at a time. */
export async function listUsers(ctx: Ctx, auth: Auth, query: AdminUsersQuery) {
  requireAdmin(auth);
  const limit = query.limit ?? 50;
  const after = decodeCursor(query.cursor, 1);
  const name = prefixPattern(query.q);
  const rows = await withLastSignIn(ctx)
    .$if(name !== undefined, (qb) => qb.where(sql<boolean>`username_key LIKE ${name} ESCAPE '\\'`))
    .$if(query.filter === 'admins', (qb) => qb.where('admin', '=', 1))
    .$if(query.filter === 'disabled', (qb) => qb.where('disabled_at', 'is not', null))
    .$if(query.filter === 'guests', (qb) => qb.where('guest', '=', 1))
    .$if(after !== undefined, (qb) => qb.where('username_key', '>', String(after?.[0])))
    .orderBy('username_key')
    .limit(limit + 1)
    .execute();
  const { items, nextCursor } = page(rows, limit, (row) => [row.username_key]);
  return { users: await present(ctx, items), nextCursor };
}

export async function adminUser(ctx: Ctx, userId: string): Promise<AdminUser> {
  const row = await withLastSignIn(ctx).where('id', '=', userId).executeTakeFirst();
  if (!row) fail('user_not_found');
  const [user] = await present(ctx, [row]);
  return user as AdminUser;
}

/** Admins who can act: not disabled, not deleted. The server must keep at least one. */
async function activeAdmins(ctx: Ctx): Promise<number> {
  const row = await ctx.store.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('admin', '=', 1)
    .where('disabled_at', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Refuses (and logs the refusal) when the change would leave the server without an active admin. */
export async function keepAnAdmin(ctx: Ctx, auth: Auth, target: AdminUser, action: string): Promise<void> {
  if (!target.admin || target.disabled || (await activeAdmins(ctx)) > 1) return;
  await audit(ctx, auth, action, {
    target: { type: 'user', id: target.id, name: target.username },
    outcome: 'refused',
    detail: { why: 'last admin' },
  });
  fail('last_admin', `${target.username} is the last admin: make someone else an admin first.`);
}

/**
 * Disable or enable an account, or make or revoke an admin. Disabling ends every session at once, on
 * every node; the person cannot sign in again until enabled.
 */
export async function updateUser(ctx: Ctx, auth: Auth, userId: string, patch: AdminUserPatch) {
  requireAdmin(auth);
  const target = await adminUser(ctx, userId);
  const facts = { target: { type: 'user' as const, id: target.id, name: target.username } };
  if (patch.disabled !== undefined && patch.disabled !== target.disabled) {
    if (patch.disabled) await keepAnAdmin(ctx, auth, target, 'user.disable');
    await ctx.store.db
      .updateTable('users')
      .set({ disabled_at: patch.disabled ? now() : null })
      .where('id', '=', userId)
      .execute();
    if (patch.disabled) await endAllSessions(ctx, userId);
    await audit(ctx, auth, patch.disabled ? 'user.disable' : 'user.enable', facts);
  }
  if (patch.admin !== undefined && patch.admin !== target.admin) {
    if (!patch.admin) await keepAnAdmin(ctx, auth, target, 'user.admin.revoke');
    if (patch.admin && target.guest) fail('validation_failed', 'A guest cannot be an admin.');
    await ctx.store.db
      .updateTable('users')
      .set({ admin: patch.admin ? 1 : 0 })
      .where('id', '=', userId)
      .execute();
    ctx.events.emit('user.updated', { userId });
    await audit(ctx, auth, patch.admin ? 'user.admin.grant' : 'user.admin.revoke', facts);
  }
  return adminUser(ctx, userId);
}
