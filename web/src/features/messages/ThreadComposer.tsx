import { useId, useState } from 'react';
import { useChat } from '../../components/ChatContext';
import { sendMessage } from '../../state/send';

/** Replies to a thread; "Also send to room" puts the reply on the room's timeline too. */
export function ThreadComposer({ roomId, seq }: { roomId: string; seq: number }) {
  const chat = useChat();
  const id = useId();
  const [text, setText] = useState('');
  const [alsoToRoom, setAlsoToRoom] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function submit() {
    const problem = sendMessage(chat, roomId, text, [], { threadSeq: seq, alsoToRoom });
    setError(problem);
    if (!problem && text.trim()) setText('');
  }

  return (
    <form
      className="composer thread-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
      <label htmlFor={id} className="visually-hidden">
        Reply in thread
      </label>
      <textarea
        id={id}
        rows={2}
        value={text}
        placeholder="Reply…"
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div className="thread-composer-row">
        <label className="check">
          <input type="checkbox" checked={alsoToRoom} onChange={(e) => setAlsoToRoom(e.target.checked)} />{' '}
          Also send to room
        </label>
        <button type="submit" className="primary small" disabled={!text.trim()}>
          Reply
        </button>
      </div>
    </form>
  );
}
