import { useChatState } from '../ChatContext';
import { describeTyping } from '../../state/typing';

export function TypingLine({ roomId }: { roomId: string }) {
  const names = useChatState((s) =>
    (s.typing[roomId] ?? []).map((e) => e.user.displayName ?? e.user.username).join('\n'),
  );
  const text = describeTyping(names ? names.split('\n') : []);
  return (
    <div className="typing-line" aria-live="polite">
      {text}
    </div>
  );
}
