import { useEffect } from 'react';
import { useChatState } from '../components/ChatContext';
import { showAppBadge } from '../features/attention/pwa';
import { loudUnread } from '../features/attention/state';

/** "(3) #general · Parley": the tab shows the unread count when the window is elsewhere. */
export function useDocumentTitle(): void {
  // Muted rooms keep their count quiet here and on the app icon.
  const unread = useChatState((s) => loudUnread(s.rooms));
  const roomName = useChatState((s) => {
    const room = s.activeRoomId ? s.rooms[s.activeRoomId] : undefined;
    if (!room) return null;
    return room.kind === 'dm' ? (room.peer?.username ?? room.name) : `#${room.name}`;
  });
  useEffect(() => {
    const base = roomName ? `${roomName} · Parley` : 'Parley';
    document.title = unread > 0 ? `(${unread}) ${base}` : base;
    showAppBadge(unread);
  }, [unread, roomName]);
}
