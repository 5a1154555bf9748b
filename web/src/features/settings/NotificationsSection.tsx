import { useState } from 'react';
import { NotificationSettings } from '../attention/NotificationSettings';

/** The attention feature keeps its own dialog (also reachable from the account menu); it opens from here. */
export function NotificationsSection() {
  const [open, setOpen] = useState(false);
  return (
    <section className="settings-section" aria-labelledby="settings-notifications">
      <h3 id="settings-notifications">Notifications</h3>
      <p className="muted">Pushes on this device, read receipts, and what a push may show.</p>
      <button type="button" onClick={() => setOpen(true)}>
        Notification settings…
      </button>
      {open ? <NotificationSettings onClose={() => setOpen(false)} /> : null}
    </section>
  );
}
