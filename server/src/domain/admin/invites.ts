import { randomBytes } from 'node:crypto';
import type { Invite, InviteBody, PageQuery } from '@parley/protocol';
import type { InvitesTable } from '../../store/schema.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { newId, now } from '../ids.js';
import { audit } from './audit.js';
import { requireAdmin } from './guard.js';
import { decodeCursor, page } from './paging.js';

type Row = Omit<InvitesTable, 'note' | 'uses'> & { note: string; uses: number; creator: string | null };

function toInvite(row: Row): Invite {
  return {
    id: row.id,
    code: row.code,
    createdBy: row.created_by ? { id: row.created_by, username: row.creator ?? '' } : null,
    note: row.note,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    maxUses: row.max_uses,
    uses: Number(row.uses),
    revokedAt: row.revoked_at,
  };
}

const withCreator = (ctx: Ctx) =>
  ctx.store.db
    .selectFrom('invites')
    .leftJoin('users', 'users.id', 'invites.created_by')
    .selectAll('invites')
    .select('users.username as creator');

/** An invite link: anyone holding it may register while it lasts, even when registration is invite-only. */
export async function createInvite(ctx: Ctx, auth: Auth, body: InviteBody): Promise<Invite> {
  requireAdmin(auth);
  const id = newId();
  await ctx.store.db
    .insertInto('invites')
    .values({
      id,
      // 128 bits: not guessable, short enough for a link.
      code: randomBytes(16).toString('base64url'),
      created_by: auth.user.id,
      note: body.note?.trim() ?? '',
      created_at: now(),
      expires_at: body.expiresInHours
        ? new Date(Date.now() + body.expiresInHours * 3_600_000).toISOString()
        : null,
      max_uses: body.maxUses ?? null,
      revoked_at: null,
    })
    .execute();
  const invite = toInvite(await withCreator(ctx).where('invites.id', '=', id).executeTakeFirstOrThrow());
  await audit(ctx, auth, 'invite.create', {
    target: { type: 'invite', id, name: invite.note || id },
    detail: { expiresAt: invite.expiresAt, maxUses: invite.maxUses },
  });
  return invite;
}

export async function listInvites(ctx: Ctx, auth: Auth, query: PageQuery) {
  requireAdmin(auth);
  const limit = query.limit ?? 50;
  const after = decodeCursor(query.cursor, 1);
  const rows = await withCreator(ctx)
    .$if(after !== undefined, (qb) => qb.where('invites.id', '<', String(after?.[0])))
    .orderBy('invites.id', 'desc')
    .limit(limit + 1)
    .execute();
  const { items, nextCursor } = page(rows, limit, (row) => [row.id]);
  return { invites: items.map(toInvite), nextCursor };
}

export async function revokeInvite(ctx: Ctx, auth: Auth, inviteId: string): Promise<void> {
  requireAdmin(auth);
  const invite = await ctx.store.db
    .selectFrom('invites')
    .select(['id', 'note'])
    .where('id', '=', inviteId)
    .executeTakeFirst();
  if (!invite) fail('not_found', 'No such invite.');
  await ctx.store.db
    .updateTable('invites')
    .set({ revoked_at: now() })
    .where('id', '=', inviteId)
    .where('revoked_at', 'is', null)
    .execute();
  await audit(ctx, auth, 'invite.revoke', {
    target: { type: 'invite', id: invite.id, name: invite.note || invite.id },
  });
}

/**
 * Takes one use of an invite, atomically (two people racing for its last use cannot both have it);
 * false when the code is unknown, revoked, expired or used up. `giveBack` returns the use when the
 * account could not be made after all.
 */
export async function takeInvite(ctx: Ctx, code: string): Promise<boolean> {
  const result = await ctx.store.db
    .updateTable('invites')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('code', '=', code)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now())]))
    .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function giveBack(ctx: Ctx, code: string): Promise<void> {
  await ctx.store.db
    .updateTable('invites')
    .set((eb) => ({ uses: eb('uses', '-', 1) }))
    .where('code', '=', code)
    .where('uses', '>', 0)
    .execute();
}
