import { type RefObject, useEffect, useState } from 'react';
import { useChat, useChatState } from '../../components/ChatContext';
import { markRead, setTimeline, showMessage } from '../../state/rooms';

/**
 * Over the timeline while the first unread message of this visit is out of sight: jump back to it,
 * or mark everything read (which also takes the "New messages" marker away).
 */
export function UnreadBar({
  roomId,
  scroller,
}: {
  roomId: string;
  scroller: RefObject<HTMLDivElement | null>;
}) {
  const chat = useChat();
  const firstUnread = useChatState((s) => s.timelines[roomId]?.firstUnreadSeq ?? null);
  const messages = useChatState((s) => s.timelines[roomId]?.messages);
  const [markerSeen, setMarkerSeen] = useState(true);

  useEffect(() => {
    const root = scroller.current;
    const marker = root?.querySelector('.unread-marker');
    if (!root || firstUnread === null) return;
    if (!marker) {
      // No marker: either the first unread is in older history not loaded, or it is not shown at all.
      const first = messages?.[0]?.seq;
      setMarkerSeen(!(first !== undefined && first > firstUnread));
      return;
    }
    const observer = new IntersectionObserver(([entry]) => setMarkerSeen(!!entry?.isIntersecting), { root });
    observer.observe(marker);
    return () => observer.disconnect();
  }, [scroller, firstUnread, messages]);

  if (firstUnread === null || markerSeen) return null;
  return (
    <div className="unread-bar" role="status">
      <button
        type="button"
        className="link-button"
        onClick={async () => {
          const held = chat.store.get().timelines[roomId]?.messages.some((m) => m.seq === firstUnread);
          if (!held) await showMessage(chat, roomId, firstUnread);
          requestAnimationFrame(() =>
            scroller.current?.querySelector('.unread-marker')?.scrollIntoView({ block: 'center' }),
          );
        }}
      >
        ↑ Jump to first unread
      </button>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          markRead(chat, roomId);
          setTimeline(chat, roomId, () => ({ firstUnreadSeq: null }));
        }}
      >
        Mark all read
      </button>
    </div>
  );
}
