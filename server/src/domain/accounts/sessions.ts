import type { User } from '@parley/protocol';
import type { UserRow } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { newId, now } from '../ids.js';
import { toUser } from '../mapping.js';
import { readToken, signToken } from './tokens.js';

export interface Auth {
  user: User;
  sessionId: string;
}

export async function startSession(ctx: Ctx, user: UserRow): Promise<{ user: User; token: string }> {
  const sessionId = newId();
  const expiresAt = new Date(Date.now() + ctx.config.sessionTtlDays * 86_400_000);
  await ctx.store.db
    .insertInto('sessions')
    .values({
      id: sessionId,
      user_id: user.id,
      created_at: now(),
      expires_at: expiresAt.toISOString(),
      revoked_at: null,
    })
    .execute();
  const token = await signToken(ctx.tokens, { userId: user.id, sessionId, expiresAt });
  return { user: toUser(user), token };
}

export async function logout(ctx: Ctx, auth: Auth): Promise<void> {
  await ctx.store.db
    .updateTable('sessions')
    .set({ revoked_at: now() })
    .where('id', '=', auth.sessionId)
    .execute();
  ctx.events.emit('session.revoked', { sessionId: auth.sessionId });
}

/** The user behind a token, or null when the token is bad, expired or its session was revoked. */
export async function authenticate(ctx: Ctx, token: unknown): Promise<Auth | null> {
  if (typeof token !== 'string' || token.length > 4096) return null;
  const claims = await readToken(ctx.tokens, token);
  if (!claims) return null;
  const row = await ctx.store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.id', '=', claims.sessionId)
    .where('sessions.user_id', '=', claims.userId)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now())
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { user: toUser(row), sessionId: claims.sessionId } : null;
}
