import type { Member, PresenceStatus } from '@parley/protocol';
import { useState } from 'react';
import { errorText } from '../../api/errors';
import { openPersonCard } from '../../features/people/state';
import { memberStatus } from '../../state/presence';
import { loadMoreMembers, startDm } from '../../state/rooms';
import { Avatar } from '../Avatar';
import { useChat, useChatState } from '../ChatContext';
import { BanList } from '../../features/moderation/BanList';
import { MemberMenu } from '../../features/moderation/MemberMenu';
import { RoleBadge } from '../../features/moderation/RoleBadge';
import { AddMember } from './AddMember';

/** Online first, then away, then offline. */
const rank: Record<PresenceStatus, number> = { online: 0, away: 1, offline: 2 };

export function MemberPanel({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const chat = useChat();
  const members = useChatState((s) => s.members[roomId]);
  const presence = useChatState((s) => s.presence);
  const room = useChatState((s) => s.rooms[roomId]);
  const more = useChatState((s) => s.memberCursors[roomId] !== undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const statusOf = (m: Member): PresenceStatus => presence[m.id] ?? memberStatus(m);
  const sorted = [...(members ?? [])].sort(
    (a, b) => rank[statusOf(a)] - rank[statusOf(b)] || a.username.localeCompare(b.username),
  );
  const onlineCount = sorted.filter((m) => statusOf(m) !== 'offline').length;

  return (
    <aside className="member-panel" aria-label="Members">
      <div className="panel-header">
        <h3>
          Members <span className="muted">· {onlineCount} online</span>
        </h3>
        <button type="button" className="icon-button" aria-label="Hide members" onClick={onClose}>
          ×
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <ul className="member-list">
        {sorted.map((member) => (
          <li
            key={member.id}
            className="member"
            data-online={statusOf(member) !== 'offline'}
            data-status={statusOf(member)}
          >
            <Avatar
              id={member.id}
              name={member.username}
              src={member.avatar}
              status={statusOf(member)}
              size={28}
            />
            <button
              type="button"
              className="person-button member-name"
              onClick={() => openPersonCard(member.id, roomId)}
            >
              {member.displayName ?? member.username}
              {member.displayName ? <span className="author-username">@{member.username}</span> : null}
              <span className="visually-hidden"> ({statusOf(member)})</span>
            </button>
            <RoleBadge member={member} />
            {member.guest ? <span className="tag">guest</span> : null}
            {member.id !== chat.me.id && room?.kind !== 'dm' ? (
              <button
                type="button"
                className="icon-button member-dm"
                aria-label={`Message ${member.username}`}
                title={`Message ${member.username}`}
                onClick={() => startDm(chat, member.id).catch((e) => setError(errorText(e)))}
              >
                <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                  <path
                    d="M4 5h16v11H9l-5 4z"
                    fill="none"
                    stroke="currentColor"
                    strokeWidth="2"
                    strokeLinejoin="round"
                  />
                </svg>
              </button>
            ) : null}
            {member.id !== chat.me.id && room ? (
              <MemberMenu room={room} member={member} onError={setError} />
            ) : null}
          </li>
        ))}
      </ul>
      {more ? (
        <button
          type="button"
          className="link-button member-more"
          disabled={loadingMore}
          onClick={() => {
            setLoadingMore(true);
            loadMoreMembers(chat, roomId)
              .catch((e) => setError(errorText(e)))
              .finally(() => setLoadingMore(false));
          }}
        >
          {loadingMore ? 'Loading…' : `Show more members (${sorted.length} of ${room?.memberCount ?? '?'})`}
        </button>
      ) : null}
      {room ? <BanList room={room} /> : null}
      {room?.kind === 'room' ? <AddMember roomId={roomId} /> : null}
    </aside>
  );
}
