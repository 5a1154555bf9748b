import type { Message } from '@parley/protocol';
import { type ReactNode, useState } from 'react';
import { createPortal } from 'react-dom';
import { useChat, useChatState } from '../../components/ChatContext';
import { absoluteUrl, goTo, paths } from '../../routes/paths';
import { startEditing, togglePin, toggleReaction } from './actions';
import { DeleteDialog } from './DeleteDialog';
import { ReactionPicker } from './ReactionPicker';

/** Who may do what to a message in a room, as the server decides it. */
export function usePermissions(message: Message) {
  const me = useChatState((s) => s.me);
  const room = useChatState((s) => s.rooms[message.roomId]);
  const active = !!room?.joined && !room.archived && !room.restriction && !message.deleted;
  const own = message.author.id === me.id;
  return {
    react: active,
    edit: active && own,
    remove:
      !message.deleted &&
      !!room?.joined &&
      (own || room.role === 'owner' || room.role === 'moderator' || !!me.admin),
    pin: active,
  };
}

/**
 * The actions on one message, shown on hover, on keyboard focus and after a long press: react,
 * reply in thread, edit, delete, pin, copy link.
 */
export function MessageToolbar({
  message,
  inThread = false,
  children,
}: {
  message: Message;
  inThread?: boolean;
  /** Actions other capabilities add (report to moderators). */
  children?: ReactNode;
}) {
  const chat = useChat();
  const can = usePermissions(message);
  const [picking, setPicking] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  if (message.deleted && !can.remove) return null;
  const threadRoot = message.threadSeq ?? message.seq;
  const say = (problem: string | null) => setNote(problem);

  async function copyLink() {
    const link = absoluteUrl(paths.message(message.roomId, message.seq));
    try {
      await navigator.clipboard.writeText(link);
      setNote('Link copied');
    } catch {
      // No clipboard (an insecure page, a denied permission): show it to copy by hand.
      setNote(link);
    }
  }

  return (
    <div className="message-toolbar" role="toolbar" aria-label="Message actions">
      {message.deleted ? null : (
        <>
          {can.react ? (
            <button
              type="button"
              aria-label="Add reaction"
              title="Add reaction"
              aria-expanded={picking}
              onClick={() => setPicking(!picking)}
            >
              ☺
            </button>
          ) : null}
          {inThread ? null : (
            <button
              type="button"
              aria-label="Reply in thread"
              title="Reply in thread"
              onClick={() => goTo(paths.thread(message.roomId, threadRoot))}
            >
              ↩
            </button>
          )}
          {can.edit ? (
            <button
              type="button"
              aria-label="Edit message"
              title="Edit"
              onClick={() => startEditing(chat, message.roomId, message.seq)}
            >
              ✎
            </button>
          ) : null}
          {can.pin ? (
            <button
              type="button"
              aria-label={message.pinned ? 'Unpin message' : 'Pin message'}
              aria-pressed={!!message.pinned}
              title={message.pinned ? 'Unpin' : 'Pin'}
              onClick={() => void togglePin(chat, message).then(say)}
            >
              📌
            </button>
          ) : null}
          <button
            type="button"
            aria-label="Copy link to message"
            title="Copy link"
            onClick={() => void copyLink()}
          >
            🔗
          </button>
        </>
      )}
      {message.deleted ? null : children}
      {can.remove ? (
        <button
          type="button"
          aria-label="Delete message"
          title="Delete"
          className="danger"
          onClick={() => setDeleting(true)}
        >
          🗑
        </button>
      ) : null}
      {note ? (
        <span className="toolbar-note" role="status">
          {note}
        </span>
      ) : null}
      {picking ? (
        <ReactionPicker
          onPick={(emoji) => {
            setPicking(false);
            const mine = message.reactions.some((r) => r.emoji === emoji && r.users.includes(chat.me.id));
            if (!mine) void toggleReaction(chat, message, emoji).then(say);
          }}
          onClose={() => setPicking(false)}
        />
      ) : null}
      {/* In the page's body: the toolbar hides when the pointer leaves, its dialog must not. */}
      {deleting
        ? createPortal(<DeleteDialog message={message} onClose={() => setDeleting(false)} />, document.body)
        : null}
    </div>
  );
}
