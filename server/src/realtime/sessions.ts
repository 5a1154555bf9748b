import type { Ctx } from '../domain/context.js';
import { now } from '../domain/ids.js';
import type { IO, ParleySocket } from './types.js';

const chunk = 500;

/**
 * A socket authenticates once, at its handshake; its session can end later in ways nobody announces: it
 * expires, or its row is deleted (by hand, by a cascade). Every SESSION_SWEEP_MS each node asks the
 * database which of its sockets' sessions are still live, and closes the sockets of the others. Ends
 * that are announced (sign-out, password change, an admin's disable) close sockets at once through
 * `session.revoked`; this catches the rest within the interval.
 */
export function sweepSessions(ctx: Ctx, io: IO): () => void {
  let running = false;
  const sweep = async () => {
    const bySession = new Map<string, ParleySocket[]>();
    for (const socket of io.of('/').sockets.values()) {
      const sessionId = socket.data.auth?.sessionId;
      if (!sessionId) continue;
      const sockets = bySession.get(sessionId);
      if (sockets) sockets.push(socket);
      else bySession.set(sessionId, [socket]);
    }
    if (bySession.size === 0) return;
    const ids = [...bySession.keys()];
    const live = new Set<string>();
    const at = now();
    for (let i = 0; i < ids.length; i += chunk) {
      const rows = await ctx.store.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select('sessions.id')
        .where('sessions.id', 'in', ids.slice(i, i + chunk))
        .where('sessions.revoked_at', 'is', null)
        .where('sessions.expires_at', '>', at)
        .where('users.disabled_at', 'is', null)
        .execute();
      for (const row of rows) live.add(row.id);
    }
    for (const [sessionId, sockets] of bySession)
      if (!live.has(sessionId)) for (const socket of sockets) socket.disconnect(true);
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'session sweep failed'))
      .finally(() => {
        running = false;
      });
  }, ctx.config.sessionSweepMs);
  timer.unref();
  return () => clearInterval(timer);
}
