import { passwordProblems, passwordRules } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { Field } from '../../components/auth/Field';
import { useChatState } from '../../components/ChatContext';
import { changePassword } from './state';
import { NewPasswordFields } from './NewPasswordFields';

/** The rules up front, every problem at once while typing, and the server's word on what it alone knows. */
export function PasswordSection() {
  const me = useChatState((s) => s.me);
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const problems = [
    ...passwordProblems(password, me.username),
    ...(repeat !== password ? ['The two new passwords differ.'] : []),
    ...(current && password === current ? ['The new password is the current one.'] : []),
  ];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    setDone(false);
    setError(null);
    if (!current || problems.length > 0) return;
    setBusy(true);
    try {
      await changePassword(current, password);
      setDone(true);
      setCurrent('');
      setPassword('');
      setRepeat('');
      setTried(false);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const shown = tried || password.length > 0 ? problems : [];
  return (
    <section className="settings-section" aria-labelledby="settings-password">
      <h3 id="settings-password">Password</h3>
      <p className="muted">Changing it signs you out everywhere else.</p>
      <ul className="rules" aria-label="Password rules">
        {passwordRules.map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
      <form onSubmit={submit} aria-label="Change password" noValidate>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          error={tried && !current ? 'Type your current password.' : null}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <NewPasswordFields
          password={password}
          repeat={repeat}
          problems={shown}
          onPassword={setPassword}
          onRepeat={setRepeat}
        />
        <FormError message={error} />
        {done ? <p role="status">Password changed. Every other session was signed out.</p> : null}
        <button type="submit" className="primary" disabled={busy}>
          Change password
        </button>
      </form>
    </section>
  );
}
