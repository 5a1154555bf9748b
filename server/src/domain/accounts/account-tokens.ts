import { createHash, randomBytes } from 'node:crypto';
import type { Ctx } from '../context.js';
import { now } from '../ids.js';

export type AccountTokenKind = 'password_reset' | 'email_verify';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A new one-time token for a person; the earlier unused ones of that kind stop working (only the
 * latest link sent or shown works). Only its hash is stored.
 */
export async function issueAccountToken(
  ctx: Ctx,
  input: { kind: AccountTokenKind; userId: string; ttlMs: number; email?: string; createdBy?: string },
): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + input.ttlMs).toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('account_tokens')
      .where('user_id', '=', input.userId)
      .where('kind', '=', input.kind)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .insertInto('account_tokens')
      .values({
        token_hash: digest(token),
        kind: input.kind,
        user_id: input.userId,
        email: input.email ?? null,
        created_by: input.createdBy ?? null,
        created_at: now(),
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
  });
  return { token, expiresAt };
}

/** The live token's row (unused, unexpired), without using it up. */
export async function peekAccountToken(ctx: Ctx, kind: AccountTokenKind, token: string) {
  return ctx.store.db
    .selectFrom('account_tokens')
    .select(['user_id', 'email', 'expires_at'])
    .where('token_hash', '=', digest(token))
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now())
    .executeTakeFirst();
}

/**
 * Uses a token up: one statement marks it used only if it still is live, so two requests racing with the
 * same link cannot both succeed. Undefined when it is unknown, used or expired.
 */
export async function consumeAccountToken(ctx: Ctx, kind: AccountTokenKind, token: string) {
  const at = now();
  return ctx.store.db
    .updateTable('account_tokens')
    .set({ used_at: at })
    .where('token_hash', '=', digest(token))
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .returning(['user_id', 'email'])
    .executeTakeFirst();
}
