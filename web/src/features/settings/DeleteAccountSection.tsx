import { type FormEvent, useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { Field } from '../../components/auth/Field';
import { useChat, useChatState } from '../../components/ChatContext';
import { deleteAccount } from './state';

export function DeleteAccountSection() {
  const chat = useChat();
  const me = useChatState((s) => s.me);
  const [password, setPassword] = useState('');
  const [messages, setMessages] = useState<'keep' | 'remove'>('keep');
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await deleteAccount(chat, password, messages);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby="settings-delete">
      <h3 id="settings-delete">Delete account</h3>
      <p>
        This deletes <strong>{me.username}</strong> for good: you leave every room and are signed out
        everywhere. It cannot be undone.
      </p>
      <form onSubmit={submit} aria-label="Delete account">
        <fieldset>
          <legend>Your messages</legend>
          <label className="check">
            <input
              type="radio"
              name="messages"
              checked={messages === 'keep'}
              onChange={() => setMessages('keep')}
            />
            Keep them, shown as from “Deleted user”
          </label>
          <label className="check">
            <input
              type="radio"
              name="messages"
              checked={messages === 'remove'}
              onChange={() => setMessages('remove')}
            />
            Remove them everywhere
          </label>
        </fieldset>
        {me.guest ? null : (
          <Field
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
        <label className="check">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />I understand
          this cannot be undone
        </label>
        <FormError message={error} />
        <button type="submit" className="danger" disabled={busy || !sure || (!me.guest && !password)}>
          Delete my account
        </button>
      </form>
    </section>
  );
}
