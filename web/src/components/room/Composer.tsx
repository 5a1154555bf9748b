import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { MentionList, type Suggestion, useMentionSuggest } from '../../features/attention/MentionSuggest';
import { AttachButton } from '../../features/files/AttachButton';
import { Attachments } from '../../features/files/Attachments';
import {
  attachFiles,
  clearAttachments,
  pastedFiles,
  readyAttachments,
  useHasAttachments,
} from '../../features/files/uploads';
import { editLastOwn } from '../../features/messages/actions';
import { sendMessage } from '../../state/send';
import { TypingSignal } from '../../state/typing';
import { useChat, useChatState } from '../ChatContext';
import { EmojiPicker } from './EmojiPicker';

/** Unsent text per room survives switching rooms. */
const drafts = new Map<string, string>();

export function Composer({ roomId }: { roomId: string }) {
  const chat = useChat();
  const id = useId();
  const room = useChatState((s) => s.rooms[roomId]);
  const max = useChatState((s) => s.maxMessageLength);
  const [text, setText] = useState(() => drafts.get(roomId) ?? '');
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [caret, setCaret] = useState(0);
  const suggest = useMentionSuggest(roomId, text, caret);
  const hasFiles = useHasAttachments(chat, roomId);
  const input = useRef<HTMLTextAreaElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const typing = useMemo(() => new TypingSignal(chat, roomId), [chat, roomId]);

  useEffect(() => () => typing.stop(), [typing]);
  useEffect(() => {
    drafts.set(roomId, text);
    const el = input.current;
    if (!el) return;
    // Grow with the text up to a limit, as chat composers do.
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, window.innerHeight * 0.4)}px`;
  }, [text, roomId]);

  const place = room?.kind === 'dm' ? (room.peer?.username ?? room.name) : `#${room?.name ?? ''}`;

  function submit() {
    const files = readyAttachments(chat, roomId);
    if (typeof files === 'string') {
      setError(files);
      return;
    }
    const problem = sendMessage(chat, roomId, text, files);
    setError(problem);
    if (problem || (!text.trim() && files.length === 0)) return;
    clearAttachments(chat, roomId);
    typing.stop();
    setText('');
  }

  function mention(suggestion: Suggestion) {
    const next = suggest.choose(suggestion);
    setText(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(next.caret, next.caret);
    });
  }

  function insert(emoji: string) {
    const el = input.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + emoji + text.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  }

  const nearLimit = text.length > max * 0.8;
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {error ? (
        <p className="field-error composer-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
      {suggest.open ? (
        <MentionList
          id={`${id}-mentions`}
          suggestions={suggest.suggestions}
          active={suggest.active}
          onPick={mention}
        />
      ) : null}
      <Attachments roomId={roomId} />
      <div className="composer-row">
        <label htmlFor={id} className="visually-hidden">
          Message {place}
        </label>
        <textarea
          id={id}
          ref={input}
          rows={1}
          value={text}
          placeholder={`Message ${place}`}
          aria-describedby={error ? `${id}-error` : undefined}
          aria-invalid={error ? true : undefined}
          aria-autocomplete="list"
          aria-controls={suggest.open ? `${id}-mentions` : undefined}
          aria-activedescendant={suggest.open ? `${id}-mentions-${suggest.active}` : undefined}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart);
            if (error) setError(null);
            if (e.target.value) typing.keystroke();
          }}
          onBlur={() => typing.stop()}
          onPaste={(e) => {
            const files = pastedFiles(e.clipboardData);
            if (files.length === 0) return;
            e.preventDefault();
            void attachFiles(chat, roomId, files);
          }}
          onKeyDown={(e) => {
            const taken = suggest.onKey(e.key);
            if (taken) {
              e.preventDefault();
              if (taken !== 'handled') mention(taken);
              return;
            }
            // ↑ in an empty composer edits the last message sent, as in most chat apps.
            if (e.key === 'ArrowUp' && !text && editLastOwn(chat, roomId)) {
              e.preventDefault();
              return;
            }
            // Enter sends, Shift+Enter breaks the line; never while an IME is composing a character.
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <div className="composer-tools">
          <AttachButton roomId={roomId} />
          <button
            ref={emojiButton}
            type="button"
            className="icon-button"
            aria-label="Insert emoji"
            aria-expanded={picking}
            onClick={() => setPicking(!picking)}
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <g fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
                <circle cx="12" cy="12" r="9" />
                <path d="M8.5 14.5c1.8 2 5.2 2 7 0" />
              </g>
              <circle cx="9" cy="10" r="1.2" fill="currentColor" />
              <circle cx="15" cy="10" r="1.2" fill="currentColor" />
            </svg>
          </button>
          <button type="submit" className="primary send-button" disabled={!text.trim() && !hasFiles}>
            Send
          </button>
        </div>
        {picking ? (
          <EmojiPicker
            onPick={(emoji) => {
              insert(emoji);
              setPicking(false);
            }}
            onClose={() => {
              setPicking(false);
              input.current?.focus();
            }}
            onDismiss={() => setPicking(false)}
            toggle={emojiButton}
          />
        ) : null}
      </div>
      {nearLimit ? (
        <p className={text.length > max ? 'counter over' : 'counter'} aria-live="polite">
          {text.length} / {max}
        </p>
      ) : null}
    </form>
  );
}
