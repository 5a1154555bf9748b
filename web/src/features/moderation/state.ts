import type { Ban, Member, Report, ReportStatus, Restriction, Room, UserSummary } from '@parley/protocol';
import { errorText } from '../../api/errors';
import { goTo, paths } from '../../routes/paths';
import type { Chat } from '../../state/chat';
import { loadRooms } from '../../state/rooms';
import { Store } from '../../state/store';
import type { ChatState } from '../../state/types';
import * as api from './api';

export interface ModerationState {
  /** Something moderators did to the reader that no open room shows (a ban from a private room). */
  flash: string | null;
  /** People the reader blocked (null until loaded). */
  blocked: UserSummary[] | null;
  /** The moderators' queue, as last loaded, with reports arriving live on top. */
  queue: { status: ReportStatus; reports: Report[]; cursor?: string; loading: boolean; error?: string };
  /** The bans in force per room, as last loaded by a moderator who opened the list (null: loading). */
  bans: Record<string, { list: Ban[] | null; error?: string }>;
}

const initial: ModerationState = {
  flash: null,
  blocked: null,
  queue: { status: 'open', reports: [], loading: false },
  bans: {},
};

const stores = new WeakMap<Chat, Store<ModerationState>>();

/** One per signed-in session, like the others: nothing of one person's queue reaches the next. */
export function moderationStore(chat: Chat): Store<ModerationState> {
  let store = stores.get(chat);
  if (!store) {
    store = new Store<ModerationState>(initial);
    stores.set(chat, store);
  }
  return store;
}

function patchRoom(chat: Chat, roomId: string, change: (room: Room) => Room): void {
  chat.store.set((s) => {
    const room = s.rooms[roomId];
    return room ? { ...s, rooms: { ...s.rooms, [roomId]: change(room) } } : s;
  });
}

function withRestriction(room: Room, restriction: Restriction | null): Room {
  const { restriction: _old, ...rest } = room;
  return restriction ? { ...rest, restriction } : rest;
}

/** A member's new role or mute, in the room's list (and the reader's own role on the room). */
export function putMember(chat: Chat, roomId: string, member: Member): void {
  chat.store.set((s): ChatState => {
    const list = s.members[roomId];
    const room = s.rooms[roomId];
    return {
      ...s,
      members: list
        ? { ...s.members, [roomId]: list.map((m) => (m.id === member.id ? { ...m, ...member } : m)) }
        : s.members,
      rooms:
        room && member.id === s.me.id ? { ...s.rooms, [roomId]: { ...room, role: member.role } } : s.rooms,
    };
  });
}

/** What the server tells about moderation: roles, mutes, bans, archived and deleted rooms, reports. */
export function wireModeration(chat: Chat): () => void {
  const { socket } = chat;
  const store = moderationStore(chat);
  const onMember = ({ roomId, member }: { roomId: string; member: Member }) =>
    putMember(chat, roomId, member);
  const onRestriction = ({
    roomId,
    restriction,
    message,
  }: {
    roomId: string;
    restriction: Restriction | null;
    message: string;
  }) => {
    if (chat.store.get().rooms[roomId]) patchRoom(chat, roomId, (room) => withRestriction(room, restriction));
    // A room the reader can no longer see (a private one they were banned from): say it once, here.
    else if (restriction) store.set((s) => ({ ...s, flash: message }));
  };
  const onUpdated = ({ roomId, archived }: { roomId: string; archived?: boolean }) => {
    if (archived === undefined) return;
    patchRoom(chat, roomId, (room) => {
      const { archived: _old, ...rest } = room;
      return archived ? { ...rest, archived } : rest;
    });
  };
  const onDeleted = ({ roomId }: { roomId: string }) => forgetDeletedRoom(chat, roomId);
  // A burst of new public rooms comes as one signal: fetch the list once, not once per room.
  const onRoomsChanged = () => void loadRooms(chat);
  const onReport = (report: Report) =>
    store.set((s) =>
      s.queue.status !== 'open' || s.queue.reports.some((r) => r.id === report.id)
        ? s
        : { ...s, queue: { ...s.queue, reports: [report, ...s.queue.reports] } },
    );
  socket.on('member:updated', onMember);
  socket.on('room:restriction', onRestriction);
  socket.on('room:updated', onUpdated);
  socket.on('room:deleted', onDeleted);
  socket.on('rooms:changed', onRoomsChanged);
  socket.on('report:new', onReport);
  loadBlocks(chat).catch(() => {});
  return () => {
    socket.off('member:updated', onMember);
    socket.off('room:restriction', onRestriction);
    socket.off('room:updated', onUpdated);
    socket.off('room:deleted', onDeleted);
    socket.off('rooms:changed', onRoomsChanged);
    socket.off('report:new', onReport);
  };
}

function forgetDeletedRoom(chat: Chat, roomId: string): void {
  const wasOpen = chat.store.get().activeRoomId === roomId;
  const name = chat.store.get().rooms[roomId]?.name;
  chat.store.set((s) => {
    const { [roomId]: _r, ...rooms } = s.rooms;
    const { [roomId]: _t, ...timelines } = s.timelines;
    const { [roomId]: _m, ...members } = s.members;
    return { ...s, rooms, timelines, members, activeRoomId: wasOpen ? null : s.activeRoomId };
  });
  if (wasOpen) {
    moderationStore(chat).set((s) => ({ ...s, flash: `${name ? `#${name}` : 'This room'} was deleted.` }));
    goTo(paths.home(), { replace: true });
  }
}

export const dismissFlash = (chat: Chat) => moderationStore(chat).set((s) => ({ ...s, flash: null }));

// Actions of the member menu. Each answers with what changed, which the socket also tells every
// member; applying it here as well shows it at once to the one who acted.

export async function makeModerator(chat: Chat, roomId: string, userId: string, on: boolean) {
  const { member } = await api.setRole(roomId, userId, on ? 'moderator' : 'member');
  putMember(chat, roomId, member);
}

export async function muteMember(
  chat: Chat,
  roomId: string,
  userId: string,
  until: string | null,
  reason?: string,
) {
  const { member } = await api.mute(roomId, userId, until, reason);
  putMember(chat, roomId, member);
}

export async function unmuteMember(chat: Chat, roomId: string, userId: string) {
  const { member } = await api.unmute(roomId, userId);
  putMember(chat, roomId, member);
}

export const removeMember = (_chat: Chat, roomId: string, userId: string) => api.removeMember(roomId, userId);

export async function banMember(
  chat: Chat,
  roomId: string,
  userId: string,
  until: string | null,
  reason?: string,
) {
  await api.ban(roomId, userId, until, reason);
  // The ban list, if this moderator has it open, shows the new ban with who made it and when.
  if (moderationStore(chat).get().bans[roomId]) await loadBans(chat, roomId);
}

// Bans. The server tells the banned person, not the other moderators: the list is fetched when a
// moderator opens it and kept current with what this moderator does.

function setBans(chat: Chat, roomId: string, entry: ModerationState['bans'][string]) {
  moderationStore(chat).set((s) => ({ ...s, bans: { ...s.bans, [roomId]: entry } }));
}

export async function loadBans(chat: Chat, roomId: string): Promise<void> {
  const current = moderationStore(chat).get().bans[roomId];
  if (!current) setBans(chat, roomId, { list: null });
  try {
    const { bans } = await api.listBans(roomId);
    setBans(chat, roomId, { list: bans });
  } catch (error) {
    setBans(chat, roomId, { list: current?.list ?? [], error: errorText(error) });
  }
}

export async function liftBan(chat: Chat, roomId: string, userId: string): Promise<void> {
  await api.unban(roomId, userId);
  const list = moderationStore(chat).get().bans[roomId]?.list;
  if (list) setBans(chat, roomId, { list: list.filter((ban) => ban.user.id !== userId) });
}

export async function archiveRoom(chat: Chat, roomId: string, archived: boolean) {
  await (archived ? api.archive(roomId) : api.unarchive(roomId));
  patchRoom(chat, roomId, (room) => ({ ...room, archived }));
}

export const reportMessage = (_chat: Chat, roomId: string, seq: number, reason?: string) =>
  api.report(roomId, seq, reason);

// Blocks.

export async function loadBlocks(chat: Chat): Promise<void> {
  const { users } = await api.blocks();
  moderationStore(chat).set((s) => ({ ...s, blocked: users }));
}

export async function setBlocked(chat: Chat, user: UserSummary, on: boolean): Promise<void> {
  await (on ? api.block(user.id) : api.unblock(user.id));
  moderationStore(chat).set((s) => {
    const others = (s.blocked ?? []).filter((u) => u.id !== user.id);
    return { ...s, blocked: on ? [...others, user] : others };
  });
  // A DM with them now carries (or no longer carries) the restriction the server computes.
  void loadRooms(chat);
}

// The moderators' queue.

export async function loadQueue(chat: Chat, status: ReportStatus, more = false): Promise<void> {
  const store = moderationStore(chat);
  const cursor = more ? store.get().queue.cursor : undefined;
  store.set((s) => ({
    ...s,
    queue: more ? { ...s.queue, loading: true } : { status, reports: [], loading: true },
  }));
  try {
    const page = await api.reports({ status, cursor });
    store.set((s) =>
      s.queue.status !== status
        ? s
        : {
            ...s,
            queue: {
              status,
              reports: more ? [...s.queue.reports, ...page.reports] : page.reports,
              cursor: page.nextCursor,
              loading: false,
            },
          },
    );
  } catch (error) {
    store.set((s) => ({ ...s, queue: { ...s.queue, loading: false, error: errorText(error) } }));
  }
}

export async function settleReport(chat: Chat, id: string, status: 'resolved' | 'dismissed') {
  const { report } = await api.resolveReport(id, status);
  moderationStore(chat).set((s) => ({
    ...s,
    queue: {
      ...s.queue,
      reports:
        s.queue.status === 'open'
          ? s.queue.reports.filter((r) => r.id !== id)
          : s.queue.reports.map((r) => (r.id === id ? report : r)),
    },
  }));
}

/** Whether the reader moderates anything: admins, and owners and moderators of a room. */
export const moderatesSomething = (s: ChatState) =>
  s.me.admin || Object.values(s.rooms).some((r) => r.role === 'owner' || r.role === 'moderator');
