import { useEffect, useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { formatFull } from '../../lib/format';
import { useStore } from '../../state/store';
import { endOtherSessions, endSession, loadSessions, sessionsStore } from './state';

export function SessionsSection() {
  const { sessions, loaded } = useStore(sessionsStore, (s) => s);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadSessions().catch((e) => setError(errorText(e)));
  }, []);

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

  const others = sessions.filter((s) => !s.current);
  return (
    <section className="settings-section" aria-labelledby="settings-sessions">
      <h3 id="settings-sessions">Sessions</h3>
      <p className="muted">Where your account is signed in. End any you do not recognise.</p>
      <FormError message={error} />
      {loaded ? (
        <ul className="session-list" aria-label="Sessions">
          {sessions.map((s) => (
            <li key={s.id} className="session" aria-label={s.current ? `${s.device} (this one)` : s.device}>
              <div>
                <strong>{s.device}</strong>
                {s.current ? <span className="tag">this one</span> : null}
                <div className="muted small-text">
                  {s.address ?? 'unknown address'} · signed in {formatFull(s.createdAt)} · last seen{' '}
                  {formatFull(s.lastSeenAt)}
                </div>
              </div>
              {s.current ? null : (
                <button type="button" disabled={busy} onClick={() => void run(() => endSession(s.id))}>
                  End
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Loading…</p>
      )}
      {others.length > 0 ? (
        <button type="button" disabled={busy} onClick={() => void run(endOtherSessions)}>
          Sign out everywhere else
        </button>
      ) : null}
    </section>
  );
}
