import { useChat, useChatState } from '../../components/ChatContext';
import { ConnectionStatus } from '../../components/ConnectionStatus';
import { DrawerButton } from '../../components/room/DrawerButton';
import { hrefOf, paths } from '../../routes/paths';
import { AuditSection } from './AuditSection';
import { InvitesSection } from './InvitesSection';
import { RoomsSection } from './RoomsSection';
import { SettingsSection } from './SettingsSection';
import { UsersSection } from './UsersSection';

const sections = [
  { key: 'users', label: 'Users' },
  { key: 'rooms', label: 'Rooms' },
  { key: 'invites', label: 'Invites' },
  { key: 'settings', label: 'Settings' },
  { key: 'audit', label: 'Audit log' },
] as const;
type Section = (typeof sections)[number]['key'];

/** The server's administration: `#/admin/users`, `/rooms`, `/invites`, `/settings`, `/audit`. */
export function AdminPage({ rest, onOpenDrawer }: { rest: string | undefined; onOpenDrawer: () => void }) {
  const chat = useChat();
  const admin = useChatState((s) => s.me.admin);
  const wanted = (rest ?? '').split('/')[0];
  const section: Section = sections.find((s) => s.key === wanted)?.key ?? 'users';
  return (
    <main className="room admin-page" aria-label="Administration">
      <header className="room-header">
        <DrawerButton onClick={onOpenDrawer} />
        <h2 className="room-title">Administration</h2>
        <ConnectionStatus />
      </header>
      {admin ? (
        <div className="page-body">
          <nav className="page-tabs" aria-label="Administration sections">
            {sections.map((s) => (
              <a
                key={s.key}
                href={hrefOf(paths.admin(s.key))}
                aria-current={s.key === section ? 'page' : undefined}
              >
                {s.label}
              </a>
            ))}
            <a href={hrefOf(paths.reports())}>Reports</a>
          </nav>
          {section === 'users' ? <UsersSection chat={chat} /> : null}
          {section === 'rooms' ? <RoomsSection chat={chat} /> : null}
          {section === 'invites' ? <InvitesSection chat={chat} /> : null}
          {section === 'settings' ? <SettingsSection chat={chat} /> : null}
          {section === 'audit' ? <AuditSection chat={chat} /> : null}
        </div>
      ) : (
        <div className="welcome">
          <p role="alert">This area is for the server’s admins.</p>
        </div>
      )}
    </main>
  );
}
