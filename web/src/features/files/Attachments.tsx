import { useChat } from '../../components/ChatContext';
import { useStore } from '../../state/store';
import { FileIcon } from './FileIcon';
import { formatSize, kindOf } from './kinds';
import { filesState, noAttachments, removeAttachment } from './uploads';

/** The files going with the next message: a progress bar each while uploading, with cancel. */
export function Attachments({ roomId }: { roomId: string }) {
  const chat = useChat();
  const list = useStore(filesState(chat).store, (s) => s[roomId] ?? noAttachments);
  if (list.length === 0) return null;
  return (
    <ul className="attachments" aria-label="Files to send">
      {list.map((a) => (
        <li key={a.localId} className={`attachment ${a.status}`}>
          {a.preview ? (
            <img src={a.preview} alt="" className="attachment-thumb" />
          ) : (
            <FileIcon kind={kindOf(a.type, a.name)} />
          )}
          <div className="attachment-text">
            <span className="file-name">{a.name}</span>
            {a.status === 'failed' ? (
              <span className="field-error" role="alert">
                {a.error}
              </span>
            ) : a.status === 'uploading' ? (
              <progress
                max={a.size}
                value={a.sent}
                aria-label={`Uploading ${a.name}`}
                aria-valuetext={`${formatSize(a.sent)} of ${formatSize(a.size)}`}
              />
            ) : (
              <span className="file-meta">{formatSize(a.size)}</span>
            )}
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label={a.status === 'uploading' ? `Cancel upload of ${a.name}` : `Remove ${a.name}`}
            onClick={() => removeAttachment(chat, roomId, a.localId)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
