import { passwordProblems, passwordRules } from '@parley/protocol';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { checkResetLink, forgotPassword, resetPassword, verifyEmail } from '../../api/account';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { Field } from '../../components/auth/Field';
import { hrefOf, paths } from '../../routes/paths';
import { NewPasswordFields } from './NewPasswordFields';

/** Pages reached from a link, signed in or not: they live beside the sign-in screen. */
function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth">
      <div className="auth-card">
        <h1 className="brand">{title}</h1>
        {children}
        <p>
          <a href={hrefOf(paths.home())}>Back to Parley</a>
        </p>
      </div>
    </main>
  );
}

/** `#/reset-password/TOKEN`: a new password through a one-time link (an admin's, or a mailed one). */
export function ResetPasswordPage({ token }: { token: string }) {
  const [username, setUsername] = useState<string | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => {
    checkResetLink(token).then(
      (reply) => setUsername(reply.username),
      (e) => setLinkError(errorText(e)),
    );
  }, [token]);

  const problems = [
    ...passwordProblems(password, username ?? ''),
    ...(repeat !== password ? ['The two passwords differ.'] : []),
  ];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    setError(null);
    if (problems.length > 0) return;
    setBusy(true);
    try {
      await resetPassword(token, password);
      setDone(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (linkError) return <Card title="Reset your password">{<FormError message={linkError} />}</Card>;
  if (done)
    return (
      <Card title="Password changed">
        <p role="status">
          Your password is changed and every session was signed out. Sign in with the new one.
        </p>
      </Card>
    );
  const shown = tried || password ? problems : [];
  return (
    <Card title="Reset your password">
      {username ? (
        <form onSubmit={submit} aria-label="Reset password" noValidate>
          <p>
            A new password for <strong>{username}</strong>.
          </p>
          <ul className="rules" aria-label="Password rules">
            {passwordRules.map((rule) => (
              <li key={rule}>{rule}</li>
            ))}
          </ul>
          <NewPasswordFields
            password={password}
            repeat={repeat}
            problems={shown}
            onPassword={setPassword}
            onRepeat={setRepeat}
          />
          <FormError message={error} />
          <button type="submit" className="primary wide" disabled={busy}>
            Set the new password
          </button>
        </form>
      ) : (
        <p className="muted">Checking the link…</p>
      )}
    </Card>
  );
}

/** `#/verify-email/TOKEN`: the link mailed to a new address. */
export function VerifyEmailPage({ token }: { token: string }) {
  const [state, setState] = useState<{ done: boolean; error?: string } | null>(null);
  useEffect(() => {
    verifyEmail(token).then(
      () => setState({ done: true }),
      (e) => setState({ done: false, error: errorText(e) }),
    );
  }, [token]);
  return (
    <Card title="Email address">
      {state === null ? <p className="muted">Checking the link…</p> : null}
      {state?.done ? <p role="status">Your email address is verified.</p> : null}
      <FormError message={state?.error} />
    </Card>
  );
}

/** `#/forgot-password`: a reset link by mail when the server sends mail; otherwise, ask an admin. */
export function ForgotPasswordPage() {
  const [username, setUsername] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await forgotPassword(username);
      setSent(true);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Card title="Forgot your password?">
      <p className="muted">
        If your account has a verified email address and this server sends mail, a reset link goes there.
        Otherwise an admin of this server can give you one.
      </p>
      {sent ? (
        <p role="status">
          If that account has a verified address, a link is on its way. It works for an hour.
        </p>
      ) : (
        <form onSubmit={submit} aria-label="Forgot password">
          <Field
            label="Username or email address"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <FormError message={error} />
          <button type="submit" className="primary wide" disabled={!username.trim()}>
            Send me a link
          </button>
        </form>
      )}
    </Card>
  );
}
