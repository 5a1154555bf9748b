import { isSecondStep, type LoginReply, limits, type SecondStep } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { continueAsGuest, login, register } from '../../api/auth';
import { errorText } from '../../api/errors';
import { SecondStepForm } from '../../features/signin/SecondStepForm';
import { SignOnButton } from '../../features/signin/SignOnButton';
import { useSignInOptions } from '../../features/signin/useSignInOptions';
import { useSignOnReturn } from '../../features/signin/useSignOnReturn';
import type { Session } from '../../state/session';
import { type CredentialErrors, placeCredentialError } from './credentialErrors';
import { Field } from './Field';
import { FormError } from './FormError';
import { useSignUpRules } from './useSignUpRules';

type Mode = 'login' | 'register';

export function AuthScreen({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const rules = useSignUpRules();
  // An invite link opens on the form it is for.
  const [mode, setMode] = useState<Mode>(rules.invite ? 'register' : 'login');
  const [invite, setInvite] = useState(rules.invite);
  const closed = rules.registration === 'closed';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<CredentialErrors>({});
  const [busy, setBusy] = useState(false);
  const [guestError, setGuestError] = useState<string | null>(null);
  const [secondStep, setSecondStep] = useState<SecondStep | null>(null);
  const signIn = useSignInOptions();
  const signOn = useSignOnReturn((reply) => signedIn(reply));

  /** A session, or the two-factor step before it (features/signin). */
  function signedIn(reply: LoginReply) {
    if (isSecondStep(reply)) {
      setSecondStep(reply.secondStep);
      setBusy(false);
    } else onSignedIn(reply);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const reply =
        mode === 'login'
          ? await login(username, password)
          : await register(username, password, invite.trim() || undefined);
      signedIn(reply);
    } catch (error) {
      setErrors(placeCredentialError(error));
      setBusy(false);
    }
  }

  async function guest() {
    setBusy(true);
    setGuestError(null);
    try {
      onSignedIn(await continueAsGuest());
    } catch (error) {
      setGuestError(errorText(error));
      setBusy(false);
    }
  }

  const switchTo = (next: Mode) => {
    setMode(next);
    setErrors({});
  };

  return (
    <main className="auth">
      <div className="auth-card">
        <h1 className="brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          Parley
        </h1>
        <p className="auth-tagline">Self-hosted chat for your people.</p>
        {secondStep ? (
          <SecondStepForm step={secondStep} onSignedIn={onSignedIn} onCancel={() => setSecondStep(null)} />
        ) : null}
        <div hidden={secondStep !== null}>
          <div className="tabs" role="tablist" aria-label="Account" hidden={!signIn.passwordLogin}>
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'login'}
              onClick={() => switchTo('login')}
            >
              Sign in
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={mode === 'register'}
              disabled={closed}
              onClick={() => switchTo('register')}
            >
              Create account
            </button>
          </div>
          {closed ? (
            <p className="auth-note" role="status">
              Registration is closed on this server: only existing accounts can sign in.
            </p>
          ) : null}
          <form
            onSubmit={submit}
            aria-label={mode === 'login' ? 'Sign in' : 'Create account'}
            hidden={!signIn.passwordLogin}
          >
            <Field
              label="Username"
              name="username"
              autoComplete="username"
              required
              maxLength={limits.usernameMax}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              error={errors.username}
              hint={mode === 'register' ? 'Letters, digits, "_", "." or "-".' : undefined}
            />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.password}
              hint={mode === 'register' ? `At least ${limits.passwordMin} characters.` : undefined}
            />
            {mode === 'register' && (rules.registration === 'invite' || rules.invite) ? (
              <Field
                label="Invite code"
                name="invite"
                required={rules.registration === 'invite'}
                value={invite}
                onChange={(e) => setInvite(e.target.value)}
                hint="This server needs an invite link to register; its code goes here."
              />
            ) : null}
            <FormError message={errors.form} />
            <button type="submit" className="primary wide" disabled={busy}>
              {mode === 'login' ? 'Sign in' : 'Create account'}
            </button>
            {mode === 'login' ? (
              <a className="small-text" href="#/forgot-password">
                Forgot your password?
              </a>
            ) : null}
          </form>
          <div className="divider">
            <span>or</span>
          </div>
          {rules.guests ? (
            <button type="button" className="secondary wide" onClick={guest} disabled={busy}>
              Continue as guest
            </button>
          ) : (
            <p className="auth-note">Guest access is switched off on this server.</p>
          )}
          <FormError message={guestError} />
          {signIn.oidc ? <SignOnButton name={signIn.oidc.name} disabled={busy || signOn.busy} /> : null}
          <FormError message={signOn.error} />
        </div>
      </div>
    </main>
  );
}
