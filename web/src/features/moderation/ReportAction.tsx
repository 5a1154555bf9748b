import { reasonMax } from '@parley/protocol';
import { type FormEvent, useId, useState } from 'react';
import { errorText } from '../../api/errors';
import { FormError } from '../../components/auth/FormError';
import { useChat } from '../../components/ChatContext';
import { Dialog } from '../../components/dialogs/Dialog';
import { reportMessage } from './state';

/** "Report to moderators" on a message: a reason in words, then the room's moderators see it queued. */
export function ReportAction({ roomId, seq, author }: { roomId: string; seq: number; author: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="icon-button report-button"
        aria-label={`Report message from ${author} to moderators`}
        title="Report to moderators"
        onClick={() => setOpen(true)}
      >
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path
            d="M5 21V4h11l-1.5 4L16 12H5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinejoin="round"
          />
        </svg>
      </button>
      {open ? (
        <ReportDialog roomId={roomId} seq={seq} author={author} onClose={() => setOpen(false)} />
      ) : null}
    </>
  );
}

function ReportDialog({
  roomId,
  seq,
  author,
  onClose,
}: {
  roomId: string;
  seq: number;
  author: string;
  onClose: () => void;
}) {
  const chat = useChat();
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await reportMessage(chat, roomId, seq, reason.trim());
      setDone(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Report to moderators" onClose={onClose}>
      {done ? (
        <>
          <p role="status">Reported. The room’s moderators will look at it.</p>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit}>
          <p className="muted small-text">
            The message from {author} and your reason go to this room’s moderators. {author} is not told who
            reported it.
          </p>
          <div className="field">
            <label htmlFor={id}>What is wrong with it?</label>
            <textarea
              id={id}
              rows={3}
              maxLength={reasonMax}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <FormError message={error} />
          <div className="dialog-actions">
            <button type="button" className="secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy}>
              Report
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
