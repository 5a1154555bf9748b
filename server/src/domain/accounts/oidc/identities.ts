import { fail } from '../../../errors.js';
import { isUniqueViolation } from '../../../store/errors.js';
import type { UserRow } from '../../../store/schema.js';
import type { Ctx } from '../../context.js';
import { newId, now } from '../../ids.js';
import { joinDefaultRoom } from '../../rooms/membership.js';
import { becomesAdmin } from '../accounts.js';
import { baseUsername, candidateUsername } from './names.js';

/** Who the provider says signed in: the issuer and subject that name them there, and its claims. */
export interface Identity {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
}

async function linkedUser(ctx: Ctx, identity: Identity): Promise<UserRow | undefined> {
  return ctx.store.db
    .selectFrom('user_identities')
    .innerJoin('users', 'users.id', 'user_identities.user_id')
    .selectAll('users')
    .where('user_identities.issuer', '=', identity.issuer)
    .where('user_identities.subject', '=', identity.subject)
    .executeTakeFirst();
}

/**
 * The account an identity signs in to: the one it is linked to, or — the first time — a new account
 * named after its preferred_username (name2, name3 … when that is taken), created with its link in one
 * transaction, so two first sign-ins at once make one account, not two.
 */
export async function accountFor(ctx: Ctx, identity: Identity): Promise<UserRow> {
  const linked = await linkedUser(ctx, identity);
  if (linked && linked.deleted_at === null) {
    if (linked.disabled_at !== null) fail('account_disabled');
    return linked;
  }
  if (linked) {
    // The account was deleted: the identity may start afresh.
    await ctx.store.db
      .deleteFrom('user_identities')
      .where('issuer', '=', identity.issuer)
      .where('subject', '=', identity.subject)
      .execute();
  }
  const base = baseUsername(identity.claims, ctx.config.oidc?.usernameClaim ?? 'preferred_username');
  for (let attempt = 0; attempt < 50; attempt++) {
    const username = candidateUsername(base, attempt < 20 ? attempt : 20 + Math.floor(Math.random() * 1e6));
    const taken = await ctx.store.db
      .selectFrom('users')
      .select('id')
      .where('username_key', '=', username.toLowerCase())
      .executeTakeFirst();
    if (taken) continue;
    const row: UserRow = {
      id: newId(),
      username,
      username_key: username.toLowerCase(),
      password_hash: null,
      guest: 0,
      admin: (await becomesAdmin(ctx, username)) ? 1 : 0,
      created_at: now(),
      disabled_at: null,
      deleted_at: null,
      avatar_id: null,
    };
    try {
      await ctx.store.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(row).execute();
        await trx
          .insertInto('user_identities')
          .values({ issuer: identity.issuer, subject: identity.subject, user_id: row.id, created_at: now() })
          .execute();
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Either the name went meanwhile (try the next) or the same identity's other sign-in won.
      const winner = await linkedUser(ctx, identity);
      if (winner) return winner;
      continue;
    }
    await joinDefaultRoom(ctx, row);
    return row;
  }
  fail('username_taken');
}

/** Links an identity to a signed-in account (from its settings); one identity per provider per account. */
export async function linkIdentity(ctx: Ctx, userId: string, identity: Identity): Promise<void> {
  const linked = await linkedUser(ctx, identity);
  if (linked?.id === userId) return;
  if (linked && linked.deleted_at === null) fail('identity_taken');
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('user_identities')
        .where((eb) =>
          eb.or([
            eb.and([eb('user_id', '=', userId), eb('issuer', '=', identity.issuer)]),
            eb.and([eb('issuer', '=', identity.issuer), eb('subject', '=', identity.subject)]),
          ]),
        )
        .execute();
      await trx
        .insertInto('user_identities')
        .values({ issuer: identity.issuer, subject: identity.subject, user_id: userId, created_at: now() })
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) fail('identity_taken');
    throw error;
  }
}

export async function identityOf(ctx: Ctx, userId: string, issuer: string) {
  return ctx.store.db
    .selectFrom('user_identities')
    .selectAll()
    .where('user_id', '=', userId)
    .where('issuer', '=', issuer)
    .executeTakeFirst();
}

/** Unlinks; refused when the account has no password, which would leave it no way to sign in. */
export async function unlinkIdentity(ctx: Ctx, userId: string, issuer: string): Promise<void> {
  const user = await ctx.store.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (user.password_hash === null) fail('password_needed');
  await ctx.store.db
    .deleteFrom('user_identities')
    .where('user_id', '=', userId)
    .where('issuer', '=', issuer)
    .execute();
}
