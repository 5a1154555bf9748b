import { useEffect, useMemo } from 'react';
import { useChat, useChatState } from '../../components/ChatContext';
import { MessageRow } from '../../components/room/MessageRow';
import { goTo, paths } from '../../routes/paths';
import { discardSend, retrySend } from '../../state/send';
import { loadThread } from './actions';
import { useMessages, threadKey } from './store';
import { ThreadComposer } from './ThreadComposer';

/** A thread beside the room: its root, its replies as they come, and a composer of its own. */
export function ThreadPanel({ roomId, seq }: { roomId: string; seq: number }) {
  const chat = useChat();
  const me = useChatState((s) => s.me);
  const joined = useChatState((s) => !!s.rooms[roomId]?.joined);
  const outbox = useChatState((s) => s.outbox);
  const view = useMessages(chat, (s) => s.threads[threadKey(roomId, seq)]);
  const pending = useMemo(
    () => outbox.filter((e) => e.roomId === roomId && e.threadSeq === seq),
    [outbox, roomId, seq],
  );
  const missing = view === undefined;
  useEffect(() => {
    if (missing) void loadThread(chat, roomId, seq);
  }, [chat, roomId, seq, missing]);
  const close = () => goTo(paths.room(roomId));

  return (
    <aside className="side-panel thread-panel" aria-label="Thread">
      <div className="panel-header">
        <h3>Thread</h3>
        <button type="button" className="icon-button" aria-label="Close thread" onClick={close}>
          ×
        </button>
      </div>
      {view?.error ? (
        <p className="field-error panel-note" role="alert">
          {view.error}
        </p>
      ) : null}
      {!view || (view.loading && !view.root) ? <p className="muted panel-note">Loading…</p> : null}
      <ol className="message-items thread-items" aria-label="Replies">
        {view?.root ? (
          <MessageRow
            message={view.root}
            seq={view.root.seq}
            author={view.root.author}
            text={view.root.text}
            files={view.root.files}
            createdAt={view.root.createdAt}
            own={view.root.author.id === me.id}
            continued={false}
            me={me.username}
            inThread
          />
        ) : null}
        {view?.root ? (
          <li className="thread-count muted">
            {view.replies.length} {view.replies.length === 1 ? 'reply' : 'replies'}
          </li>
        ) : null}
        {view?.replies.map((m, i) => (
          <MessageRow
            key={m.seq}
            message={m}
            seq={m.seq}
            author={m.author}
            text={m.text}
            files={m.files}
            createdAt={m.createdAt}
            own={m.author.id === me.id}
            continued={i > 0 && view.replies[i - 1]!.author.id === m.author.id}
            me={me.username}
            inThread
          />
        ))}
        {pending.map((entry) => (
          <MessageRow
            key={entry.clientId}
            author={me}
            text={entry.text}
            files={entry.files}
            createdAt={entry.createdAt}
            own
            continued={false}
            status={{
              error: entry.error,
              note: entry.note,
              onRetry: () => retrySend(chat, entry.clientId),
              onDiscard: () => discardSend(chat, entry.clientId),
            }}
          />
        ))}
      </ol>
      {joined && view?.root ? <ThreadComposer roomId={roomId} seq={seq} /> : null}
    </aside>
  );
}
