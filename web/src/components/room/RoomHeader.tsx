import { NotifyMenu } from '../../features/attention/NotifyMenu';
import { useState } from 'react';
import { errorText } from '../../api/errors';
import { statusLabel } from '../../state/presence';
import { leaveRoom } from '../../state/rooms';
import { useChat, useChatState } from '../ChatContext';
import { ConnectionStatus } from '../ConnectionStatus';
import { RoomSettingsDialog } from '../dialogs/RoomSettingsDialog';
import { DrawerButton } from './DrawerButton';
import { HeaderLabel } from './HeaderLabel';

export function RoomHeader({
  roomId,
  onOpenDrawer,
  membersShown,
  onToggleMembers,
  pinsShown,
  onTogglePins,
}: {
  roomId: string;
  onOpenDrawer: () => void;
  membersShown: boolean;
  onToggleMembers: () => void;
  pinsShown: boolean;
  onTogglePins: () => void;
}) {
  const chat = useChat();
  const room = useChatState((s) => s.rooms[roomId]);
  const peerStatus = useChatState((s) => (room?.peer ? (s.presence[room.peer.id] ?? 'offline') : 'offline'));
  const me = useChatState((s) => s.me);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  if (!room) {
    return (
      <header className="room-header">
        <DrawerButton onClick={onOpenDrawer} />
        <h2 className="room-title">Loading…</h2>
        <ConnectionStatus />
      </header>
    );
  }
  const dm = room.kind === 'dm';
  const title = dm ? (room.peer?.displayName ?? room.peer?.username ?? room.name) : room.name;
  return (
    <header className="room-header">
      <DrawerButton onClick={onOpenDrawer} />
      <div className="room-heading">
        <h2 className="room-title">
          <span aria-hidden="true" className="room-hash">
            {dm ? '@' : room.visibility === 'private' ? '🔒' : '#'}
          </span>
          <span className="room-title-text">{title}</span>
        </h2>
        {dm ? (
          <p className="room-description">{statusLabel[peerStatus]}</p>
        ) : room.description ? (
          <p className="room-description">{room.description}</p>
        ) : null}
      </div>
      <ConnectionStatus />
      {room.joined ? (
        <div className="room-actions">
          <NotifyMenu room={room} />
          <button type="button" className="secondary small" aria-pressed={pinsShown} onClick={onTogglePins}>
            <HeaderLabel text="Pinned" icon="pin" />
          </button>
          <button
            type="button"
            className="secondary small"
            aria-pressed={membersShown}
            onClick={onToggleMembers}
          >
            <HeaderLabel text="Members" icon="members">
              <span className="muted">{room.memberCount}</span>
            </HeaderLabel>
          </button>
          {!dm && (room.ownerId === me.id || me.admin) ? (
            <button type="button" className="secondary small" onClick={() => setEditing(true)}>
              <HeaderLabel text="Settings" icon="settings" />
            </button>
          ) : null}
          {dm ? null : (
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                setError(null);
                leaveRoom(chat, roomId).catch((e) => setError(errorText(e)));
              }}
            >
              <HeaderLabel text="Leave" icon="leave" />
            </button>
          )}
        </div>
      ) : null}
      {error ? (
        <p className="field-error header-error" role="alert">
          {error}
        </p>
      ) : null}
      {editing ? <RoomSettingsDialog room={room} onClose={() => setEditing(false)} /> : null}
    </header>
  );
}
