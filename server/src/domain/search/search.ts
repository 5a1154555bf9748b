import { type SearchQuery, type SearchReply, type SearchRoom, searchLimits } from '@parley/protocol';
import { sql } from 'kysely';
import { AppError, fail } from '../../errors.js';
import type { SearchCursor, SearchRequest } from '../../store/search/types.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { summaryOf } from '../mapping.js';
import { present } from '../messages/present.js';
import { roomFor } from '../rooms/access.js';
import { highlight } from './highlight.js';
import { dayOf, parseQuery } from './query.js';

/** Deep pages of "best match" re-rank everything before them: far enough for a person, not a crawler. */
const offsetMax = 1000;

/**
 * Messages the caller can read that match a query: authorized from server state at the moment of
 * the search (membership now, not when the message was sent), newest or best match first, with the
 * ranges of each text that matched.
 */
export async function search(ctx: Ctx, auth: Auth, input: SearchQuery): Promise<SearchReply> {
  const index = ctx.store.search;
  if (!index.enabled) fail('search_unavailable');
  await limitSearches(ctx, auth.user.id);
  const parsed = parseQuery(input.q);
  const request: SearchRequest = {
    terms: parsed.terms,
    userId: auth.user.id,
    includePublic: input.public === 'true',
    sort: input.sort ?? 'newest',
    limit: input.limit ?? searchLimits.pageDefault,
    cursor: decodeCursor(input.cursor),
    hasFile: parsed.hasFile,
    hasLink: parsed.hasLink,
    before: earliest(parsed.before, input.before && dayOf(input.before, 'before').start),
    after: latest(parsed.after, input.after && dayOf(input.after, 'after').start),
  };
  if (input.roomId) {
    // A room the caller cannot see is a 404, as everywhere; naming a public room asks for it.
    const access = await roomFor(ctx, auth.user.id, input.roomId);
    if (!access.membership) request.includePublic = true;
    request.roomIds = [input.roomId];
  }
  const empty: SearchReply = { results: [] };
  const rooms = await roomsNamed(ctx, auth.user.id, parsed.in);
  if (rooms) request.roomIds = request.roomIds ? request.roomIds.filter((id) => rooms.includes(id)) : rooms;
  const authors = await usersNamed(ctx, input.from ? [...parsed.from, input.from] : parsed.from);
  if (authors) request.authorIds = authors;
  // Someone or somewhere named that does not exist: honestly nothing.
  if (request.roomIds?.length === 0 || request.authorIds?.length === 0) return empty;
  if (!parsed.terms.some((term) => !term.negated)) {
    if (parsed.terms.length > 0) fail('query_empty', 'Add a word to look for besides the ones to leave out.');
    if (!request.roomIds && !request.authorIds) fail('query_empty');
  }
  if (request.cursor && 'offset' in request.cursor && request.cursor.offset > offsetMax) return empty;

  // Asked before the search, not after: a reply that does not say `indexing` must have searched a
  // finished index (asked after, a backfill that ended in between made a partial page look whole).
  const indexing = await index.indexing();
  const page = await index.find(request);
  const messages = present(page.rows);
  const roomInfo = await roomsOf(ctx, auth.user.id, [...new Set(messages.map((m) => m.roomId))]);
  const results = messages.flatMap((message) => {
    const room = roomInfo.get(message.roomId);
    if (!room) return [];
    return [{ message, room, highlights: highlight(message.text, parsed.terms, index.language) }];
  });
  const reply: SearchReply = { results };
  if (page.next) reply.cursor = encodeCursor(page.next);
  if (indexing) reply.indexing = true;
  return reply;
}

async function limitSearches(ctx: Ctx, userId: string): Promise<void> {
  const { allowed, retryAfterMs } = await ctx.bus.limiter.hit(
    `search:user:${userId}`,
    ctx.config.searchLimitPerMinute,
    60_000,
  );
  if (!allowed) throw new AppError('rate_limited', 'Too many searches; wait a moment.', { retryAfterMs });
}

/** Ids of `from:` people (a username, or an id as the parameter may give); undefined when none named. */
async function usersNamed(ctx: Ctx, names: string[]): Promise<string[] | undefined> {
  if (names.length === 0) return undefined;
  const keys = names.map((name) => name.replace(/^@/, '').toLowerCase());
  const rows = await ctx.store.db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('username_key', 'in', keys), eb('id', 'in', names)]))
    .execute();
  return rows.map((row) => row.id);
}

/** Ids of `in:#room` rooms and `in:@person` DMs with the caller; undefined when none named. */
async function roomsNamed(ctx: Ctx, userId: string, names: string[]): Promise<string[] | undefined> {
  if (names.length === 0) return undefined;
  const roomKeys = names.filter((name) => name.startsWith('#')).map((name) => name.slice(1));
  const people = names.filter((name) => name.startsWith('@')).map((name) => name.slice(1));
  const peers = people.length
    ? await ctx.store.db.selectFrom('users').select('id').where('username_key', 'in', people).execute()
    : [];
  const dmKeys = peers.map((peer) => [userId, peer.id].sort().join(':'));
  if (roomKeys.length === 0 && dmKeys.length === 0) return [];
  const rows = await ctx.store.db
    .selectFrom('rooms')
    .select('id')
    .where((eb) =>
      eb.or([
        ...(roomKeys.length ? [eb('name_key', 'in', roomKeys)] : []),
        ...(dmKeys.length ? [eb('dm_key', 'in', dmKeys)] : []),
      ]),
    )
    .execute();
  return rows.map((row) => row.id);
}

/** What a result shows of its room; a DM is named after the other person, and carries them. */
async function roomsOf(ctx: Ctx, userId: string, roomIds: string[]): Promise<Map<string, SearchRoom>> {
  if (roomIds.length === 0) return new Map();
  const rows = await ctx.store.db
    .selectFrom('rooms as r')
    .select(['r.id', 'r.name', 'r.kind', 'r.visibility'])
    .select((eb) =>
      eb
        .selectFrom('memberships as m')
        .select(sql<number>`1`.as('one'))
        .whereRef('m.room_id', '=', 'r.id')
        .where('m.user_id', '=', userId)
        .as('joined'),
    )
    .where('r.id', 'in', roomIds)
    .execute();
  const dmIds = rows.filter((row) => row.kind === 'dm').map((row) => row.id);
  const peers = dmIds.length
    ? await ctx.store.db
        .selectFrom('memberships as p')
        .innerJoin('users as u', 'u.id', 'p.user_id')
        .select(['p.room_id', 'u.id', 'u.username', 'u.avatar_id', 'u.display_name'])
        .where('p.room_id', 'in', dmIds)
        .where('p.user_id', '!=', userId)
        .execute()
    : [];
  const peerOf = new Map(peers.map((peer) => [peer.room_id, summaryOf(peer)]));
  return new Map(
    rows.map((row) => {
      const peer = row.kind === 'dm' ? peerOf.get(row.id) : undefined;
      const room: SearchRoom = {
        id: row.id,
        name: row.kind === 'dm' ? (peer?.username ?? 'Direct message') : row.name,
        kind: row.kind,
        visibility: row.visibility,
        joined: row.joined !== null,
      };
      if (peer) room.peer = peer;
      return [row.id, room];
    }),
  );
}

/** Cursors are opaque to clients: the next page's start, as base64url JSON. */
function encodeCursor(cursor: SearchCursor): string {
  const value = 'offset' in cursor ? { o: cursor.offset } : { a: cursor.after };
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(raw: string | undefined): SearchCursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const { a, o } = (typeof value === 'object' && value !== null ? value : {}) as { a?: unknown; o?: unknown };
  if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return { offset: o };
  if (typeof a === 'number' && Number.isSafeInteger(a) && a >= 0) return { after: a };
  if (typeof a === 'string' && a.length > 0 && a.length <= 64) return { after: a };
  throw new AppError('validation_failed', 'That cursor is not valid: start the search again.');
}

const earliest = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b || undefined : b && b < a ? b : a;
const latest = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b || undefined : b && b > a ? b : a;
