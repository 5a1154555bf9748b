import { useChatState } from '../../components/ChatContext';
import { ConnectionStatus } from '../../components/ConnectionStatus';
import { DrawerButton } from '../../components/room/DrawerButton';
import { hrefOf, paths } from '../../routes/paths';
import { sectionsFor } from './sections';

/** The account settings: a list of sections beside the chosen one (the first when none is named). */
export function SettingsPage({ section, onOpenDrawer }: { section?: string; onOpenDrawer: () => void }) {
  const me = useChatState((s) => s.me);
  const sections = sectionsFor(me);
  const current = sections.find((s) => s.id === section) ?? sections[0];
  return (
    <main className="room settings-page" aria-label="Settings">
      <header className="room-header">
        <DrawerButton onClick={onOpenDrawer} />
        <h2 className="room-title">Settings</h2>
        <ConnectionStatus />
      </header>
      <div className="settings-body">
        <nav className="settings-nav" aria-label="Settings sections">
          <ul>
            {sections.map((s) => (
              <li key={s.id}>
                <a href={hrefOf(paths.settings(s.id))} aria-current={s === current ? 'page' : undefined}>
                  {s.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-content">{current ? <current.Component key={current.id} /> : null}</div>
      </div>
    </main>
  );
}
