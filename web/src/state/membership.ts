import type { Member } from '@parley/protocol';
import { dropFromPanels } from '../features/messages/apply';
import { noteRev } from '../features/messages/store';
import type { Chat } from './chat';
import { memberStatus } from './presence';
import { forgetRoom, loadRooms } from './rooms';
import { clearUpTo } from './sync';
import type { ChatState, Notice } from './types';

let noticeCounter = 0;

function addNotice(s: ChatState, roomId: string, text: string): ChatState {
  const timeline = s.timelines[roomId];
  if (!timeline) return s;
  const notice: Notice = { id: `n${++noticeCounter}`, afterSeq: s.rooms[roomId]?.lastSeq ?? 0, text };
  return {
    ...s,
    timelines: { ...s.timelines, [roomId]: { ...timeline, notices: [...timeline.notices, notice] } },
  };
}

/** Joins, leaves, renames and cleared histories, told by the server to every member. */
export function wireMembership(chat: Chat): void {
  const { socket, store } = chat;
  socket.on('room:member', ({ roomId, user, action, by, member }) => {
    const self = user.id === chat.me.id;
    if (self && action === 'left') {
      forgetRoom(chat, roomId, { stay: by !== undefined && by.id !== user.id });
      return;
    }
    if (self && action === 'joined' && !store.get().rooms[roomId]?.joined) {
      void loadRooms(chat);
      return;
    }
    const actor = by && by.id !== user.id ? by.username : null;
    const text =
      action === 'joined'
        ? actor
          ? `${user.username} was added by ${actor}`
          : `${user.username} joined`
        : actor
          ? `${user.username} was removed by ${actor}`
          : `${user.username} left`;
    store.set((s) => {
      const room = s.rooms[roomId];
      const list = s.members[roomId];
      const joined: Member = member ?? { ...user, role: 'member', online: true, guest: false };
      const members =
        list &&
        (action === 'joined'
          ? [...list.filter((m) => m.id !== user.id), joined]
          : list.filter((m) => m.id !== user.id));
      const next: ChatState = {
        ...s,
        rooms: room
          ? {
              ...s.rooms,
              [roomId]: {
                ...room,
                memberCount: Math.max(0, room.memberCount + (action === 'joined' ? 1 : -1)),
              },
            }
          : s.rooms,
        members: members ? { ...s.members, [roomId]: members } : s.members,
        presence: action === 'joined' ? { ...s.presence, [user.id]: memberStatus(joined) } : s.presence,
      };
      return addNotice(next, roomId, text);
    });
  });
  socket.on('room:cleared', ({ roomId, seq, rev }) => {
    if (rev !== undefined) noteRev(chat, roomId, rev);
    // Retention trimmed the oldest messages (up to `seq`): the rest stays, without a notice.
    if (seq !== undefined && seq < (store.get().rooms[roomId]?.lastSeq ?? 0)) {
      clearUpTo(chat, roomId, seq);
      return;
    }
    dropFromPanels(chat, roomId);
    store.set((s) => {
      const timeline = s.timelines[roomId];
      const room = s.rooms[roomId];
      const next: ChatState = {
        ...s,
        rooms: room ? { ...s.rooms, [roomId]: { ...room, unreadCount: 0 } } : s.rooms,
        timelines: timeline
          ? {
              ...s.timelines,
              [roomId]: { ...timeline, messages: [], hasMore: false, notices: [], firstUnreadSeq: null },
            }
          : s.timelines,
      };
      return addNotice(next, roomId, 'The history of this room was cleared.');
    });
  });
  // Someone created a public room: it joins the rooms to join, unless this tab has it already (its
  // creator's tabs do, as joined).
  socket.on('room:created', (room) => {
    store.set((s) => (s.rooms[room.id] ? s : { ...s, rooms: { ...s.rooms, [room.id]: room } }));
  });
  socket.on('room:updated', ({ roomId, name, description }) => {
    store.set((s) => {
      const room = s.rooms[roomId];
      return room ? { ...s, rooms: { ...s.rooms, [roomId]: { ...room, name, description } } } : s;
    });
  });
  socket.on('room:read', ({ roomId, seq, userId }) => {
    // Other members' positions are receipts (features/attention); this one is the reader's own.
    if (userId && userId !== chat.me.id) return;
    store.set((s) => {
      const room = s.rooms[roomId];
      if (!room || seq <= room.readSeq) return s;
      const unreadCount = seq >= room.lastSeq ? 0 : room.unreadCount;
      const unreadMentions = seq >= room.lastSeq ? 0 : room.unreadMentions;
      return {
        ...s,
        rooms: { ...s.rooms, [roomId]: { ...room, readSeq: seq, unreadCount, unreadMentions } },
      };
    });
  });
}
