import type { Report, ReportStatus } from '@parley/protocol';
import type { ReportsTable } from '../../store/schema.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { audit } from '../admin/audit.js';
import { decodeCursor, page } from '../admin/paging.js';
import { fail } from '../../errors.js';
import { newId, now } from '../ids.js';
import { isUniqueViolation } from '../../store/errors.js';
import { memberRoom, roomFor } from '../rooms/access.js';
import { rankOf } from './authority.js';
import { limit } from './limits.js';

type Row = ReportsTable & {
  room_name: string;
  author_name: string;
  reporter_name: string;
  resolver_name: string | null;
};

const withNames = (ctx: Ctx) =>
  ctx.store.db
    .selectFrom('reports as p')
    .innerJoin('rooms as r', 'r.id', 'p.room_id')
    .innerJoin('users as a', 'a.id', 'p.author_id')
    .innerJoin('users as u', 'u.id', 'p.reporter_id')
    .leftJoin('users as v', 'v.id', 'p.resolved_by')
    .selectAll('p')
    .select([
      'r.name as room_name',
      'a.username as author_name',
      'u.username as reporter_name',
      'v.username as resolver_name',
    ]);

function toReport(row: Row): Report {
  return {
    id: row.id,
    room: { id: row.room_id, name: row.room_name },
    seq: Number(row.seq),
    text: row.text,
    author: { id: row.author_id, username: row.author_name },
    reporter: { id: row.reporter_id, username: row.reporter_name },
    reason: row.reason,
    status: row.status,
    createdAt: row.created_at,
    resolvedBy: row.resolved_by ? { id: row.resolved_by, username: row.resolver_name ?? '' } : null,
    resolvedAt: row.resolved_at,
  };
}

async function reportById(ctx: Ctx, id: string): Promise<Report> {
  const row = await withNames(ctx).where('p.id', '=', id).executeTakeFirst();
  if (!row) fail('not_found', 'No such report.');
  return toReport(row);
}

/**
 * "Report to moderators": any member flags a message of someone else's; the room's owner and
 * moderators (and every admin) are told at once and find it in their queue. Reporting twice is
 * answered with the first report.
 */
export async function reportMessage(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  seq: number,
  reason: string | undefined,
): Promise<Report> {
  await memberRoom(ctx, auth.user.id, roomId);
  const message = await ctx.store.db
    .selectFrom('messages')
    .select(['id', 'author_id', 'text'])
    .where('room_id', '=', roomId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  if (!message) fail('not_found', 'No such message.');
  if (message.author_id === auth.user.id) fail('validation_failed', 'You cannot report your own message.');
  const earlier = await ctx.store.db
    .selectFrom('reports')
    .select('id')
    .where('reporter_id', '=', auth.user.id)
    .where('message_id', '=', message.id)
    .executeTakeFirst();
  if (earlier) return reportById(ctx, earlier.id);
  await limit(ctx, 'report', auth.user.id);
  const id = newId();
  try {
    await ctx.store.db
      .insertInto('reports')
      .values({
        id,
        room_id: roomId,
        seq,
        message_id: message.id,
        text: message.text,
        author_id: message.author_id,
        reporter_id: auth.user.id,
        reason: reason?.trim() || null,
        status: 'open',
        created_at: now(),
        resolved_by: null,
        resolved_at: null,
      })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const first = await ctx.store.db
      .selectFrom('reports')
      .select('id')
      .where('reporter_id', '=', auth.user.id)
      .where('message_id', '=', message.id)
      .executeTakeFirstOrThrow();
    return reportById(ctx, first.id);
  }
  const report = await reportById(ctx, id);
  const moderators = await ctx.store.db
    .selectFrom('memberships')
    .select('user_id')
    .where('room_id', '=', roomId)
    .where('role', 'in', ['owner', 'moderator'])
    .execute();
  ctx.events.emit('report.created', { report, moderatorIds: moderators.map((row) => row.user_id) });
  return report;
}

/**
 * The reports a moderator works through: those of the rooms they moderate (every room for an admin),
 * open ones oldest first, closed ones newest first.
 */
export async function reportQueue(
  ctx: Ctx,
  auth: Auth,
  query: { status?: ReportStatus; roomId?: string; limit?: number; cursor?: string },
) {
  const status = query.status ?? 'open';
  const pageSize = query.limit ?? 50;
  const after = decodeCursor(query.cursor, 1);
  const oldestFirst = status === 'open';
  const rows = await withNames(ctx)
    .where('p.status', '=', status)
    .$if(query.roomId !== undefined, (qb) => qb.where('p.room_id', '=', query.roomId as string))
    .$if(!auth.user.admin, (qb) =>
      qb.where('p.room_id', 'in', (eb) =>
        eb
          .selectFrom('memberships')
          .select('room_id')
          .where('user_id', '=', auth.user.id)
          .where('role', 'in', ['owner', 'moderator']),
      ),
    )
    .$if(after !== undefined, (qb) => qb.where('p.id', oldestFirst ? '>' : '<', String(after?.[0])))
    .orderBy('p.id', oldestFirst ? 'asc' : 'desc')
    .limit(pageSize + 1)
    .execute();
  const { items, nextCursor } = page(rows, pageSize, (row) => [row.id]);
  return { reports: items.map(toReport), nextCursor };
}

/** A moderator of the report's room (or an admin) closes it: dealt with, or nothing to do. */
export async function resolveReport(
  ctx: Ctx,
  auth: Auth,
  reportId: string,
  status: 'resolved' | 'dismissed',
): Promise<Report> {
  const report = await reportById(ctx, reportId);
  const access = await roomFor(ctx, auth.user.id, report.room.id).catch(() =>
    fail('not_found', 'No such report.'),
  );
  if (rankOf(auth, access) < 1) fail('not_found', 'No such report.');
  await ctx.store.db
    .updateTable('reports')
    .set({ status, resolved_by: auth.user.id, resolved_at: now() })
    .where('id', '=', reportId)
    .execute();
  await audit(ctx, auth, status === 'resolved' ? 'report.resolve' : 'report.dismiss', {
    target: { type: 'report', id: reportId, name: `${report.author.username}: ${report.text.slice(0, 60)}` },
    room: report.room,
  });
  return reportById(ctx, reportId);
}
