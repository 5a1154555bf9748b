import type { MessageFile } from '@parley/protocol';
import { useEffect, useRef } from 'react';
import { useChat } from '../../components/ChatContext';
import { formatSize } from './kinds';
import { useSignedUrl } from './links';

/** An image at full size over the room, in the native modal dialog (Escape and focus for free). */
export function Lightbox({ file, onClose }: { file: MessageFile; onClose: () => void }) {
  const chat = useChat();
  const { signed: src } = useSignedUrl(chat, file.url, file.id);
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    close.current?.focus();
  }, []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is a pointer shortcut; Escape and the Close button do the same from the keyboard
    <dialog
      ref={ref}
      className="lightbox"
      aria-label={`Image ${file.name}`}
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog itself, not the picture or the bar) closes it.
        if (e.target === e.currentTarget) onClose();
      }}
    >
      {src ? <img src={src} alt={file.name} /> : <p>Loading…</p>}
      <div className="lightbox-bar">
        <span className="file-name">{file.name}</span>
        <span className="file-meta">
          {file.width && file.height ? `${file.width} × ${file.height} · ` : ''}
          {formatSize(file.size)}
        </span>
        {src ? (
          <a href={src} download={file.name}>
            Download
          </a>
        ) : null}
        <button ref={close} type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
