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
 * How far back a pass looks for ends beyond its own interval: `revoked_at` is written by the clock of
 * the node that revoked, which may run behind this one's.
 */
const lookBackMs = 60_000;
/** Every this many passes, every open session is checked in full. */
export const fullSweepEvery = 20;

/** The sessions revoked, or expired, since `since` (up to `at`): a few rows, read through indexes. */
export async function recentlyEndedSessions(
  store: Pick<Store, 'db'>,
  since: string,
  at: string,
): Promise<string[]> {
  const revoked = await store.db
    .selectFrom('sessions')
    .select('id')
    .where('revoked_at', '>=', since)
    .execute();
  const expired = await store.db
    .selectFrom('sessions')
    .select('id')
    .where('expires_at', '>', since)
    .where('expires_at', '<=', at)
    .execute();
  return [...revoked, ...expired].map((row) => row.id);
}

/**
 * A socket authenticates once, at its handshake; its session can end later without the socket hearing
 * of it: it expires, it is revoked while the announcement cannot travel (Redis down, `parley` on the
 * command line), its row is deleted. Every SESSION_SWEEP_MS each node asks the database which sessions
 * were revoked or expired lately and closes the sockets it holds of those; every `fullSweepEvery`
 * passes it checks every open session in full, which also finds a deleted row or a user disabled by
 * hand. Announced ends (sign-out, password change, an admin's disable) close sockets at once through
 * `session.revoked`; this bounds the rest: revoked or expired within one interval, anything else within
 * `fullSweepEvery` of them.
 */
export function sweepSessions(ctx: Ctx, io: IO): () => void {
  let running = false;
  let pass = 0;
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
    const at = now();
    const since = new Date(Date.parse(at) - ctx.config.sessionSweepMs - lookBackMs).toISOString();
    const ended =
      pass++ % fullSweepEvery === 0
        ? await endedSessions(ctx.store, [...bySession.keys()], at)
        : await recentlyEndedSessions(ctx.store, since, at);
    for (const sessionId of ended)
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
