import type { Room } from '@parley/protocol';
import { useId, useState } from 'react';
import { errorText } from '../../api/errors';
import { useChat, useChatState } from '../../components/ChatContext';
import { useStore } from '../../state/store';
import { liftBan, loadBans, moderationStore } from './state';
import { untilWords } from './words';

/** Whether the reader moderates this room: its owner and moderators, and the server's admins. */
export const moderatesRoom = (room: Room, admin: boolean) =>
  room.kind === 'room' && (admin || room.role === 'owner' || room.role === 'moderator');

/**
 * Who is banned from the room, until when, by whom and why, each with "Lift ban": shown to those who
 * moderate it, folded until opened (it costs a request, and most visits are not about bans).
 */
export function BanList({ room }: { room: Room }) {
  const chat = useChat();
  const admin = useChatState((s) => s.me.admin);
  const entry = useStore(moderationStore(chat), (s) => s.bans[room.id]);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const listId = useId();
  if (!moderatesRoom(room, admin)) return null;

  const toggle = () => {
    setError(null);
    if (!open) void loadBans(chat, room.id);
    setOpen(!open);
  };
  const bans = entry?.list;
  return (
    <section className="ban-list" aria-label="Banned">
      <button
        type="button"
        className="link-button ban-list-toggle"
        aria-expanded={open}
        aria-controls={listId}
        onClick={toggle}
      >
        {open ? 'Hide banned people' : 'Banned people'}
        {open && bans ? <span className="muted"> · {bans.length}</span> : null}
      </button>
      {open ? (
        <div id={listId}>
          {entry?.error || error ? (
            <p className="field-error" role="alert">
              {error ?? entry?.error}
            </p>
          ) : null}
          {!bans ? (
            <p className="muted small-text">Loading…</p>
          ) : bans.length === 0 ? (
            <p className="muted small-text">Nobody is banned from this room.</p>
          ) : (
            <ul className="ban-entries">
              {bans.map((ban) => (
                <li key={ban.user.id} className="ban-entry" aria-label={`Ban on ${ban.user.username}`}>
                  <div className="ban-who">
                    <strong>{ban.user.username}</strong>
                    <button
                      type="button"
                      className="secondary small"
                      aria-label={`Lift the ban on ${ban.user.username}`}
                      onClick={() => {
                        setError(null);
                        liftBan(chat, room.id, ban.user.id).catch((e) => setError(errorText(e)));
                      }}
                    >
                      Lift ban
                    </button>
                  </div>
                  <p className="muted small-text">
                    Banned {untilWords(ban.until)}
                    {ban.by ? ` by ${ban.by.username}` : ''}
                  </p>
                  {ban.reason ? <p className="small-text ban-reason">Reason: {ban.reason}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </section>
  );
}
