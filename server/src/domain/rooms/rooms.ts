import {
  limits,
  type Member,
  memberLimits,
  type RoomDetailsReply,
  type RoomsQuery,
  type Visibility,
} from '@parley/protocol';
import { isUniqueViolation } from '../../store/errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { AppError, fail } from '../../errors.js';
import { now } from '../ids.js';
import { decodeCursor, page } from '../admin/paging.js';
import { history } from '../messages/history.js';
import { limit } from '../moderation/limits.js';
import { canManage, roomFor } from './access.js';
import { pageOf, toMember } from './members.js';
import { cleanRoomName } from './names.js';
import { newRoomRow } from './rows.js';
import { roomView, roomViews } from './view.js';

function refuseNul(value: string): string {
  if (value.includes('\u0000'))
    throw new AppError('validation_failed', 'Names and descriptions cannot contain NUL characters.');
  return value;
}

function cleanDescription(description: string | undefined): string {
  const trimmed = refuseNul(description ?? '').trim();
  if (trimmed.length > limits.roomDescriptionMax) {
    throw new AppError(
      'validation_failed',
      `Descriptions are at most ${limits.roomDescriptionMax} characters.`,
    );
  }
  return trimmed;
}

/**
 * Every room the caller is in, and a page of the public rooms they are not in (by name): a server with
 * thousands of public rooms must not send all of them to every client that starts.
 */
export async function listRooms(ctx: Ctx, auth: Auth, query: RoomsQuery = {}) {
  const pageSize = query.limit ?? limits.roomPageDefault;
  const after = decodeCursor(query.cursor, 1)?.[0];
  const joined = after === undefined ? await roomViews(ctx, auth.user.id, 'joined') : [];
  const unjoined = await roomViews(ctx, auth.user.id, {
    unjoinedPublic: { after: after === undefined ? undefined : String(after), limit: pageSize + 1 },
  });
  const { items, nextCursor } = page(unjoined, pageSize, (room) => [room.name.toLowerCase()]);
  const rooms = [...joined, ...items].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.name.toLowerCase().localeCompare(b.name.toLowerCase()),
  );
  return { rooms, nextCursor };
}

export async function createRoom(
  ctx: Ctx,
  auth: Auth,
  input: { name: string; description?: string; visibility?: Visibility },
) {
  const name = cleanRoomName(input.name);
  const description = cleanDescription(input.description);
  await limit(ctx, 'roomCreate', auth.user.id);
  const row = newRoomRow({
    name,
    description,
    visibility: input.visibility ?? 'public',
    ownerId: auth.user.id,
  });
  const { id } = row;
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('rooms').values(row).execute();
      await trx
        .insertInto('memberships')
        .values({ room_id: id, user_id: auth.user.id, role: 'owner', joined_at: now() })
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) fail('room_name_taken');
    throw error;
  }
  ctx.events.emit('member.joined', {
    roomId: id,
    user: auth.user,
    member: await memberOf(ctx, id, auth.user.id),
  });
  const view = await roomView(ctx, auth.user.id, id);
  if (view.visibility === 'public') {
    // As someone who has not joined sees it: no counts, and not the creator's notification settings.
    const { notifications: _creators, ...shown } = view;
    ctx.events.emit('room.created', {
      ...shown,
      joined: false,
      unreadCount: 0,
      readSeq: 0,
      unreadMentions: 0,
    });
  }
  return view;
}

export async function updateRoom(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  input: { name?: string; description?: string },
) {
  const access = await roomFor(ctx, auth.user.id, roomId);
  if (access.room.kind === 'dm' || !canManage(auth, access)) fail('forbidden');
  const name = input.name === undefined ? access.room.name : cleanRoomName(input.name);
  const description =
    input.description === undefined ? access.room.description : cleanDescription(input.description);
  try {
    await ctx.store.db
      .updateTable('rooms')
      .set({ name, name_key: name.toLowerCase(), description })
      .where('id', '=', roomId)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) fail('room_name_taken');
    throw error;
  }
  ctx.events.emit('room.updated', { roomId, name, description });
  return roomView(ctx, auth.user.id, roomId);
}

export async function members(ctx: Ctx, roomId: string, onlyUserId?: string): Promise<Member[]> {
  const rows = await ctx.store.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id',
      'users.username',
      'users.guest',
      'users.avatar_id',
      'users.display_name',
      'memberships.role',
      'memberships.muted_until',
    ])
    .where('memberships.room_id', '=', roomId)
    .$if(onlyUserId !== undefined, (qb) => qb.where('memberships.user_id', '=', onlyUserId as string))
    .orderBy('users.username_key')
    .execute();
  const states = await ctx.bus.presence.states(rows.map((row) => row.id));
  const at = now();
  return rows.map((row) => toMember(row, states.get(row.id) ?? 'offline', at));
}

/** One member, as `members` would list them (announced with every join). */
export async function memberOf(ctx: Ctx, roomId: string, userId: string): Promise<Member> {
  const [found] = await members(ctx, roomId, userId);
  if (!found) throw new Error(`user ${userId} is not in room ${roomId}`);
  return found;
}

/**
 * Details, members and, for members, the latest page of messages (non-members of a public room get
 * none). A room past `memberLimits.inlineMax` members sends its first page of members and a cursor
 * for the rest, rather than thousands of them every time it is opened.
 */
export async function roomDetails(ctx: Ctx, auth: Auth, roomId: string): Promise<RoomDetailsReply> {
  const access = await roomFor(ctx, auth.user.id, roomId);
  const page = access.membership
    ? await history(ctx, auth, roomId, {})
    : { messages: [], hasMore: access.room.last_seq > 0 };
  const room = await roomView(ctx, auth.user.id, roomId);
  if (room.memberCount > memberLimits.inlineMax) {
    const first = await pageOf(ctx, roomId, {});
    return { room, members: first.members, membersCursor: first.cursor, ...page };
  }
  return { room, members: await members(ctx, roomId), ...page };
}

/** On the first start (no rooms at all) the default rooms are created, owned by nobody. */
export async function ensureDefaultRooms(ctx: Ctx): Promise<void> {
  const any = await ctx.store.db.selectFrom('rooms').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const descriptions: Record<string, string> = {
    General: 'Everyone, everything.',
    'Tech Talk': 'Technology and code.',
    Random: 'Whatever is on your mind.',
  };
  for (const name of ctx.config.defaultRooms) {
    await ctx.store.db
      .insertInto('rooms')
      .values(newRoomRow({ name, description: descriptions[name], visibility: 'public' }))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
