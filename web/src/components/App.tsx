import { useEffect, useState } from 'react';
import { Route, Router, Switch } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { Chat } from '../state/chat';
import { loadSession, type Session, saveSession, sessionKey } from '../state/session';
import { AuthScreen } from './auth/AuthScreen';
import { ChatContext } from './ChatContext';
import { ChatScreen } from './ChatScreen';
import { patterns } from '../routes/paths';
import { lazyPage } from './lazyPage';

// Pages an emailed link opens: rare, so their code loads only then.
const linkPages = () => import('../features/settings/AccountLinkPages');
const ResetPasswordPage = lazyPage(() => linkPages().then((m) => m.ResetPasswordPage));
const VerifyEmailPage = lazyPage(() => linkPages().then((m) => m.VerifyEmailPage));
const ForgotPasswordPage = lazyPage(() => linkPages().then((m) => m.ForgotPasswordPage));

/** The whole app reads its address from the URL's fragment: see routes/paths.ts for why. */
export function App() {
  return (
    <Router hook={useHashLocation}>
      <Switch>
        {/* Pages a link opens, whoever is signed in (or nobody). */}
        <Route path={patterns.resetPassword}>{(params) => <ResetPasswordPage token={params.token} />}</Route>
        <Route path={patterns.verifyEmail}>{(params) => <VerifyEmailPage token={params.token} />}</Route>
        <Route path={patterns.forgotPassword}>
          <ForgotPasswordPage />
        </Route>
        <Route>
          <Screens />
        </Route>
      </Switch>
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
      if (event.key !== sessionKey) return;
      // A new sign-in or a sign-out; the same session with a fresher profile keeps this tab as it is.
      const next = loadSession();
      setSession((current) => (current && next && current.token === next.token ? current : next));
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
