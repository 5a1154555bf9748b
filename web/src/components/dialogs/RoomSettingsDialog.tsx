import { limits, type Room } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { errorText, isRoomNameError } from '../../api/errors';
import { clearHistory, updateRoom } from '../../api/rooms';
import { archiveRoom } from '../../features/moderation/state';
import { upsertRoom } from '../../state/rooms';
import { Field } from '../auth/Field';
import { useChat } from '../ChatContext';
import { Dialog } from './Dialog';
import { FormError } from '../auth/FormError';

/** For the owner or an admin: rename, describe, archive, or clear the history of a room. */
export function RoomSettingsDialog({ room, onClose }: { room: Room; onClose: () => void }) {
  const chat = useChat();
  const [name, setName] = useState(room.name);
  const [description, setDescription] = useState(room.description);
  const [nameError, setNameError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setNameError(null);
    setFormError(null);
    try {
      const { room: updated } = await updateRoom(room.id, {
        name: name.trim(),
        description: description.trim(),
      });
      upsertRoom(chat, updated);
      onClose();
    } catch (error) {
      if (isRoomNameError(error)) setNameError(error.message);
      else setFormError(errorText(error));
    }
  }

  async function clear() {
    setFormError(null);
    try {
      await clearHistory(room.id);
      onClose();
    } catch (error) {
      setFormError(errorText(error));
    }
  }

  async function setArchived(archived: boolean) {
    setFormError(null);
    try {
      await archiveRoom(chat, room.id, archived);
      onClose();
    } catch (error) {
      setFormError(errorText(error));
    }
  }

  return (
    <Dialog title={`Settings for #${room.name}`} onClose={onClose}>
      <form onSubmit={save}>
        <Field
          label="Name"
          required
          maxLength={limits.roomNameMax}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={nameError}
        />
        <Field
          label="Description"
          maxLength={limits.roomDescriptionMax}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <FormError message={formError} />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
      <div className="archive-zone">
        <p className="muted small-text">
          {room.archived
            ? 'This room is archived: everyone can read it, nobody can send, edit or react. Unarchiving opens it again.'
            : 'Archiving makes the room read-only for everyone: its history stays, nobody can send, edit or react. You can unarchive it later.'}
        </p>
        <button type="button" className="secondary" onClick={() => void setArchived(!room.archived)}>
          {room.archived ? 'Unarchive room' : 'Archive room'}
        </button>
      </div>
      <div className="danger-zone">
        <p className="muted small-text">Clearing removes every message in this room for everyone.</p>
        {confirmClear ? (
          <div className="dialog-actions">
            <button type="button" className="secondary" onClick={() => setConfirmClear(false)}>
              Keep history
            </button>
            <button type="button" className="danger" onClick={() => void clear()}>
              Yes, clear everything
            </button>
          </div>
        ) : (
          <button type="button" className="secondary danger-text" onClick={() => setConfirmClear(true)}>
            Clear history…
          </button>
        )}
      </div>
    </Dialog>
  );
}
