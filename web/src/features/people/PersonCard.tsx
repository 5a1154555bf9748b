import type { Profile } from '@parley/protocol';
import { type ComponentType, useEffect, useState } from 'react';
import { fetchProfile } from '../../api/account';
import { errorText } from '../../api/errors';
import { Avatar } from '../../components/Avatar';
import { useChat, useChatState } from '../../components/ChatContext';
import { Dialog } from '../../components/dialogs/Dialog';
import { startDm } from '../../state/rooms';
import { useStore } from '../../state/store';
import { closePersonCard, personCard } from './state';

/**
 * What the card offers beyond "message": the moderation menu plugs in here (each entry renders nothing
 * when the viewer may not use it). `roomId` is the room the card was opened from, if any.
 */
export interface PersonCardAction {
  id: string;
  Component: ComponentType<{ profile: Profile; roomId?: string; onDone: () => void }>;
}
export const personCardActions: PersonCardAction[] = [];

/** The local time somewhere, as "14:05" (and the offset from the viewer, when it differs). */
export function localTime(timeZone: string, at = new Date()): string {
  const time = new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    at,
  );
  const here = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(at);
  return time === here ? `${time} (same as yours)` : time;
}

/** The open person card, if any: rendered once by the chat screen. */
export function PersonCardHost() {
  const open = useStore(personCard, (s) => s);
  // Opened from a message: the room on screen is the one it was opened in.
  const activeRoomId = useChatState((s) => s.activeRoomId);
  if (!open) return null;
  return (
    <PersonCard key={open.userId} userId={open.userId} roomId={open.roomId ?? activeRoomId ?? undefined} />
  );
}

function PersonCard({ userId, roomId }: { userId: string; roomId?: string }) {
  const chat = useChat();
  const me = useChatState((s) => s.me);
  const status = useChatState((s) => s.presence[userId]);
  const [profile, setProfile] = useState<Profile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, tick] = useState(0);

  useEffect(() => {
    fetchProfile(userId).then(
      (reply) => setProfile(reply.profile),
      (e) => setError(errorText(e)),
    );
    // The local time shown stays right while the card is open.
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, [userId]);

  return (
    <Dialog title={profile?.displayName ?? profile?.username ?? 'Person'} onClose={closePersonCard}>
      {error ? <p role="alert">{error}</p> : null}
      {profile ? (
        <section className="person-card" aria-label={`About ${profile.username}`}>
          <div className="person-card-head">
            <Avatar
              id={profile.id}
              name={profile.username}
              src={profile.avatar}
              size={72}
              status={status ?? (profile.online ? 'online' : 'offline')}
            />
            <div>
              {profile.displayName ? <div className="person-display-name">{profile.displayName}</div> : null}
              <div className="person-username muted">@{profile.username}</div>
              {profile.guest ? <span className="tag">guest</span> : null}
            </div>
          </div>
          {profile.status ? (
            <p className="person-status">
              {profile.status.text}
              {profile.status.expiresAt ? (
                <span className="muted small-text">
                  {' '}
                  · until{' '}
                  {new Date(profile.status.expiresAt).toLocaleTimeString([], {
                    hour: '2-digit',
                    minute: '2-digit',
                  })}
                </span>
              ) : null}
            </p>
          ) : null}
          {profile.timeZone ? (
            <p className="person-time">
              Local time: <span className="person-local-time">{localTime(profile.timeZone)}</span>{' '}
              <span className="muted small-text">({profile.timeZone})</span>
            </p>
          ) : null}
          <div className="dialog-actions">
            {profile.id !== me.id && !profile.deleted ? (
              <button
                type="button"
                className="primary"
                onClick={() =>
                  startDm(chat, profile.id).then(closePersonCard, (e: unknown) => setError(errorText(e)))
                }
              >
                Message
              </button>
            ) : null}
            {personCardActions.map(({ id, Component }) => (
              <Component key={id} profile={profile} roomId={roomId} onDone={closePersonCard} />
            ))}
            <button type="button" onClick={closePersonCard}>
              Close
            </button>
          </div>
        </section>
      ) : error ? null : (
        <p className="muted">Loading…</p>
      )}
    </Dialog>
  );
}
