import type { Message } from '@parley/protocol';
import { useEffect, useId, useRef, useState } from 'react';
import { useChat, useChatState } from '../../components/ChatContext';
import { editMessage, stopEditing } from './actions';

/** Edits a message in place: Enter saves, Shift+Enter breaks the line, Escape cancels. */
export function EditBox({ message }: { message: Message }) {
  const chat = useChat();
  const id = useId();
  const max = useChatState((s) => s.maxMessageLength);
  const [text, setText] = useState(message.text);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  const close = () => {
    stopEditing(chat);
    // Back to the composer, where ↑ started it most of the time.
    requestAnimationFrame(() =>
      document.querySelector<HTMLTextAreaElement>('.room-main .composer textarea')?.focus(),
    );
  };

  async function save() {
    if (!text.trim()) return setError('A message cannot be empty; delete it instead.');
    if (text.length > max) return setError(`Too long: ${text.length} characters, the limit is ${max}.`);
    if (text === message.text) return close();
    setSaving(true);
    const problem = await editMessage(chat, message.roomId, message.seq, text);
    setSaving(false);
    if (problem) setError(problem);
    else close();
  }

  return (
    <form
      className="edit-box"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        Edit message
      </label>
      <textarea
        id={id}
        ref={input}
        value={text}
        rows={Math.min(8, text.split('\n').length)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            close();
          } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void save();
          }
        }}
      />
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : (
        <p className="muted edit-hint" id={`${id}-hint`}>
          Enter to save · Escape to cancel
        </p>
      )}
      <div className="edit-actions">
        <button type="button" className="secondary small" onClick={close}>
          Cancel
        </button>
        <button type="submit" className="primary small" disabled={saving}>
          Save
        </button>
      </div>
    </form>
  );
}
