import { createContext, useContext } from 'react';
import type { Chat } from '../state/chat';
import { useStore } from '../state/store';
import type { ChatState } from '../state/types';

export const ChatContext = createContext<Chat | null>(null);

export function useChat(): Chat {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error('useChat outside a signed-in session');
  return chat;
}

export function useChatState<S>(select: (state: ChatState) => S): S {
  return useStore(useChat().store, select);
}
