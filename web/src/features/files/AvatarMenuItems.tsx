import { useRef, useState } from 'react';
import { errorText } from '../../api/errors';
import { useChat, useChatState } from '../../components/ChatContext';
import { changeAvatar } from './avatar';

/**
 * "Change avatar" (and "Remove avatar") in the account menu: the smallest way to set one until the
 * profile screen exists. Its outcome is told in the menu, which stays open.
 */
export function AvatarMenuItems() {
  const chat = useChat();
  const hasAvatar = useChatState((s) => s.me.avatar !== undefined);
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{ busy?: boolean; error?: string }>({});
  const run = (file: File | null) => {
    setState({ busy: true });
    changeAvatar(chat, file).then(
      () => setState({}),
      (error: unknown) => setState({ error: errorText(error) }),
    );
  };
  return (
    <>
      <li>
        <input
          ref={input}
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp,image/avif"
          hidden
          aria-label="Avatar image"
          data-testid="avatar-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) run(file);
          }}
        />
        <button type="button" disabled={state.busy} onClick={() => input.current?.click()}>
          🖼️ {state.busy ? 'Saving avatar…' : 'Change avatar…'}
        </button>
      </li>
      {hasAvatar ? (
        <li>
          <button type="button" disabled={state.busy} onClick={() => run(null)}>
            ✕ Remove avatar
          </button>
        </li>
      ) : null}
      {state.error ? (
        <li className="field-error" role="alert">
          {state.error}
        </li>
      ) : null}
    </>
  );
}
