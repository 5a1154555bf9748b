import type { Message } from '@parley/protocol';
import { useState } from 'react';
import { useChat } from '../../components/ChatContext';
import { Dialog } from '../../components/dialogs/Dialog';
import { deleteMessage } from './actions';

/** Deleting asks first: the text is gone for everyone, and cannot be brought back. */
export function DeleteDialog({ message, onClose }: { message: Message; onClose: () => void }) {
  const chat = useChat();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const preview = message.text.length > 140 ? `${message.text.slice(0, 140)}…` : message.text;
  return (
    <Dialog title="Delete this message?" onClose={onClose}>
      <p>It is removed for everyone in the room and cannot be brought back.</p>
      <blockquote className="delete-preview">{preview}</blockquote>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const problem = await deleteMessage(chat, message.roomId, message.seq);
            setBusy(false);
            if (problem) setError(problem);
            else onClose();
          }}
        >
          Delete
        </button>
      </div>
    </Dialog>
  );
}
