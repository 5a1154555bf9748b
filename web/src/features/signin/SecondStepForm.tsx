import type { AuthReply, SecondStep, TotpSetupReply } from '@parley/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { errorText } from '../../api/errors';
import { Field } from '../../components/auth/Field';
import { FormError } from '../../components/auth/FormError';
import { enrolAtSignIn, sendSecondStep } from './api';
import { RecoveryCodes } from './RecoveryCodes';
import { TotpSecret } from './TotpSecret';

/**
 * The step after the password (or the provider): a code from the authenticator app or a recovery code.
 * An account the server requires to use two-factor, and that has not yet, sets it up here first.
 */
export function SecondStepForm({
  step,
  onSignedIn,
  onCancel,
}: {
  step: SecondStep;
  onSignedIn: (session: AuthReply) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [setup, setSetup] = useState<TotpSetupReply | null>(null);
  const [done, setDone] = useState<{ session: AuthReply; codes: string[] } | null>(null);

  useEffect(() => {
    if (!step.enrol) return;
    enrolAtSignIn(step.ticket).then(setSetup, (caught: unknown) => setError(errorText(caught)));
  }, [step]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { recoveryCodes, ...session } = await sendSecondStep(step.ticket, code.trim());
      if (recoveryCodes) setDone({ session, codes: recoveryCodes });
      else onSignedIn(session);
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  }

  if (done)
    return <RecoveryCodes codes={done.codes} onDone={() => onSignedIn(done.session)} doneLabel="Continue" />;

  return (
    <form onSubmit={submit} aria-label="Two-factor sign-in">
      {step.enrol ? (
        <>
          <p>This server requires two-factor sign-in for your account. Set it up to continue.</p>
          {setup ? <TotpSecret setup={setup} /> : null}
        </>
      ) : (
        <p>Enter the code from your authenticator app, or one of your recovery codes.</p>
      )}
      <Field
        label={step.enrol ? 'Code from the app' : 'Code'}
        name="code"
        autoComplete="one-time-code"
        inputMode={step.enrol ? 'numeric' : 'text'}
        required
        maxLength={40}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <FormError message={error} />
      <button type="submit" className="primary wide" disabled={busy || (step.enrol && !setup)}>
        Verify
      </button>
      <button type="button" className="link" onClick={onCancel}>
        Start over
      </button>
    </form>
  );
}
