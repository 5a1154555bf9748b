import { useEffect } from 'react';
import { useChat } from '../components/ChatContext';
import { markRead } from '../state/rooms';

/** Coming back to the tab counts as reading the open room. */
export function useReadOnReturn(): void {
  const chat = useChat();
  useEffect(() => {
    const onVisible = () => {
      const { activeRoomId } = chat.store.get();
      if (document.visibilityState === 'visible' && activeRoomId) markRead(chat, activeRoomId);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [chat]);
}
