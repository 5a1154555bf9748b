import { useEffect } from 'react';
import { useChatState } from '../components/ChatContext';

/** "(3) #general · Parley": the tab shows the unread count when the window is elsewhere. */
export function useDocumentTitle(): void {
  const unread = useChatState((s) =>
    Object.values(s.rooms).reduce((sum, room) => sum + (room.joined ? room.unreadCount : 0), 0),
  );
  const roomName = useChatState((s) => {
    const room = s.activeRoomId ? s.rooms[s.activeRoomId] : undefined;
    if (!room) return null;
    return room.kind === 'dm' ? (room.peer?.username ?? room.name) : `#${room.name}`;
  });
  useEffect(() => {
    const base = roomName ? `${roomName} · Parley` : 'Parley';
    document.title = unread > 0 ? `(${unread}) ${base}` : base;
  }, [unread, roomName]);
}
