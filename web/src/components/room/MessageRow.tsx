import type { Message, MessageFile, UserSummary } from '@parley/protocol';
import { memo, type ReactNode } from 'react';
import { MessageFiles } from '../../features/files/MessageFiles';
import { openPersonCard } from '../../features/people/state';
import { MessageContent } from '../../features/messages/MessageContent';
import { MessageToolbar } from '../../features/messages/MessageToolbar';
import { Reactions } from '../../features/messages/Reactions';
import { ThreadSummary } from '../../features/messages/ThreadSummary';
import { useLongPress } from '../../features/messages/useLongPress';
import { formatFull, formatTime } from '../../lib/format';
import { Collapsed } from '../../features/moderation/Blocked';
import { ReportAction } from '../../features/moderation/ReportAction';
import { Avatar } from '../Avatar';

interface Props {
  /** A stored message (absent while sending): its actions, reactions, thread and changes are shown. */
  message?: Message;
  /** Shown in a thread's panel (no "reply in thread", no thread summary). */
  inThread?: boolean;
  author: UserSummary;
  text: string;
  files?: MessageFile[];
  createdAt: string;
  own: boolean;
  continued: boolean;
  seq?: number;
  /** The message a link points at. */
  highlighted?: boolean;
  /** The reader's username, for marking mentions of them; `group`: @room/@here counted. */
  me?: string;
  group?: boolean;
  /** The message mentions the reader: the whole row stands out. */
  mentionsMe?: boolean;
  /** Receipts under the message: ticks, "seen by" faces. */
  receipt?: ReactNode;
  status?: { error?: string; note?: string; onRetry: () => void; onDiscard: () => void };
  /** "Report to moderators" is offered on it (a confirmed message of someone else, in this room). */
  reportIn?: string;
  /** The reader blocked the author: the message shows collapsed. */
  blocked?: boolean;
}

export const MessageRow = memo(function MessageRow({
  message,
  inThread = false,
  author,
  text,
  files,
  createdAt,
  own,
  continued,
  seq,
  highlighted,
  me,
  group,
  mentionsMe,
  receipt,
  status,
  reportIn,
  blocked,
}: Props) {
  const press = useLongPress();
  const classes = [
    'message',
    press.open && 'actions-open',
    message?.deleted && 'deleted',
    message?.pinned && 'pinned',
    own && 'own',
    continued && 'continued',
    status && 'pending',
    status?.error && 'failed',
    highlighted && 'highlighted',
    mentionsMe && 'mentions-me',
  ];
  const content = (
    <>
      {text || !files?.length || message?.deleted ? (
        <MessageContent message={message} text={text} me={me} group={group} />
      ) : null}
      {files?.length && !message?.deleted ? <MessageFiles files={files} /> : null}
      {message?.pinned ? <span className="pinned-mark muted">📌 Pinned</span> : null}
      {message ? <Reactions message={message} canReact={!message.deleted} /> : null}
      {message && !inThread ? <ThreadSummary message={message} /> : null}
    </>
  );
  return (
    <li
      ref={press.ref}
      className={classes.filter(Boolean).join(' ')}
      data-seq={seq}
      // Reached by ↑/↓ from the message log (moveMessageFocus), not by a tab stop each.
      tabIndex={message ? -1 : undefined}
      {...(message ? press.handlers : {})}
    >
      <div className="message-gutter">
        {continued ? (
          <time className="hover-time" dateTime={createdAt} title={formatFull(createdAt)}>
            {formatTime(createdAt)}
          </time>
        ) : (
          <button
            type="button"
            className="person-button"
            tabIndex={-1}
            aria-hidden="true"
            onClick={() => openPersonCard(author.id)}
          >
            <Avatar id={author.id} name={author.username} src={author.avatar} />
          </button>
        )}
      </div>
      <div className="message-body">
        {continued ? null : (
          <div className="message-meta">
            <button type="button" className="person-button" onClick={() => openPersonCard(author.id)}>
              <span className="author">{author.displayName ?? author.username}</span>
              {author.displayName ? <span className="author-username">@{author.username}</span> : null}
            </button>
            {own ? <span className="tag">you</span> : null}
            <time dateTime={createdAt} title={formatFull(createdAt)}>
              {formatTime(createdAt)}
            </time>
          </div>
        )}
        {blocked ? <Collapsed author={author.username}>{content}</Collapsed> : content}
        {receipt ? <div className="receipt">{receipt}</div> : null}
        {status ? (
          status.error ? (
            <div className="message-status error" role="alert">
              Not sent: {status.error}{' '}
              <button type="button" className="link-button" onClick={status.onRetry}>
                Retry
              </button>{' '}
              <button type="button" className="link-button" onClick={status.onDiscard}>
                Discard
              </button>
            </div>
          ) : (
            <div className="message-status">
              {status.note ? `Sending… ${status.note} Trying again shortly.` : 'Sending…'}
            </div>
          )
        ) : null}
      </div>
      {message ? (
        <MessageToolbar message={message} inThread={inThread}>
          {reportIn && seq !== undefined ? (
            <ReportAction roomId={reportIn} seq={seq} author={author.username} />
          ) : null}
        </MessageToolbar>
      ) : null}
    </li>
  );
});
