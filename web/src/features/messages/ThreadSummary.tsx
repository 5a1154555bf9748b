import type { Message } from '@parley/protocol';
import { formatFull, formatTime } from '../../lib/format';
import { hrefOf, paths } from '../../routes/paths';

/** "3 replies · last at 10:42" under a thread's root: opens the thread beside the room. */
export function ThreadSummary({ message }: { message: Message }) {
  const thread = message.thread;
  if (!thread || thread.replies === 0) return null;
  const last = thread.lastReplyAt;
  return (
    <a className="thread-summary" href={hrefOf(paths.thread(message.roomId, message.seq))}>
      {thread.replies} {thread.replies === 1 ? 'reply' : 'replies'}
      {last ? (
        <span className="muted">
          {' · last reply '}
          <time dateTime={last} title={formatFull(last)}>
            {formatTime(last)}
          </time>
        </span>
      ) : null}
    </a>
  );
}
