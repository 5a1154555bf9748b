import { useEffect, useState } from 'react';
import { useChat } from '../../components/ChatContext';
import { formatFull, formatTime } from '../../lib/format';
import { goTo, paths } from '../../routes/paths';
import { loadPins } from './actions';
import { useMessages } from './store';

/** The room's pinned messages, most recently pinned first; one click goes to the message. */
export function PinsPanel({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const chat = useChat();
  const pins = useMessages(chat, (s) => s.pins[roomId]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadPins(chat, roomId).then(setError);
  }, [chat, roomId]);

  return (
    <aside className="side-panel pins-panel" aria-label="Pinned messages">
      <div className="panel-header">
        <h3>Pinned</h3>
        <button type="button" className="icon-button" aria-label="Close pinned messages" onClick={onClose}>
          ×
        </button>
      </div>
      {error ? (
        <p className="field-error panel-note" role="alert">
          {error}
        </p>
      ) : null}
      {!pins ? <p className="muted panel-note">Loading…</p> : null}
      {pins?.length === 0 ? <p className="muted panel-note">Nothing is pinned yet.</p> : null}
      <ul className="pin-list">
        {pins?.map((m) => (
          <li key={m.seq}>
            <button type="button" className="pin" onClick={() => goTo(paths.message(roomId, m.seq))}>
              <span className="pin-meta">
                <span className="author">{m.author.username}</span>{' '}
                <time dateTime={m.createdAt} title={formatFull(m.createdAt)}>
                  {formatTime(m.createdAt)}
                </time>
              </span>
              <span className="pin-text">{m.text.length > 300 ? `${m.text.slice(0, 300)}…` : m.text}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
