import type { AuditEntry, AuditQuery } from '@parley/protocol';
import { sql } from 'kysely';
import type { AuditLogTable } from '../../store/schema.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { newId, now } from '../ids.js';
import { requireAdmin } from './guard.js';
import { decodeCursor, page, prefixPattern } from './paging.js';

export interface AuditFacts {
  target?: { type: 'user' | 'room' | 'message' | 'invite' | 'report'; id: string; name: string };
  room?: { id: string; name: string };
  reason?: string | null;
  outcome?: 'done' | 'refused';
  detail?: Record<string, unknown>;
}

/**
 * Appends one entry to the audit log: who did what to whom, when, why. Names are copied in so the log
 * still reads after a rename or a deletion. The table refuses updates and deletes (see the migration).
 */
export async function audit(
  ctx: Ctx,
  auth: Auth | null,
  action: string,
  facts: AuditFacts = {},
): Promise<void> {
  await ctx.store.db
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: now(),
      actor_id: auth?.user.id ?? null,
      actor_name: auth?.user.username ?? null,
      action,
      target_type: facts.target?.type ?? null,
      target_id: facts.target?.id ?? null,
      target_name: facts.target?.name ?? null,
      room_id: facts.room?.id ?? null,
      room_name: facts.room?.name ?? null,
      reason: facts.reason ?? null,
      outcome: facts.outcome ?? 'done',
      detail: facts.detail ? JSON.stringify(facts.detail) : null,
    })
    .execute();
}

function toEntry(row: AuditLogTable): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor_id ? { id: row.actor_id, username: row.actor_name ?? '' } : null,
    action: row.action,
    target:
      row.target_type && row.target_id
        ? { type: row.target_type, id: row.target_id, name: row.target_name ?? '' }
        : null,
    room: row.room_id ? { id: row.room_id, name: row.room_name ?? '' } : null,
    reason: row.reason,
    outcome: row.outcome,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
  };
}

/** The log, newest first, filtered; paged by id (ids are time-ordered). */
export async function auditLog(
  ctx: Ctx,
  auth: Auth,
  query: AuditQuery,
): Promise<{ entries: AuditEntry[]; nextCursor?: string }> {
  requireAdmin(auth);
  const limit = query.limit ?? 50;
  const after = decodeCursor(query.cursor, 1);
  const name = prefixPattern(query.q);
  const rows = await ctx.store.db
    .selectFrom('audit_log')
    .selectAll()
    .$if(query.action !== undefined, (qb) =>
      // "room" finds room.archive, room.delete …; "room.ban" finds exactly that.
      qb.where((eb) =>
        eb.or([eb('action', '=', query.action as string), eb('action', 'like', `${query.action}.%`)]),
      ),
    )
    .$if(query.actorId !== undefined, (qb) => qb.where('actor_id', '=', query.actorId as string))
    .$if(query.targetId !== undefined, (qb) => qb.where('target_id', '=', query.targetId as string))
    .$if(query.roomId !== undefined, (qb) => qb.where('room_id', '=', query.roomId as string))
    .$if(query.from !== undefined, (qb) => qb.where('at', '>=', new Date(query.from as string).toISOString()))
    .$if(query.to !== undefined, (qb) => qb.where('at', '<', new Date(query.to as string).toISOString()))
    .$if(name !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb(sql`lower(actor_name)`, 'like', sql`${name} ESCAPE '\\'`),
          eb(sql`lower(target_name)`, 'like', sql`${name} ESCAPE '\\'`),
        ]),
      ),
    )
    .$if(after !== undefined, (qb) => qb.where('id', '<', String(after?.[0])))
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const { items, nextCursor } = page(rows, limit, (row) => [row.id]);
  return { entries: items.map(toEntry), nextCursor };
}

const csvColumns = ['at', 'actor', 'action', 'target', 'room', 'reason', 'outcome', 'detail'] as const;

/** One CSV field: quoted when needed, and never starting with a formula character a spreadsheet would run. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The filtered log as CSV (RFC 4180), every page of it, streamed page by page. */
export async function* auditCsv(ctx: Ctx, auth: Auth, query: AuditQuery): AsyncGenerator<string> {
  requireAdmin(auth);
  yield `${csvColumns.join(',')}\r\n`;
  let cursor: string | undefined;
  do {
    const result = await auditLog(ctx, auth, { ...query, limit: 200, cursor });
    let chunk = '';
    for (const entry of result.entries) {
      const cells = [
        entry.at,
        entry.actor ? `${entry.actor.username} (${entry.actor.id})` : '',
        entry.action,
        entry.target ? `${entry.target.type} ${entry.target.name} (${entry.target.id})` : '',
        entry.room ? `${entry.room.name} (${entry.room.id})` : '',
        entry.reason ?? '',
        entry.outcome,
        entry.detail ? JSON.stringify(entry.detail) : '',
      ];
      chunk += `${cells.map(field).join(',')}\r\n`;
    }
    yield chunk;
    cursor = result.nextCursor;
  } while (cursor);
}
