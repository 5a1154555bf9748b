import { limits, type Room, type UserSummary } from '@parley/protocol';
import { sql } from 'kysely';
import { notificationsOf } from '../attention/levels.js';
import type { Ctx } from '../context.js';
import { restrictionsOf } from '../moderation/restrictions.js';
import { summaryOf } from '../mapping.js';

/**
 * Which rooms: by id; every room the user is in; or a page of the public rooms they are not in, by
 * name after `after` (a name key).
 */
type RoomFilter = { ids: string[] } | 'joined' | { unjoinedPublic: { after?: string; limit: number } };

/**
 * Rooms as one user sees them: membership, role, member count, unread count (messages after the
 * reader's position, not counting their own), whether they may send and, for a DM, the other person.
 * Nothing here grows with the size of a room: the member count is kept on the room, and the unread
 * count reads at most `limits.unreadCountMax` messages past the reader's position (beyond, that many).
 */
export async function roomViews(ctx: Ctx, userId: string, filter: RoomFilter): Promise<Room[]> {
  if (typeof filter === 'object' && 'ids' in filter && filter.ids.length === 0) return [];
  const rows = await ctx.store.db
    .selectFrom('rooms as r')
    .leftJoin('memberships as m', (join) => join.onRef('m.room_id', '=', 'r.id').on('m.user_id', '=', userId))
    .selectAll('r')
    .select([
      'm.role',
      'm.read_seq',
      'm.notify_level',
      'm.notify_muted_until',
      'm.muted_until',
      'm.muted_reason',
    ])
    .select((eb) => [
      eb
        .case()
        .when(sql<number>`r.last_seq - m.read_seq`, '>', limits.unreadCountMax)
        .then(sql<number>`${limits.unreadCountMax}`)
        .else(
          eb
            .selectFrom('messages as x')
            .select(eb.fn.countAll().as('n'))
            .whereRef('x.room_id', '=', 'r.id')
            .whereRef('x.seq', '>', 'm.read_seq')
            .where('x.author_id', '!=', userId),
        )
        .end()
        .as('unread_count'),
      // The caller's own mention rows and the room-wide ones: a few index entries, whatever the room's size.
      eb
        .selectFrom('user_mentions as um')
        .select(eb.fn.countAll().as('n'))
        .whereRef('um.room_id', '=', 'r.id')
        .where('um.user_id', 'in', [userId, '*'])
        .whereRef('um.seq', '>', 'm.read_seq')
        .where('um.author_id', '!=', userId)
        .as('unread_mentions'),
    ])
    .$call((qb) => {
      if (filter === 'joined') return qb.where('m.user_id', 'is not', null);
      if ('ids' in filter) return qb.where('r.id', 'in', filter.ids);
      const { after, limit } = filter.unjoinedPublic;
      return qb
        .where('r.kind', '=', 'room')
        .where('r.visibility', '=', 'public')
        .where('m.user_id', 'is', null)
        .$if(after !== undefined, (q) => q.where('r.name_key', '>', after as string))
        .limit(limit);
    })
    .orderBy('r.kind')
    .orderBy('r.name_key')
    .orderBy('r.created_at')
    .execute();

  const peers = await dmPeers(
    ctx,
    userId,
    rows.filter((row) => row.kind === 'dm').map((row) => row.id),
  );
  const restrictions = await restrictionsOf(
    ctx,
    userId,
    rows.map((row) => ({ ...row, peerId: peers.get(row.id)?.id ?? null })),
  );
  return rows.map((row): Room => {
    const peer = peers.get(row.id) ?? null;
    const memberCount = Number(row.member_count ?? 0);
    const room: Room = {
      id: row.id,
      name: row.kind === 'dm' ? (peer?.username ?? 'Direct message') : row.name,
      description: row.description,
      visibility: row.visibility,
      kind: row.kind,
      ownerId: row.owner_id,
      memberCount,
      joined: row.role !== null,
      unreadCount: Number(row.unread_count ?? 0),
      lastSeq: Number(row.last_seq),
      readSeq: Number(row.read_seq ?? 0),
      unreadMentions: Number(row.unread_mentions ?? 0),
      peer,
      createdAt: row.created_at,
    };
    if (row.role !== null) room.notifications = notificationsOf(ctx, { kind: row.kind, memberCount }, row);
    if (row.role !== null) room.role = row.role;
    if (row.archived_at !== null) room.archived = true;
    const restriction = restrictions.get(row.id);
    if (restriction) room.restriction = restriction;
    return room;
  });
}

async function dmPeers(ctx: Ctx, userId: string, roomIds: string[]): Promise<Map<string, UserSummary>> {
  if (roomIds.length === 0) return new Map();
  const rows = await ctx.store.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.room_id', 'users.id', 'users.username', 'users.avatar_id', 'users.display_name'])
    .where('memberships.room_id', 'in', roomIds)
    .where('memberships.user_id', '!=', userId)
    .execute();
  return new Map(rows.map((row) => [row.room_id, summaryOf(row)]));
}

export async function roomView(ctx: Ctx, userId: string, roomId: string): Promise<Room> {
  const [room] = await roomViews(ctx, userId, { ids: [roomId] });
  if (!room) throw new Error(`room ${roomId} vanished`);
  return room;
}
