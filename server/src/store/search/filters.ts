import { type RawBuilder, sql } from 'kysely';
import { linkPatterns, type SearchRequest } from './types.js';

/**
 * The conditions every search puts on the message `m`, written once for both dialects: only rooms
 * the user may read now (their memberships, read at query time, so a room left or a removal counts
 * at once; plus public rooms they are not banned from, when asked), and the filters.
 */
export function messageFilters(
  request: SearchRequest,
  nowIso: string,
  schema: { filesColumn: boolean },
): RawBuilder<unknown>[] {
  const { userId } = request;
  const readable = request.includePublic
    ? sql`m.room_id IN (
        SELECT room_id FROM memberships WHERE user_id = ${userId}
        UNION
        SELECT id FROM rooms WHERE kind = 'room' AND visibility = 'public' AND id NOT IN (
          SELECT room_id FROM room_bans WHERE user_id = ${userId} AND (until IS NULL OR until > ${nowIso})))`
    : sql`m.room_id IN (SELECT room_id FROM memberships WHERE user_id = ${userId})`;
  const conditions = [readable, sql`m.deleted = 0`];
  if (request.roomIds) conditions.push(sql`m.room_id IN (${sql.join(request.roomIds)})`);
  if (request.authorIds) conditions.push(sql`m.author_id IN (${sql.join(request.authorIds)})`);
  if (request.before) conditions.push(sql`m.created_at < ${request.before}`);
  if (request.after) conditions.push(sql`m.created_at >= ${request.after}`);
  if (request.hasLink)
    conditions.push(
      sql`(${sql.join(
        linkPatterns.map((pattern) => sql`m.text LIKE ${pattern}`),
        sql` OR `,
      )})`,
    );
  // A message keeps the files it presents as JSON (`messages.files`, issue 11); a database from before
  // files has none.
  if (request.hasFile) conditions.push(schema.filesColumn ? sql`m.files <> '[]'` : sql`1 = 0`);
  return conditions;
}

export const allOf = (conditions: RawBuilder<unknown>[]) => sql.join(conditions, sql` AND `);
