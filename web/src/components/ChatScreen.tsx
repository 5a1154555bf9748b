import { useEffect, useState } from 'react';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useReadOnReturn } from '../hooks/useReadOnReturn';
import type { Session } from '../state/session';
import { useChatState } from './ChatContext';
import { RoomView } from './room/RoomView';
import { Welcome } from './room/Welcome';
import { Sidebar } from './sidebar/Sidebar';

export function ChatScreen({ onSessionChange }: { onSessionChange: (session: Session) => void }) {
  const activeRoomId = useChatState((s) => s.activeRoomId);
  const [drawerOpen, setDrawerOpen] = useState(false);
  useDocumentTitle();
  useReadOnReturn();

  // Picking a room on a phone closes the drawer, as it does in every chat app.
  useEffect(() => {
    if (activeRoomId) setDrawerOpen(false);
  }, [activeRoomId]);

  useEffect(() => {
    if (!drawerOpen) return;
    // Keyboard users land inside the drawer they just opened.
    document.querySelector<HTMLElement>('.sidebar .drawer-close')?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setDrawerOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [drawerOpen]);

  const openDrawer = () => setDrawerOpen(true);
  return (
    <div className={drawerOpen ? 'app drawer-open' : 'app'}>
      <Sidebar onSessionChange={onSessionChange} onClose={() => setDrawerOpen(false)} />
      <button
        type="button"
        className="drawer-backdrop"
        aria-label="Close the room list"
        tabIndex={-1}
        onClick={() => setDrawerOpen(false)}
      />
      {activeRoomId ? (
        <RoomView key={activeRoomId} roomId={activeRoomId} onOpenDrawer={openDrawer} />
      ) : (
        <Welcome onOpenDrawer={openDrawer} />
      )}
    </div>
  );
}
