import type { SessionInfo } from '@parley/protocol';
import Bowser from 'bowser';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { now } from '../ids.js';
import { endSessions } from './password-change.js';
import type { Auth } from './sessions.js';

/** "Firefox 128 on Windows 10" from a user agent; what is unknown is left out. */
export function describeAgent(
  userAgent: string | null | undefined,
): Pick<SessionInfo, 'device' | 'browser' | 'os'> {
  if (!userAgent) return { device: 'Unknown device' };
  const parsed = Bowser.parse(userAgent);
  const major = parsed.browser.version?.split('.')[0];
  const browser = parsed.browser.name ? [parsed.browser.name, major].filter(Boolean).join(' ') : undefined;
  const os = parsed.os.name
    ? [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ')
    : undefined;
  const kind = parsed.platform.type && parsed.platform.type !== 'desktop' ? parsed.platform.type : undefined;
  const where = [os, kind && `(${kind})`].filter(Boolean).join(' ');
  const device = browser && where ? `${browser} on ${where}` : (browser ?? (where || 'Unknown device'));
  return { device, ...(browser ? { browser } : {}), ...(os ? { os } : {}) };
}

/** The person's live sessions, the most recently used first. */
export async function listSessions(ctx: Ctx, auth: Auth): Promise<SessionInfo[]> {
  const rows = await ctx.store.db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'expires_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', auth.user.id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now())
    .orderBy('last_seen_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    current: row.id === auth.sessionId,
    ...describeAgent(row.user_agent),
    address: row.ip ?? null,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at ?? row.created_at,
    expiresAt: row.expires_at,
  }));
}

/** Ends one of the person's sessions (their current one too: that is signing out). */
export async function endSession(ctx: Ctx, auth: Auth, sessionId: string): Promise<void> {
  const ended = await ctx.store.db
    .updateTable('sessions')
    .set({ revoked_at: now() })
    .where('id', '=', sessionId)
    .where('user_id', '=', auth.user.id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  // Someone else's session is "no such session" too: ids of others' sessions are not confirmed.
  if (ended.length === 0) fail('session_not_found');
  ctx.events.emit('session.revoked', { sessionId });
}

/** Signs out everywhere else. */
export const endOtherSessions = (ctx: Ctx, auth: Auth): Promise<number> =>
  endSessions(ctx, auth.user.id, auth.sessionId);
