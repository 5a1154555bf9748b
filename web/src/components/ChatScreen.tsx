import { useEffect, useState } from 'react';
import { Route, Switch, useLocation, useRoute } from 'wouter';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useReadOnReturn } from '../hooks/useReadOnReturn';
import { loadMarkdown } from '../features/messages/markdownLoader';
import { ModerationFlash } from '../features/moderation/Flash';
import { PersonCardHost } from '../features/people/PersonCard';
import { parseRoomFocus, patterns } from '../routes/paths';
import { showRoom } from '../state/rooms';
import type { Session } from '../state/session';
import { useChat } from './ChatContext';
import { lazyPage } from './lazyPage';
import { RoomView } from './room/RoomView';
import { Welcome } from './room/Welcome';
import { Sidebar } from './sidebar/Sidebar';

// Pages beside the rooms that the first screen does not show: their code loads when first opened.
const SearchPage = lazyPage(() => import('../features/search/SearchPage').then((m) => m.SearchPage));
const SettingsPage = lazyPage(() => import('../features/settings/SettingsPage').then((m) => m.SettingsPage));
const AdminPage = lazyPage(() => import('../features/admin/AdminPage').then((m) => m.AdminPage));
const ReportsPage = lazyPage(() => import('../features/moderation/ReportsPage').then((m) => m.ReportsPage));

export function ChatScreen({ onSessionChange }: { onSessionChange: (session: Session) => void }) {
  const chat = useChat();
  const [location] = useLocation();
  const roomId = useRoomInAddress();
  const [drawerOpen, setDrawerOpen] = useState(false);
  useDocumentTitle();
  useReadOnReturn();
  // Signed in: fetch the message renderer while the socket connects and the first room loads.
  useEffect(loadMarkdown, []);

  // The address says which room is open; the state follows it (back, forward, links, typed URLs).
  useEffect(() => {
    void showRoom(chat, roomId);
  }, [chat, roomId]);

  // Going anywhere on a phone closes the drawer, as it does in every chat app.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the address changing is the trigger
  useEffect(() => setDrawerOpen(false), [location]);

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
      {/*
        The main pane beside the room list, chosen by the address. A page of the app is one Route
        here with its pattern from routes/paths.ts (patterns.settings, patterns.admin, …).
      */}
      <Switch>
        <Route path={patterns.room}>
          {(params) =>
            roomId ? (
              <RoomView
                key={roomId}
                roomId={roomId}
                focus={parseRoomFocus(params['*'])}
                onOpenDrawer={openDrawer}
              />
            ) : null
          }
        </Route>
        <Route path={patterns.search}>
          {(params) => <SearchPage encoded={params.spec} onOpenDrawer={openDrawer} />}
        </Route>
        <Route path={patterns.settings}>
          {(params) => <SettingsPage section={params['*']} onOpenDrawer={openDrawer} />}
        </Route>
        <Route path={patterns.admin}>
          {(params) => <AdminPage rest={params['*']} onOpenDrawer={openDrawer} />}
        </Route>
        <Route path={patterns.reports}>
          {(params) => <ReportsPage status={params.status} onOpenDrawer={openDrawer} />}
        </Route>
        <Route>
          <Welcome onOpenDrawer={openDrawer} />
        </Route>
      </Switch>
      <ModerationFlash />
      <PersonCardHost />
    </div>
  );
}

function useRoomInAddress(): string | null {
  const [inRoom, params] = useRoute(patterns.room);
  if (!inRoom || !params.roomId) return null;
  try {
    return decodeURIComponent(params.roomId);
  } catch {
    return null;
  }
}
