import { sql } from 'kysely';
import type { Ctx } from '../domain/context.js';
import { now } from '../domain/ids.js';
import type { Store } from '../store/types.js';
import type { IO, ParleySocket } from './types.js';

/**
 * Which of `ids` are no longer live at `at`: revoked, expired, deleted, or their user disabled. One
 * statement with the ids as a single parameter (a JSON array on SQLite, a text[] on PostgreSQL) that
 * answers only the ended ones, usually none: the bench (`npm run bench:sweep -w bench`) measured the
 * former chunks of 500 bound parameters, each answering its live rows, at 13 ms (SQLite) and
 * 22 + 22 ms (PostgreSQL, node + server) of CPU per pass at 5,000 sessions, twice a second.
 */
export async function endedSessions(
  store: Pick<Store, 'db' | 'dialect'>,
  ids: string[],
  at: string,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const isLive = sql`EXISTS (
    SELECT 1 FROM sessions JOIN users ON users.id = sessions.user_id
    WHERE sessions.id = given.id AND sessions.revoked_at IS NULL AND sessions.expires_at > ${at}
      AND users.disabled_at IS NULL)`;
  const given =
    store.dialect === 'postgres'
      ? sql`unnest(${ids}::text[]) AS given(id)`
      : sql`(SELECT value AS id FROM json_each(${JSON.stringify(ids)})) AS given`;
  const { rows } = await sql<{ id: string }>`SELECT given.id FROM ${given} WHERE NOT ${isLive}`.execute(
    store.db,
  );
  return rows.map((row) => row.id);
}

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
    for (const sessionId of await endedSessions(ctx.store, [...bySession.keys()], now()))
      for (const socket of bySession.get(sessionId) ?? []) socket.disconnect(true);
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
