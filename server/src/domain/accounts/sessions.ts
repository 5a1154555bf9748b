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

/** Where a sign-in comes from, kept on its session for the person's list of sessions. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** How stale `last_seen_at` may get before a request writes it again: one write a minute per session. */
const lastSeenEveryMs = 60_000;

export async function startSession(
  ctx: Ctx,
  user: UserRow,
  client: ClientInfo = {},
): Promise<{ user: User; token: string }> {
  const sessionId = newId();
  const expiresAt = new Date(Date.now() + ctx.config.sessionTtlDays * 86_400_000);
  const at = now();
  await ctx.store.db
    .insertInto('sessions')
    .values({
      id: sessionId,
      user_id: user.id,
      created_at: at,
      expires_at: expiresAt.toISOString(),
      revoked_at: null,
      ip: client.ip?.slice(0, 64) ?? null,
      user_agent: client.userAgent?.slice(0, 512) ?? null,
      last_seen_at: at,
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
  const at = now();
  const row = await ctx.store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.last_seen_at as session_seen_at')
    .where('sessions.id', '=', claims.sessionId)
    .where('sessions.user_id', '=', claims.userId)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', at)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const { session_seen_at: seenAt, ...user } = row;
  // Not awaited, and gathered with other sessions' (seen.ts): a bookkeeping write must not hold the request.
  if (!seenAt || Date.parse(at) - Date.parse(seenAt) > lastSeenEveryMs) ctx.seen.note(claims.sessionId, at);
  return { user: toUser(user), sessionId: claims.sessionId };
}
