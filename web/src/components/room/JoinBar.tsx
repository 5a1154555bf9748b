import { useState } from 'react';
import { errorText } from '../../api/errors';
import { joinRoom } from '../../state/rooms';
import { useChat } from '../ChatContext';

export function JoinBar({ roomId }: { roomId: string }) {
  const chat = useChat();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="join-bar">
      <span>You are not a member of this room.</span>
      <button
        type="button"
        className="primary"
        onClick={() => joinRoom(chat, roomId).catch((e) => setError(errorText(e)))}
      >
        Join room
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
