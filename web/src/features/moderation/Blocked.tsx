import { type ReactNode, useState } from 'react';
import { useChat } from '../../components/ChatContext';
import { useStore } from '../../state/store';
import { moderationStore } from './state';

/** Whether the reader blocked this person: their messages show collapsed. */
export function useBlocked(userId: string): boolean {
  return useStore(moderationStore(useChat()), (s) => s.blocked?.some((u) => u.id === userId) ?? false);
}

/** A blocked person's message, collapsed to one line until the reader asks to see it. */
export function Collapsed({ author, children }: { author: string; children: ReactNode }) {
  const [shown, setShown] = useState(false);
  if (shown) return <>{children}</>;
  return (
    <p className="collapsed-message muted small-text">
      A message from {author}, whom you blocked.{' '}
      <button type="button" className="link-button" onClick={() => setShown(true)}>
        Show
      </button>
    </p>
  );
}
