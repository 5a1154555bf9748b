import { NotificationSettings } from '../../features/attention/NotificationSettings';
import { disablePush } from '../../features/attention/push';
import { useEffect, useRef, useState } from 'react';
import { moderatesSomething } from '../../features/moderation/state';
import { useTheme } from '../../hooks/useTheme';
import { goTo, paths } from '../../routes/paths';
import { canNotify, enableNotifications } from '../../state/notify';
import type { Session } from '../../state/session';
import { Avatar } from '../Avatar';
import { useChat, useChatState } from '../ChatContext';
import { UpgradeDialog } from '../dialogs/UpgradeDialog';

export function UserMenu({ onSessionChange }: { onSessionChange: (session: Session) => void }) {
  const chat = useChat();
  const me = useChatState((s) => s.me);
  const myStatus = useChatState((s) => s.presence[s.me.id] ?? 'online');
  const moderator = useChatState(moderatesSomething);
  const { theme, toggle } = useTheme();
  const [open, setOpen] = useState(false);
  const [upgrading, setUpgrading] = useState(false);
  const [settings, setSettings] = useState(false);
  const [permission, setPermission] = useState(canNotify() ? Notification.permission : 'denied');
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    // The menu follows its button in the tab order; focus its first item so keys work at once.
    menuRef.current?.querySelector<HTMLButtonElement>('.menu button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      menuRef.current?.querySelector<HTMLButtonElement>('.user-button')?.focus();
    };
    const onClick = (event: MouseEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onClick);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={menuRef}>
      <button
        type="button"
        className="user-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={`Account menu for ${me.username}`}
        onClick={() => setOpen(!open)}
      >
        <Avatar id={me.id} name={me.username} src={me.avatar} status={myStatus} size={32} />
        <span className="user-name">
          {me.displayName ?? me.username}
          {me.guest ? <span className="tag">guest</span> : null}
        </span>
        <span aria-hidden="true">⋯</span>
      </button>
      {open ? (
        <ul className="menu" aria-label="Account menu">
          <li>
            <button type="button" onClick={toggle}>
              {theme === 'dark' ? '☀️ Light theme' : '🌙 Dark theme'}
            </button>
          </li>
          {canNotify() && permission === 'default' ? (
            <li>
              <button type="button" onClick={async () => setPermission(await enableNotifications())}>
                🔔 Enable notifications
              </button>
            </li>
          ) : null}
          <li>
            <button
              type="button"
              onClick={() => {
                setSettings(true);
                setOpen(false);
              }}
            >
              🔔 Notifications and receipts…
            </button>
          </li>
          <li>
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                goTo(paths.settings());
              }}
            >
              ⚙️ Settings
            </button>
          </li>
          {me.admin ? (
            <li>
              <button
                type="button"
                onClick={() => {
                  setOpen(false);
                  goTo(paths.admin('users'));
                }}
              >
                🛡️ Administration
              </button>
            </li>
          ) : null}
          {moderator ? (
            <li>
              <button
                type="button"
                onClick={() => {
                  setOpen(false);
                  goTo(paths.reports());
                }}
              >
                🚩 Reported messages
              </button>
            </li>
          ) : null}
          {me.guest ? (
            <li>
              <button
                type="button"
                onClick={() => {
                  setUpgrading(true);
                  setOpen(false);
                }}
              >
                ⭐ Keep this account…
              </button>
            </li>
          ) : null}
          <li>
            <button type="button" onClick={() => void disablePush().finally(() => chat.logout())}>
              ↩ Log out
            </button>
          </li>
        </ul>
      ) : null}
      {settings ? <NotificationSettings onClose={() => setSettings(false)} /> : null}
      {upgrading ? <UpgradeDialog onClose={() => setUpgrading(false)} onUpgraded={onSessionChange} /> : null}
    </div>
  );
}
