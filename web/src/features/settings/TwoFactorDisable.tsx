import { type FormEvent, useState } from 'react';
import { errorText } from '../../api/errors';
import { Field } from '../../components/auth/Field';
import { FormError } from '../../components/auth/FormError';
import { disableTwoFactor } from '../signin/api';

/** Turning two-factor off takes the password and a current code: a borrowed session is not enough. */
export function TwoFactorDisable({ onDisabled }: { onDisabled: () => void }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await disableTwoFactor(password, code.trim());
      onDisabled();
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  }

  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Turn off two-factor
      </button>
    );
  return (
    <form onSubmit={submit} aria-label="Turn off two-factor">
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Field
        label="Code"
        name="code"
        autoComplete="one-time-code"
        required
        maxLength={40}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <FormError message={error} />
      <button type="submit" className="danger" disabled={busy}>
        Turn off
      </button>
    </form>
  );
}
