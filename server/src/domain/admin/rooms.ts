import type { AdminRoom, AdminRoomsQuery } from '@parley/protocol';
import { sql } from 'kysely';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { fail } from '../../errors.js';
import { setArchived } from '../moderation/archive.js';
import { audit } from './audit.js';
import { requireAdmin } from './guard.js';
import { decodeCursor, page, prefixPattern } from './paging.js';

const rooms = (ctx: Ctx) =>
  ctx.store.db
    .selectFrom('rooms as r')
    .leftJoin('users as o', 'o.id', 'r.owner_id')
    .select([
      'r.id',
      'r.name',
      'r.name_key',
      'r.description',
      'r.visibility',
      'r.archived_at',
      'r.owner_id',
      'o.username as owner_name',
      'r.last_seq',
      'r.created_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('memberships as c')
        .select(eb.fn.countAll().as('n'))
        .whereRef('c.room_id', '=', 'r.id')
        .as('member_count'),
    )
    // DMs are people's private conversations, not rooms to administer.
    .where('r.kind', '=', 'room');

type Row = Awaited<ReturnType<ReturnType<typeof rooms>['execute']>>[number];

function toAdminRoom(row: Row): AdminRoom {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    archived: row.archived_at !== null,
    owner: row.owner_id ? { id: row.owner_id, username: row.owner_name ?? '' } : null,
    memberCount: Number(row.member_count ?? 0),
    lastSeq: Number(row.last_seq),
    createdAt: row.created_at,
  };
}

/** Every room, private ones included, by name, a page at a time. */
export async function listAllRooms(ctx: Ctx, auth: Auth, query: AdminRoomsQuery) {
  requireAdmin(auth);
  const limit = query.limit ?? 50;
  const after = decodeCursor(query.cursor, 1);
  const name = prefixPattern(query.q);
  const rows = await rooms(ctx)
    .$if(name !== undefined, (qb) => qb.where(sql<boolean>`r.name_key LIKE ${name} ESCAPE '\\'`))
    .$if(query.filter === 'public', (qb) => qb.where('r.visibility', '=', 'public'))
    .$if(query.filter === 'private', (qb) => qb.where('r.visibility', '=', 'private'))
    .$if(query.filter === 'archived', (qb) => qb.where('r.archived_at', 'is not', null))
    .$if(after !== undefined, (qb) => qb.where('r.name_key', '>', String(after?.[0])))
    .orderBy('r.name_key')
    .limit(limit + 1)
    .execute();
  const { items, nextCursor } = page(rows, limit, (row) => [row.name_key ?? '']);
  return { rooms: items.map(toAdminRoom), nextCursor };
}

async function roomRow(ctx: Ctx, roomId: string) {
  const room = await ctx.store.db
    .selectFrom('rooms')
    .selectAll()
    .where('id', '=', roomId)
    .where('kind', '=', 'room')
    .executeTakeFirst();
  if (!room) fail('room_not_found');
  return room;
}

export async function adminArchive(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  archived: boolean,
): Promise<AdminRoom> {
  requireAdmin(auth);
  await setArchived(ctx, auth, await roomRow(ctx, roomId), archived);
  return toAdminRoom(await rooms(ctx).where('r.id', '=', roomId).executeTakeFirstOrThrow());
}

/**
 * Deletes a room with its messages. Its members leave first (so nothing more is written there), the
 * messages go in batches (a huge room must not hold the database for long), then the room itself.
 */
export async function deleteRoom(ctx: Ctx, auth: Auth, roomId: string): Promise<void> {
  requireAdmin(auth);
  const room = await roomRow(ctx, roomId);
  await ctx.store.db.deleteFrom('memberships').where('room_id', '=', roomId).execute();
  ctx.events.emit('room.deleted', { roomId });
  for (let upto = 0; upto < Number(room.last_seq); ) {
    upto += 5_000;
    await ctx.store.db
      .deleteFrom('messages')
      .where('room_id', '=', roomId)
      .where('seq', '<=', upto)
      .execute();
  }
  await ctx.store.db.deleteFrom('rooms').where('id', '=', roomId).execute();
  await audit(ctx, auth, 'room.delete', {
    target: { type: 'room', id: room.id, name: room.name },
    detail: { messages: Number(room.last_seq), visibility: room.visibility },
  });
}
