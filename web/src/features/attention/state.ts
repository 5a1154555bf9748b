import type { Message, NotificationPrefs, Room, RoomNotificationsBody } from '@parley/protocol';
import * as api from '../../api/attention';
import type { Chat } from '../../state/chat';
import { Store, useStore } from '../../state/store';

/** One member's positions in a room: read up to `seq` (unknown when not shared), received up to `delivered`. */
export interface Position {
  seq?: number;
  delivered: number;
}

export interface AttentionState {
  /** Positions by room, then by user id, for the rooms whose receipts were loaded. */
  reads: Record<string, Record<string, Position>>;
  prefs: NotificationPrefs | null;
}

// One attention state per signed-in session, like the search state.
const stores = new WeakMap<Chat, Store<AttentionState>>();

export function attentionStore(chat: Chat): Store<AttentionState> {
  let store = stores.get(chat);
  if (!store) {
    store = new Store<AttentionState>({ reads: {}, prefs: null });
    stores.set(chat, store);
  }
  return store;
}

export const useAttention = <S>(chat: Chat, select: (state: AttentionState) => S): S =>
  useStore(attentionStore(chat), select);

/** Rooms where receipts are shown and delivery is reported: DMs and small groups (the server agrees). */
export const receiptsShown = (room: Room | undefined): boolean =>
  !!room?.joined && (room.kind === 'dm' || room.memberCount <= 25);

export const mentionsMe = (message: Message, myId: string): boolean =>
  message.author.id !== myId && (message.mentions.includes(myId) || message.groupMention !== undefined);

function move(chat: Chat, roomId: string, userId: string, change: (p: Position) => Position): void {
  attentionStore(chat).set((s) => {
    const room = s.reads[roomId];
    if (!room) return s;
    const next = change(room[userId] ?? { delivered: 0 });
    return { ...s, reads: { ...s.reads, [roomId]: { ...room, [userId]: next } } };
  });
}

export async function loadReads(chat: Chat, roomId: string): Promise<void> {
  try {
    const { reads } = await api.fetchReads(roomId);
    const positions = Object.fromEntries(
      reads.map((r) => [r.userId, { seq: r.seq, delivered: r.deliveredSeq }]),
    );
    attentionStore(chat).set((s) => ({ ...s, reads: { ...s.reads, [roomId]: positions } }));
  } catch {
    // Receipts are a nicety: the room works without them; the next visit tries again.
  }
}

const deliveries = new Map<string, number>();

/**
 * Tells the server what arrived here, at most once every 300 ms per room: the sender's "delivered"
 * tick. A room this tab does not know yet (a new DM) is reported too: the server decides by its size.
 */
export function reportDelivered(chat: Chat, message: Message): void {
  if (message.author.id === chat.me.id) return;
  const room = chat.store.get().rooms[message.roomId];
  if (room && !receiptsShown(room)) return;
  const pending = deliveries.get(message.roomId);
  deliveries.set(message.roomId, Math.max(pending ?? 0, message.seq));
  if (pending !== undefined) return;
  window.setTimeout(() => {
    const seq = deliveries.get(message.roomId) ?? 0;
    deliveries.delete(message.roomId);
    if (chat.socket.connected && seq > 0) chat.socket.emit('delivered', { roomId: message.roomId, seq });
  }, 300);
}

/** Positions and settings the server tells of: other members' receipts, this person's other tabs. */
export function wireAttention(chat: Chat): () => void {
  const { socket } = chat;
  const onRead = ({ roomId, userId, seq }: { roomId: string; userId?: string; seq: number }) => {
    if (!userId) return;
    move(chat, roomId, userId, (p) => ({
      seq: Math.max(p.seq ?? 0, seq),
      delivered: Math.max(p.delivered, seq),
    }));
  };
  const onDelivered = ({ roomId, userId, seq }: { roomId: string; userId: string; seq: number }) =>
    move(chat, roomId, userId, (p) => ({ ...p, delivered: Math.max(p.delivered, seq) }));
  const onNotifications = ({
    roomId,
    notifications,
  }: {
    roomId: string;
    notifications: Room['notifications'];
  }) =>
    chat.store.set((s) => {
      const room = s.rooms[roomId];
      return room ? { ...s, rooms: { ...s.rooms, [roomId]: { ...room, notifications } } } : s;
    });
  const onMessage = (message: Message) => reportDelivered(chat, message);
  socket.on('room:read', onRead);
  socket.on('room:delivered', onDelivered);
  socket.on('room:notifications', onNotifications);
  socket.on('message:new', onMessage);
  return () => {
    socket.off('room:read', onRead);
    socket.off('room:delivered', onDelivered);
    socket.off('room:notifications', onNotifications);
    socket.off('message:new', onMessage);
  };
}

export async function setRoomNotifications(chat: Chat, roomId: string, body: RoomNotificationsBody) {
  const { notifications } = await api.putRoomNotifications(roomId, body);
  chat.store.set((s) => {
    const room = s.rooms[roomId];
    return room ? { ...s, rooms: { ...s.rooms, [roomId]: { ...room, notifications } } } : s;
  });
}

export async function loadPrefs(chat: Chat): Promise<void> {
  const { prefs } = await api.fetchPrefs();
  attentionStore(chat).set((s) => ({ ...s, prefs }));
}

export async function updatePrefs(chat: Chat, change: Partial<NotificationPrefs>): Promise<void> {
  const { prefs } = await api.patchPrefs(change);
  attentionStore(chat).set((s) => ({ ...s, prefs }));
  // Turning receipts off hides others' too: what this tab held is stale.
  if (change.readReceipts !== undefined) attentionStore(chat).set((s) => ({ ...s, reads: {} }));
}

/** Whether a room's messages should make noise here: not muted, and the level lets this one through. */
export function notifies(room: Room, message: Message, myId: string): boolean {
  const settings = room.notifications;
  if (!settings) return true;
  if (settings.muted || settings.level === 'none') return false;
  return settings.level === 'all' || room.kind === 'dm' || mentionsMe(message, myId);
}

/** Unread messages that count on the title and the app icon: muted rooms keep theirs quiet. */
export function loudUnread(rooms: Record<string, Room>): number {
  let total = 0;
  for (const room of Object.values(rooms)) {
    if (room.joined && !room.notifications?.muted) total += room.unreadCount;
  }
  return total;
}
