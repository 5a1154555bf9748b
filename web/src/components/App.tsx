import { useEffect, useState } from 'react';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { Chat } from '../state/chat';
import { loadSession, type Session, saveSession, sessionKey } from '../state/session';
import { AuthScreen } from './auth/AuthScreen';
import { ChatContext } from './ChatContext';
import { ChatScreen } from './ChatScreen';

/** The whole app reads its address from the URL's fragment: see routes/paths.ts for why. */
export function App() {
  return (
    <Router hook={useHashLocation}>
      <Screens />
    </Router>
  );
}

function Screens() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [chat, setChat] = useState<Chat | null>(null);

  useEffect(() => {
    if (!session) return;
    const next = new Chat(session, () => setSession(null));
    setChat(next);
    return () => next.dispose();
  }, [session]);

  // Signing out in another tab signs out this one too.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === sessionKey) setSession(loadSession());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  if (!session) {
    return (
      <AuthScreen
        onSignedIn={(next) => {
          saveSession(next);
          setSession(next);
        }}
      />
    );
  }
  if (!chat || chat.session !== session) return null;
  return (
    <ChatContext.Provider value={chat}>
      <ChatScreen
        onSessionChange={(next) => {
          saveSession(next);
          setSession(next);
        }}
      />
    </ChatContext.Provider>
  );
}
