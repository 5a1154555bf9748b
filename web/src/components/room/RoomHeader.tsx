import { useState } from 'react';
import { errorText } from '../../api/errors';
import { leaveRoom } from '../../state/rooms';
import { useChat, useChatState } from '../ChatContext';
import { ConnectionStatus } from '../ConnectionStatus';
import { DrawerButton } from './DrawerButton';

export function RoomHeader({
  roomId,
  onOpenDrawer,
  membersShown,
  onToggleMembers,
}: {
  roomId: string;
  onOpenDrawer: () => void;
  membersShown: boolean;
  onToggleMembers: () => void;
}) {
  const chat = useChat();
  const room = useChatState((s) => s.rooms[roomId]);
  const [error, setError] = useState<string | null>(null);
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
  const title = dm ? (room.peer?.username ?? room.name) : room.name;
  return (
    <header className="room-header">
      <DrawerButton onClick={onOpenDrawer} />
      <div className="room-heading">
        <h2 className="room-title">
          <span aria-hidden="true" className="room-hash">
            {dm ? '@' : room.visibility === 'private' ? '🔒' : '#'}
          </span>
          {title}
        </h2>
        {room.description ? <p className="room-description">{room.description}</p> : null}
      </div>
      <ConnectionStatus />
      {room.joined ? (
        <div className="room-actions">
          <button
            type="button"
            className="secondary small"
            aria-pressed={membersShown}
            onClick={onToggleMembers}
          >
            Members <span className="muted">{room.memberCount}</span>
          </button>
          {dm ? null : (
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                setError(null);
                leaveRoom(chat, roomId).catch((e) => setError(errorText(e)));
              }}
            >
              Leave
            </button>
          )}
        </div>
      ) : null}
      {error ? (
        <p className="field-error header-error" role="alert">
          {error}
        </p>
      ) : null}
    </header>
  );
}
