import { useEffect, useState } from 'react';
import { errorText } from '../../api/errors';
import { useChat } from '../../components/ChatContext';
import { Dialog } from '../../components/dialogs/Dialog';
import { disablePush, enablePush, type PushState, pushState } from './push';
import { loadPrefs, updatePrefs, useAttention } from './state';

const pushWords: Record<PushState, string> = {
  unsupported: 'This browser cannot receive push notifications.',
  unavailable: 'Push notifications are not set up on this server.',
  denied: 'Notifications are blocked for this site in the browser’s settings.',
  off: 'Get a notification when you are away from Parley.',
  on: 'You get notifications on this device when you are away.',
};

/** The person's own attention settings: pushes on this device, read receipts, text in pushes. */
export function NotificationSettings({ onClose }: { onClose: () => void }) {
  const chat = useChat();
  const prefs = useAttention(chat, (s) => s.prefs);
  const [push, setPush] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void pushState().then(setPush);
    loadPrefs(chat).catch((e) => setError(errorText(e)));
  }, [chat]);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Notifications" onClose={onClose}>
      <div className="settings-list">
        <label className="check">
          <input
            type="checkbox"
            checked={push === 'on'}
            disabled={busy || push === null || push === 'unsupported' || push === 'denied'}
            onChange={(e) =>
              void run(async () => setPush(await (e.target.checked ? enablePush() : disablePush())))
            }
          />
          <span>
            Push notifications on this device
            <span className="muted small-text">{push ? pushWords[push] : ''}</span>
          </span>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={prefs?.pushText ?? true}
            disabled={busy || !prefs}
            onChange={(e) => void run(() => updatePrefs(chat, { pushText: e.target.checked }))}
          />
          <span>
            Show message text in notifications
            <span className="muted small-text">Off: only who wrote, and where.</span>
          </span>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={prefs?.readReceipts ?? true}
            disabled={busy || !prefs}
            onChange={(e) => void run(() => updatePrefs(chat, { readReceipts: e.target.checked }))}
          />
          <span>
            Send read receipts
            <span className="muted small-text">
              Off: others don’t see what you have read, and you don’t see theirs.
            </span>
          </span>
        </label>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
