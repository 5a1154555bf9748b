import { limits } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { errorText, isRoomNameError } from '../../api/errors';
import { createRoom } from '../../state/rooms';
import { Field } from '../auth/Field';
import { useChat } from '../ChatContext';
import { Dialog } from './Dialog';
import { FormError } from '../auth/FormError';

export function CreateRoomDialog({ onClose }: { onClose: () => void }) {
  const chat = useChat();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'private'>('public');
  const [nameError, setNameError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setNameError(null);
    setFormError(null);
    try {
      await createRoom(chat, name.trim(), description.trim(), visibility);
      onClose();
    } catch (error) {
      if (isRoomNameError(error)) setNameError(error.message);
      else setFormError(errorText(error));
      setBusy(false);
    }
  }

  return (
    <Dialog title="Create a room" onClose={onClose}>
      <form onSubmit={submit}>
        <Field
          label="Name"
          required
          maxLength={limits.roomNameMax}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={nameError}
          autoFocus
        />
        <Field
          label="Description (optional)"
          maxLength={limits.roomDescriptionMax}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <fieldset className="choices">
          <legend>Who can join</legend>
          <label>
            <input
              type="radio"
              name="visibility"
              checked={visibility === 'public'}
              onChange={() => setVisibility('public')}
            />
            Public — anyone can find and join it
          </label>
          <label>
            <input
              type="radio"
              name="visibility"
              checked={visibility === 'private'}
              onChange={() => setVisibility('private')}
            />
            Private — only people added by a member
          </label>
        </fieldset>
        <FormError message={formError} />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Create room
          </button>
        </div>
      </form>
    </Dialog>
  );
}
