import { useRef } from 'react';
import { useChat } from '../../components/ChatContext';
import { attachFiles } from './uploads';

/** The composer's paperclip: picks one or several files. */
export function AttachButton({ roomId }: { roomId: string }) {
  const chat = useChat();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Attach files"
        data-testid="attach-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) void attachFiles(chat, roomId, files);
        }}
      />
      <button
        type="button"
        className="icon-button"
        aria-label="Attach files"
        onClick={() => input.current?.click()}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M20 11.5l-8 8a5 5 0 0 1-7-7l8.5-8.5a3.5 3.5 0 0 1 5 5L10 17.5a2 2 0 0 1-3-3L14.5 7"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
          />
        </svg>
      </button>
    </>
  );
}
