import { limits } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { upgradeGuest } from '../../api/auth';
import type { Session } from '../../state/session';
import { type CredentialErrors, placeCredentialError } from '../auth/credentialErrors';
import { Field } from '../auth/Field';
import { Dialog } from './Dialog';
import { FormError } from '../auth/FormError';

/** Turns a guest into a full account; the rooms and history come along. */
export function UpgradeDialog({
  onClose,
  onUpgraded,
}: {
  onClose: () => void;
  onUpgraded: (s: Session) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<CredentialErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      onUpgraded(await upgradeGuest(username, password));
    } catch (error) {
      setErrors(placeCredentialError(error));
      setBusy(false);
    }
  }

  return (
    <Dialog title="Keep this account" onClose={onClose}>
      <p className="muted">Choose a username and password; your rooms and messages stay with you.</p>
      <form onSubmit={submit}>
        <Field
          label="Username"
          autoComplete="username"
          required
          maxLength={limits.usernameMax}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={errors.username}
          autoFocus
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
          hint={`At least ${limits.passwordMin} characters.`}
        />
        <FormError message={errors.form} />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save account
          </button>
        </div>
      </form>
    </Dialog>
  );
}
