import type { Ctx } from '../../context.js';
import { now } from '../../ids.js';
import { hashRecoveryCode, matchTotp, newRecoveryCode, recoveryCodeCount } from './codes.js';

/** A person's TOTP row: `enabled` once confirmed, else a pending enrolment (or nothing). */
export async function totpOf(ctx: Ctx, userId: string) {
  const row = await ctx.store.db
    .selectFrom('user_totp')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? { ...row, last_step: Number(row.last_step), enabled: row.enabled_at !== null } : undefined;
}

/** Starts (or restarts) an enrolment; a confirmed one is left alone and false is returned. */
export async function savePendingSecret(ctx: Ctx, userId: string, secret: string): Promise<boolean> {
  const { numUpdatedRows } = await ctx.store.db
    .updateTable('user_totp')
    .set({ secret, created_at: now(), last_step: 0 })
    .where('user_id', '=', userId)
    .where('enabled_at', 'is', null)
    .executeTakeFirst();
  if (Number(numUpdatedRows) === 1) return true;
  await ctx.store.db
    .insertInto('user_totp')
    .values({ user_id: userId, secret, enabled_at: null, created_at: now() })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  // Inserted, or a row appeared meanwhile: pending ours to confirm only if it holds our secret.
  const row = await totpOf(ctx, userId);
  return row !== undefined && !row.enabled && row.secret === secret;
}

/**
 * Accepts a code once: the step it belongs to must be newer than the last one accepted, and the row is
 * moved to it in the same statement, so two nodes given the same code at once accept it only once.
 * `pending` checks the code of an enrolment not yet confirmed instead of an enabled one.
 */
export async function acceptTotp(ctx: Ctx, userId: string, code: string, pending = false): Promise<boolean> {
  const row = await totpOf(ctx, userId);
  if (!row || row.enabled === pending) return false;
  const step = matchTotp(row.secret, code);
  if (step === null || step <= row.last_step) return false;
  const { numUpdatedRows } = await ctx.store.db
    .updateTable('user_totp')
    .set({ last_step: step })
    .where('user_id', '=', userId)
    .where('secret', '=', row.secret)
    .where('last_step', '<', step)
    .executeTakeFirst();
  return Number(numUpdatedRows) === 1;
}

/** Uses a recovery code: true the first time, false ever after (and for any code not issued). */
export async function useRecoveryCode(ctx: Ctx, userId: string, code: string): Promise<boolean> {
  const { numUpdatedRows } = await ctx.store.db
    .updateTable('user_recovery_codes')
    .set({ used_at: now() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(numUpdatedRows) === 1;
}

export async function recoveryCodesLeft(ctx: Ctx, userId: string): Promise<number> {
  const row = await ctx.store.db
    .selectFrom('user_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Replaces a person's recovery codes with ten new ones, returned in the clear this once. */
export async function replaceRecoveryCodes(ctx: Ctx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
    await trx
      .insertInto('user_recovery_codes')
      .values(codes.map((code) => ({ user_id: userId, code_hash: hashRecoveryCode(code), used_at: null })))
      .execute();
  });
  return codes;
}

/** Confirms a pending enrolment whose code was just accepted; false if it was confirmed meanwhile. */
export async function enableTotp(ctx: Ctx, userId: string): Promise<boolean> {
  const { numUpdatedRows } = await ctx.store.db
    .updateTable('user_totp')
    .set({ enabled_at: now() })
    .where('user_id', '=', userId)
    .where('enabled_at', 'is', null)
    .executeTakeFirst();
  return Number(numUpdatedRows) === 1;
}

export async function removeTotp(ctx: Ctx, userId: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('user_totp').where('user_id', '=', userId).execute();
    await trx.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  });
}
