import { profileLimits } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { Field } from '../../components/auth/Field';
import { Avatar } from '../../components/Avatar';
import { useChat, useChatState } from '../../components/ChatContext';
import { saveProfile, setAvatar } from './state';

const zones = (): string[] => {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported('timeZone') : [];
};

/** Hours from now for a status that clears itself, as offered in the form ("" is "until I change it"). */
const expiryChoices = [
  ['', 'Until I change it'],
  ['1', 'For an hour'],
  ['4', 'For four hours'],
  ['24', 'For today and tonight'],
] as const;

export function ProfileSection() {
  const chat = useChat();
  const me = useChatState((s) => s.me);
  const [displayName, setDisplayName] = useState(me.displayName ?? '');
  const [status, setStatus] = useState(me.status?.text ?? '');
  const [hours, setHours] = useState('');
  const [timeZone, setTimeZone] = useState(me.timeZone ?? '');
  const [email, setEmail] = useState(me.email ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await action();
      setSaved(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const expiresAt = hours ? new Date(Date.now() + Number(hours) * 3_600_000).toISOString() : null;
    void run(() =>
      saveProfile(chat, {
        displayName: displayName.trim() || null,
        status: status.trim() ? { text: status.trim(), expiresAt } : null,
        timeZone: timeZone || null,
        ...(me.guest ? {} : { email: email.trim() || null }),
      }),
    );
  };

  return (
    <section className="settings-section" aria-labelledby="settings-profile">
      <h3 id="settings-profile">Profile</h3>
      <div className="settings-avatar">
        <Avatar id={me.id} name={me.username} src={me.avatar} size={64} />
        <label className="button">
          Upload a picture…
          <input
            type="file"
            accept="image/*"
            className="visually-hidden"
            aria-label="Avatar image"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void run(() => setAvatar(chat, file));
            }}
          />
        </label>
        {me.avatar ? (
          <button type="button" disabled={busy} onClick={() => void run(() => setAvatar(chat, null))}>
            Remove picture
          </button>
        ) : null}
      </div>
      <form onSubmit={submit} aria-label="Profile">
        <Field
          label="Display name"
          value={displayName}
          maxLength={profileLimits.displayNameMax}
          hint={`Shown with your username, @${me.username}.`}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        <Field
          label="Status"
          value={status}
          maxLength={profileLimits.statusMax}
          placeholder="In a meeting, on holiday…"
          onChange={(e) => setStatus(e.target.value)}
        />
        <div className="field">
          <label htmlFor="status-expiry">Clear the status</label>
          <select id="status-expiry" value={hours} onChange={(e) => setHours(e.target.value)}>
            {expiryChoices.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="time-zone">Time zone</label>
          <input
            id="time-zone"
            list="time-zones"
            value={timeZone}
            placeholder={Intl.DateTimeFormat().resolvedOptions().timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
          />
          <datalist id="time-zones">
            {zones().map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </div>
        {me.guest ? null : (
          <Field
            label="Email address"
            type="email"
            value={email}
            maxLength={profileLimits.emailMax}
            hint={
              me.email
                ? me.emailVerified
                  ? 'Verified: password reset links can be sent here.'
                  : 'Not verified yet: open the link we mailed you.'
                : 'Optional: where a password reset link can be sent.'
            }
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
        <FormError message={error} />
        {saved ? (
          <p className="muted" role="status">
            Saved.
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          Save profile
        </button>
      </form>
    </section>
  );
}
