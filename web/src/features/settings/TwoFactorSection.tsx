import type { TotpSetupReply, TotpStatusReply } from '@parley/protocol';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { errorText } from '../../api/errors';
import { Field } from '../../components/auth/Field';
import { FormError } from '../../components/auth/FormError';
import { beginTwoFactor, confirmTwoFactor, twoFactorStatus } from '../signin/api';
import { RecoveryCodes } from '../signin/RecoveryCodes';
import { TotpSecret } from '../signin/TotpSecret';
import { LinkIdentity } from '../signin/LinkIdentity';
import { TwoFactorDisable } from './TwoFactorDisable';

/** Settings → Sign-in (`#/settings/sign-in`, where the provider's link round trip returns): two-factor and single sign-on. */
export function SignInSection() {
  return (
    <>
      <TwoFactorSection />
      <LinkIdentity />
    </>
  );
}

/** Settings → Two-factor: turn it on (scan, confirm a code, keep the recovery codes) or off. */
export function TwoFactorSection() {
  const [status, setStatus] = useState<TotpStatusReply | null>(null);
  const [setup, setSetup] = useState<TotpSetupReply | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(() => {
    twoFactorStatus().then(setStatus, (caught: unknown) => setError(errorText(caught)));
  }, []);
  useEffect(reload, [reload]);

  async function begin() {
    setError(null);
    try {
      setSetup(await beginTwoFactor());
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reply = await confirmTwoFactor(code.trim());
      setCodes(reply.recoveryCodes);
      setSetup(null);
      setCode('');
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  const shown = (body: React.ReactNode) => (
    <section className="settings-section" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Two-factor sign-in</h2>
      {body}
      <FormError message={error} />
    </section>
  );

  if (codes)
    return shown(
      <RecoveryCodes
        codes={codes}
        doneLabel="I have kept them"
        onDone={() => {
          setCodes(null);
          reload();
        }}
      />,
    );
  if (!status) return shown(<p>Loading…</p>);
  if (status.enabled)
    return shown(
      <>
        <p>
          Two-factor sign-in is on. {status.recoveryCodesLeft} recovery code
          {status.recoveryCodesLeft === 1 ? '' : 's'} left.
        </p>
        {status.required ? (
          <p>This server requires it for your account, so it cannot be turned off.</p>
        ) : (
          <TwoFactorDisable onDisabled={reload} />
        )}
      </>,
    );
  if (setup)
    return shown(
      <form onSubmit={confirm} aria-label="Confirm two-factor">
        <TotpSecret setup={setup} />
        <Field
          label="Code from the app"
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          maxLength={10}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          Turn on
        </button>
      </form>,
    );
  return shown(
    <>
      <p>
        Ask for a code from an authenticator app after your password.
        {status.required ? ' This server requires it for your account.' : ''}
      </p>
      <button type="button" className="primary" onClick={begin}>
        Set up two-factor
      </button>
    </>,
  );
}
