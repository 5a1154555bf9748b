import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useReceipts } from '../../features/attention/Receipts';
import { mentionsMe } from '../../features/attention/state';
import { moderationStore } from '../../features/moderation/state';
import { useStore } from '../../state/store';
import { UnreadBar } from '../../features/messages/UnreadBar';
import { moveMessageFocus } from '../../features/messages/useLongPress';
import { formatDay } from '../../lib/format';
import { loadLatest, loadNewer, loadOlder } from '../../state/rooms';
import { discardSend, retrySend } from '../../state/send';
import { emptyTimeline } from '../../state/types';
import { useChat, useChatState } from '../ChatContext';
import { MessageRow } from './MessageRow';
import { buildItems } from './timelineItems';

const nearBottomPx = 48;
const nearTopPx = 160;

export function MessageList({ roomId, highlightSeq }: { roomId: string; highlightSeq: number | null }) {
  const chat = useChat();
  const timeline = useChatState((s) => s.timelines[roomId]) ?? emptyTimeline;
  const outbox = useChatState((s) => s.outbox);
  const me = useChatState((s) => s.me);
  const pending = useMemo(
    () => outbox.filter((e) => e.roomId === roomId && (e.threadSeq === undefined || e.alsoToRoom)),
    [outbox, roomId],
  );
  const items = useMemo(() => buildItems(timeline, pending, me.id), [timeline, pending, me.id]);
  const receipts = useReceipts(roomId, timeline.messages);
  const blockedList = useStore(moderationStore(chat), (s) => s.blocked);
  const blocked = useMemo(() => new Set(blockedList?.map((u) => u.id)), [blockedList]);
  const scroller = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  // The newest seq the reader has had on screen at the bottom: anything after it is "new below".
  const seenUpTo = useRef(0);
  const lastSeq = timeline.messages.at(-1)?.seq ?? 0;
  if (atBottom) seenUpTo.current = lastSeq;
  const newBelow = timeline.messages.filter((m) => m.seq > seenUpTo.current).length;
  const stick = useRef(true);
  const previous = useRef({ first: 0, height: 0, count: 0, pending: 0 });
  // The linked message this list last brought into view: each link moves the reader once.
  const shownHighlight = useRef<number | null>(null);

  // Runs before paint, so keeping the reader's place never shows a jump.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = timeline.messages[0]?.seq ?? 0;
    const before = previous.current;
    const linked =
      highlightSeq !== null && shownHighlight.current !== highlightSeq
        ? el.querySelector(`li.message[data-seq="${highlightSeq}"]`)
        : null;
    if (linked) {
      shownHighlight.current = highlightSeq;
      linked.scrollIntoView({ block: 'center' });
      stick.current = false;
    } else if (before.count === 0 && timeline.messages.length > 0) {
      const marker = el.querySelector('.unread-marker');
      if (marker) marker.scrollIntoView({ block: 'center' });
      else el.scrollTop = el.scrollHeight;
    } else if (first < before.first && before.count > 0) {
      // Older history was put above: move down by exactly what was added.
      el.scrollTop += el.scrollHeight - before.height;
    } else if (stick.current || pending.length > before.pending) {
      el.scrollTop = el.scrollHeight;
    }
    previous.current = {
      first,
      height: el.scrollHeight,
      count: timeline.messages.length,
      pending: pending.length,
    };
    // Still at the top after layout (a short page, or the marker scrolled there): fetch more
    // now, since no scroll event will come to ask for it.
    if (el.scrollTop < nearTopPx && timeline.hasMore && !timeline.loading) void loadOlder(chat, roomId);
  }, [timeline, pending.length, chat, roomId, highlightSeq]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < nearBottomPx;
    stick.current = bottom;
    setAtBottom(bottom);
    previous.current.height = el.scrollHeight;
    if (el.scrollTop < nearTopPx && timeline.hasMore && !timeline.loading) void loadOlder(chat, roomId);
    if (bottom && timeline.hasNewer && !timeline.loading) void loadNewer(chat, roomId);
  };

  const jumpToLatest = async () => {
    if (timeline.hasNewer) {
      stick.current = true;
      await loadLatest(chat, roomId);
    }
    const el = scroller.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
  };

  return (
    <div className="message-area">
      <div
        className="messages"
        ref={scroller}
        onScroll={onScroll}
        onKeyDown={moveMessageFocus}
        role="log"
        aria-label="Messages"
        aria-live="polite"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrolling history must be reachable to scroll by keyboard
        tabIndex={0}
      >
        {timeline.hasMore ? (
          <button
            type="button"
            className="link-button load-older"
            disabled={timeline.loading}
            onClick={() => void loadOlder(chat, roomId)}
          >
            {timeline.loading ? 'Loading…' : 'Load older messages'}
          </button>
        ) : timeline.messages.length > 0 || !timeline.loading ? (
          <p className="room-start muted">This is the beginning of the room.</p>
        ) : null}
        <ol className="message-items">
          {items.map((item) => {
            switch (item.kind) {
              case 'day':
                return (
                  <li key={item.key} className="day-divider" aria-label={formatDay(item.at)}>
                    <span>{formatDay(item.at)}</span>
                  </li>
                );
              case 'unread':
                return (
                  <li key={item.key} className="unread-marker">
                    <span>New messages</span>
                  </li>
                );
              case 'notice':
                return (
                  <li key={item.key} className="notice">
                    {item.notice.text}
                  </li>
                );
              case 'message':
                return (
                  <MessageRow
                    key={item.key}
                    message={item.message}
                    seq={item.message.seq}
                    author={item.message.author}
                    text={item.message.text}
                    files={item.message.files}
                    createdAt={item.message.createdAt}
                    own={item.message.author.id === me.id}
                    continued={item.continued}
                    highlighted={item.message.seq === highlightSeq}
                    me={me.username}
                    group={item.message.groupMention !== undefined && item.message.author.id !== me.id}
                    mentionsMe={mentionsMe(item.message, me.id)}
                    receipt={receipts.get(item.message.seq)}
                    reportIn={item.message.author.id === me.id || item.message.deleted ? undefined : roomId}
                    blocked={blocked.has(item.message.author.id)}
                  />
                );
              case 'pending':
                return (
                  <MessageRow
                    key={item.key}
                    author={me}
                    text={item.entry.text}
                    files={item.entry.files}
                    createdAt={item.entry.createdAt}
                    own
                    continued={item.continued}
                    status={{
                      error: item.entry.error,
                      note: item.entry.note,
                      onRetry: () => retrySend(chat, item.entry.clientId),
                      onDiscard: () => discardSend(chat, item.entry.clientId),
                    }}
                  />
                );
            }
            return null;
          })}
        </ol>
        {timeline.hasNewer ? (
          <button
            type="button"
            className="link-button load-older"
            disabled={timeline.loading}
            onClick={() => void loadNewer(chat, roomId)}
          >
            {timeline.loading ? 'Loading…' : 'Load newer messages'}
          </button>
        ) : null}
      </div>
      <UnreadBar roomId={roomId} scroller={scroller} />
      {atBottom && !timeline.hasNewer ? null : (
        <button type="button" className="jump-latest" onClick={() => void jumpToLatest()}>
          {newBelow > 0 ? `${newBelow} new ${newBelow === 1 ? 'message' : 'messages'}` : 'Jump to latest'} ↓
        </button>
      )}
    </div>
  );
}
