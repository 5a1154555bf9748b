import type { Room } from '@parley/protocol';
import { ApiError, errorText } from '../api/errors';
import * as api from '../api/rooms';
import { highestRev, noteRev } from '../features/messages/store';
import { goTo, paths } from '../routes/paths';
import type { Chat } from './chat';
import { memberStatus } from './presence';
import { mergeMessages } from './timeline';
import { type ChatState, emptyTimeline, type Timeline } from './types';

export async function loadRooms(chat: Chat): Promise<void> {
  try {
    const { rooms } = await api.listRooms();
    chat.store.set((s) => ({
      ...s,
      roomsLoaded: true,
      rooms: Object.fromEntries(rooms.map((room) => [room.id, { ...room, lastSeq: highest(s, room) }])),
    }));
    const { activeRoomId } = chat.store.get();
    if (activeRoomId) await showRoom(chat, activeRoomId);
  } catch {
    // The socket's connect handler retries; the sidebar shows the rooms it has until then.
  }
}

/** Never move a room's known last seq backwards: a message can arrive before the list does. */
function highest(s: ChatState, room: Room): number {
  return Math.max(room.lastSeq, s.rooms[room.id]?.lastSeq ?? 0);
}

export function upsertRoom(chat: Chat, room: Room): void {
  chat.store.set((s) => ({ ...s, rooms: { ...s.rooms, [room.id]: { ...room, lastSeq: highest(s, room) } } }));
}

export function setTimeline(chat: Chat, roomId: string, change: (t: Timeline) => Partial<Timeline>): void {
  chat.store.set((s) => {
    const current = s.timelines[roomId] ?? emptyTimeline;
    return { ...s, timelines: { ...s.timelines, [roomId]: { ...current, ...change(current) } } };
  });
}

/** Goes to a room's address; the screen showing that address then calls showRoom. */
export function openRoom(roomId: string): void {
  goTo(paths.room(roomId));
}

/**
 * Makes a room the open one (null: none) and loads what it lacks. The address is the source of this:
 * the screen calls it whenever the address names another room, and actions go to addresses.
 */
export async function showRoom(chat: Chat, roomId: string | null): Promise<void> {
  const previous = chat.store.get().activeRoomId;
  chat.store.set((s) => (s.activeRoomId === roomId ? s : { ...s, activeRoomId: roomId }));
  if (!roomId) return;
  const room = chat.store.get().rooms[roomId];
  const timeline = chat.store.get().timelines[roomId];
  if (previous !== roomId || !timeline) {
    // The marker sits at the first message this visit has not seen before.
    const unread = room && room.readSeq < room.lastSeq ? room.readSeq + 1 : null;
    setTimeline(chat, roomId, () => ({ firstUnreadSeq: unread }));
  }
  if (!timeline || timeline.error) await loadRoom(chat, roomId);
  markRead(chat, roomId);
}

async function loadRoom(chat: Chat, roomId: string): Promise<void> {
  setTimeline(chat, roomId, () => ({ loading: true, error: undefined }));
  try {
    const details = await api.roomDetails(roomId);
    // Loaded while connected: later changes come on the socket, so sync may start from this page.
    if (chat.socket.connected) noteRev(chat, roomId, highestRev(details.messages));
    upsertRoom(chat, details.room);
    chat.store.set((s) => ({
      ...s,
      members: { ...s.members, [roomId]: details.members },
      memberCursors: withCursor(s.memberCursors, roomId, details.membersCursor),
      presence: { ...s.presence, ...Object.fromEntries(details.members.map((m) => [m.id, memberStatus(m)])) },
    }));
    // Many unread: open at the first of them, with the newer ones loading as the reader scrolls down.
    const unreadFrom = details.room.readSeq + 1;
    const oldest = details.messages[0]?.seq;
    if (details.room.readSeq > 0 && oldest !== undefined && oldest > unreadFrom) {
      const page = await api.history(roomId, { around: unreadFrom, limit: 50 });
      if (chat.socket.connected) noteRev(chat, roomId, highestRev(page.messages));
      setTimeline(chat, roomId, (t) => ({
        loading: false,
        messages: page.messages,
        hasMore: page.hasMore,
        hasNewer: page.hasNewer ?? false,
        firstUnreadSeq: t.firstUnreadSeq ?? unreadFrom,
      }));
      return;
    }
    setTimeline(chat, roomId, (t) => ({
      loading: false,
      messages: mergeMessages(t.messages, details.messages),
      hasMore: details.hasMore,
      firstUnreadSeq:
        t.firstUnreadSeq ?? (details.room.readSeq < details.room.lastSeq ? details.room.readSeq + 1 : null),
    }));
  } catch (error) {
    const gone = error instanceof ApiError && (error.status === 404 || error.status === 403);
    setTimeline(chat, roomId, () => ({
      loading: false,
      error: gone ? 'This room does not exist or you cannot see it.' : errorText(error),
    }));
  }
}

export async function loadOlder(chat: Chat, roomId: string): Promise<void> {
  const timeline = chat.store.get().timelines[roomId];
  if (!timeline || timeline.loading || !timeline.hasMore) return;
  const before = timeline.messages[0]?.seq;
  if (before === undefined) return;
  setTimeline(chat, roomId, () => ({ loading: true }));
  try {
    const page = await api.history(roomId, { before, limit: 50 });
    setTimeline(chat, roomId, (t) => ({
      loading: false,
      hasMore: page.hasMore,
      messages: mergeMessages(t.messages, page.messages),
    }));
  } catch (error) {
    setTimeline(chat, roomId, () => ({ loading: false, error: errorText(error) }));
  }
}

/**
 * Brings a linked message (a search result, a shared link) into the timeline: the page around it,
 * when the room's history as held does not reach it. A page that does not reach the latest message
 * replaces what was held, and newer ones load as the reader scrolls down (`loadNewer`).
 */
export async function showMessage(chat: Chat, roomId: string, seq: number): Promise<void> {
  const timeline = chat.store.get().timelines[roomId];
  if (!timeline || timeline.loading || timeline.error) return;
  if (timeline.messages.some((m) => m.seq === seq)) return;
  setTimeline(chat, roomId, () => ({ loading: true }));
  try {
    const page = await api.history(roomId, { around: seq, limit: 50 });
    setTimeline(chat, roomId, (t) =>
      page.hasNewer
        ? { loading: false, messages: page.messages, hasMore: page.hasMore, hasNewer: true }
        : { loading: false, messages: mergeMessages(t.messages, page.messages), hasMore: page.hasMore },
    );
  } catch (error) {
    setTimeline(chat, roomId, () => ({ loading: false, error: errorText(error) }));
  }
}

/** The next page after an older page the timeline holds, until it reaches the latest. */
export async function loadNewer(chat: Chat, roomId: string): Promise<void> {
  const timeline = chat.store.get().timelines[roomId];
  if (!timeline?.hasNewer || timeline.loading) return;
  const after = timeline.messages.at(-1)?.seq ?? 0;
  setTimeline(chat, roomId, () => ({ loading: true }));
  try {
    const page = await api.history(roomId, { after, limit: 100 });
    setTimeline(chat, roomId, (t) => ({
      loading: false,
      messages: mergeMessages(t.messages, page.messages),
      hasNewer: page.hasMore,
    }));
  } catch (error) {
    setTimeline(chat, roomId, () => ({ loading: false, error: errorText(error) }));
  }
}

/** Back to the latest page, from an older one held for a link. */
export async function loadLatest(chat: Chat, roomId: string): Promise<void> {
  setTimeline(chat, roomId, () => ({ loading: true }));
  try {
    const page = await api.history(roomId, { limit: 50 });
    setTimeline(chat, roomId, () => ({
      loading: false,
      messages: page.messages,
      hasMore: page.hasMore,
      hasNewer: false,
    }));
  } catch (error) {
    setTimeline(chat, roomId, () => ({ loading: false, error: errorText(error) }));
  }
}

/** Fills a hole between what we hold and a message that arrived ahead of it. */
export async function fillGap(chat: Chat, roomId: string, after: number): Promise<void> {
  try {
    const page = await api.history(roomId, { after, limit: 200 });
    setTimeline(chat, roomId, (t) => ({ messages: mergeMessages(t.messages, page.messages) }));
  } catch {
    // The next reconnect's sync covers it.
  }
}

/** Records that the person has seen everything in the room, here and in their other tabs. */
export function markRead(chat: Chat, roomId: string): void {
  const room = chat.store.get().rooms[roomId];
  if (!room?.joined) return;
  if (room.unreadCount === 0 && !room.unreadMentions && room.readSeq >= room.lastSeq) return;
  const seq = room.lastSeq;
  chat.store.set((s) => ({
    ...s,
    rooms: { ...s.rooms, [roomId]: { ...room, readSeq: seq, unreadCount: 0, unreadMentions: 0 } },
  }));
  if (chat.socket.connected && seq > 0) chat.socket.emit('read', { roomId, seq });
}

export async function joinRoom(chat: Chat, roomId: string): Promise<void> {
  const { room } = await api.joinRoom(roomId);
  // Someone who just joined has missed nothing: what came before is history, not "new".
  upsertRoom(chat, { ...room, readSeq: room.lastSeq, unreadCount: 0 });
  // What we held from before joining (an error, a preview) is stale now.
  chat.store.set((s) => {
    const { [roomId]: _stale, ...timelines } = s.timelines;
    return { ...s, timelines };
  });
  openRoom(roomId);
  // Joining from the room's own page leaves the address as it was: load the member's view here.
  await showRoom(chat, roomId);
}

export async function leaveRoom(chat: Chat, roomId: string): Promise<void> {
  await api.leaveRoom(roomId);
  forgetRoom(chat, roomId);
}

/**
 * After leaving or being removed: a public room stays in the list to rejoin, a private one goes.
 * Someone removed or banned from the public room they are reading (`stay`) stays on it, where the
 * room says why they can no longer write, instead of being sent away without a word.
 */
export function forgetRoom(chat: Chat, roomId: string, options: { stay?: boolean } = {}): void {
  const room = chat.store.get().rooms[roomId];
  const publicRoom = room?.visibility === 'public' && room.kind === 'room';
  if (options.stay && publicRoom) {
    chat.store.set((s) => ({
      ...s,
      rooms: {
        ...s.rooms,
        [roomId]: { ...room, joined: false, unreadCount: 0, memberCount: Math.max(0, room.memberCount - 1) },
      },
    }));
    return;
  }
  chat.store.set((s) => {
    const room = s.rooms[roomId];
    const rooms = { ...s.rooms };
    if (room && room.visibility === 'public' && room.kind === 'room') {
      rooms[roomId] = {
        ...room,
        joined: false,
        unreadCount: 0,
        memberCount: Math.max(0, room.memberCount - 1),
      };
    } else delete rooms[roomId];
    const { [roomId]: _t, ...timelines } = s.timelines;
    const { [roomId]: _m, ...members } = s.members;
    return {
      ...s,
      rooms,
      timelines,
      members,
      activeRoomId: s.activeRoomId === roomId ? null : s.activeRoomId,
    };
  });
  if (chat.store.get().activeRoomId === null) goTo(paths.home(), { replace: true });
}

export async function createRoom(
  chat: Chat,
  name: string,
  description: string,
  visibility: 'public' | 'private',
): Promise<void> {
  const { room } = await api.createRoom(name, description, visibility);
  upsertRoom(chat, room);
  openRoom(room.id);
}

export async function startDm(chat: Chat, userId: string): Promise<void> {
  const { room } = await api.openDm(userId);
  upsertRoom(chat, room);
  openRoom(room.id);
}

/** Sets or clears a room's member cursor. */
export function withCursor(cursors: Record<string, string>, roomId: string, cursor: string | undefined) {
  const { [roomId]: _old, ...rest } = cursors;
  return cursor ? { ...rest, [roomId]: cursor } : rest;
}

/** The next page of a big room's member list, appended to what is shown (and so watched). */
export async function loadMoreMembers(chat: Chat, roomId: string): Promise<void> {
  const cursor = chat.store.get().memberCursors[roomId];
  if (!cursor) return;
  const page = await api.memberPage(roomId, cursor);
  chat.store.set((s) => {
    const held = s.members[roomId] ?? [];
    const known = new Set(held.map((m) => m.id));
    return {
      ...s,
      members: { ...s.members, [roomId]: [...held, ...page.members.filter((m) => !known.has(m.id))] },
      memberCursors: withCursor(s.memberCursors, roomId, page.cursor),
      presence: { ...s.presence, ...Object.fromEntries(page.members.map((m) => [m.id, memberStatus(m)])) },
    };
  });
}
