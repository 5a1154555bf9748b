import { reasonMax } from '@parley/protocol';
import { type FormEvent, useId, useState } from 'react';
import { errorText } from '../../api/errors';
import { Field } from '../../components/auth/Field';
import { FormError } from '../../components/auth/FormError';
import { Dialog } from '../../components/dialogs/Dialog';
import { durations, untilAfter } from './words';

/** How long and why, for a mute or a ban. */
export function RestrictDialog({
  kind,
  name,
  onSubmit,
  onClose,
}: {
  kind: 'mute' | 'ban';
  name: string;
  onSubmit: (until: string | null, reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const id = useId();
  const [minutes, setMinutes] = useState<number | null>(kind === 'mute' ? 60 : null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(untilAfter(minutes), reason.trim());
      onClose();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }

  const verb = kind === 'mute' ? 'Mute' : 'Ban';
  return (
    <Dialog title={`${verb} ${name}`} onClose={onClose}>
      <form onSubmit={submit}>
        <p className="muted small-text">
          {kind === 'mute'
            ? `${name} can still read this room but cannot send, edit or react.`
            : `${name} is removed from this room and cannot rejoin or be added back.`}
        </p>
        <div className="field">
          <label htmlFor={`${id}-for`}>For how long</label>
          <select
            id={`${id}-for`}
            value={minutes === null ? '' : String(minutes)}
            onChange={(e) => setMinutes(e.target.value === '' ? null : Number(e.target.value))}
          >
            {durations.map((d) => (
              <option key={d.label} value={d.minutes === null ? '' : String(d.minutes)}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Reason (shown to them)"
          maxLength={reasonMax}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={busy}>
            {verb}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
