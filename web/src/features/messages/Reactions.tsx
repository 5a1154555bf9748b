import type { Message } from '@parley/protocol';
import { useState } from 'react';
import { useChat, useChatState } from '../../components/ChatContext';
import { toggleReaction } from './actions';

/** Chips under a message: each emoji with its count, the reader's own marked; a click toggles it. */
export function Reactions({ message, canReact }: { message: Message; canReact: boolean }) {
  const chat = useChat();
  const me = useChatState((s) => s.me.id);
  const members = useChatState((s) => s.members[message.roomId]);
  const [error, setError] = useState<string | null>(null);
  if (message.reactions.length === 0) return null;
  const nameOf = (id: string) =>
    id === me ? 'you' : (members?.find((m) => m.id === id)?.username ?? 'someone');
  return (
    <div className="reactions">
      {message.reactions.map((r) => {
        const mine = r.users.includes(me);
        const who = r.users.slice(0, 10).map(nameOf).join(', ');
        return (
          <button
            key={r.emoji}
            type="button"
            className={mine ? 'reaction mine' : 'reaction'}
            aria-pressed={mine}
            aria-label={`${r.emoji} ${r.count}, ${mine ? 'remove your reaction' : 'react'}`}
            title={`${who}${r.users.length > 10 ? ' and others' : ''}`}
            disabled={!canReact}
            onClick={() => {
              setError(null);
              void toggleReaction(chat, message, r.emoji).then(setError);
            }}
          >
            <span aria-hidden="true">{r.emoji}</span> <span className="count">{r.count}</span>
          </button>
        );
      })}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
