import type { Message } from '@parley/protocol';
import { dayKey } from '../../lib/format';
import type { OutboxEntry } from '../../state/outbox';
import type { Notice, Timeline } from '../../state/types';

export type Item =
  | { kind: 'day'; key: string; at: string }
  | { kind: 'unread'; key: string }
  | { kind: 'notice'; key: string; notice: Notice }
  | { kind: 'message'; key: string; message: Message; continued: boolean }
  | { kind: 'pending'; key: string; entry: OutboxEntry; continued: boolean };

/** Consecutive messages by one author within this span share one header, as chat apps show them. */
const groupSpanMs = 5 * 60_000;

/** Lays out the timeline: day dividers, the unread marker, notices, grouped messages, then pending sends. */
export function buildItems(timeline: Timeline, pending: OutboxEntry[], myId: string): Item[] {
  const items: Item[] = [];
  const first = timeline.messages[0]?.seq ?? Number.POSITIVE_INFINITY;
  const notices = timeline.notices.filter((n) => !timeline.hasMore || n.afterSeq >= first);
  let noticeIndex = 0;
  let lastDay = '';
  let previous: { authorId: string; at: number } | null = null;
  let markerPlaced = false;

  const flushNotices = (upTo: number) => {
    while (noticeIndex < notices.length && notices[noticeIndex]!.afterSeq < upTo) {
      const notice = notices[noticeIndex++]!;
      items.push({ kind: 'notice', key: notice.id, notice });
      previous = null;
    }
  };
  const startDay = (at: string) => {
    const key = dayKey(at);
    if (key === lastDay) return;
    lastDay = key;
    items.push({ kind: 'day', key: `day-${key}`, at });
    previous = null;
  };
  const continues = (authorId: string, at: string) => {
    const time = new Date(at).getTime();
    const result = previous !== null && previous.authorId === authorId && time - previous.at < groupSpanMs;
    previous = { authorId, at: time };
    return result;
  };

  for (const message of timeline.messages) {
    flushNotices(message.seq);
    startDay(message.createdAt);
    if (!markerPlaced && timeline.firstUnreadSeq !== null && message.seq >= timeline.firstUnreadSeq) {
      markerPlaced = true;
      if (message.author.id !== myId || message.seq > timeline.firstUnreadSeq) {
        items.push({ kind: 'unread', key: 'unread' });
        previous = null;
      }
    }
    items.push({
      kind: 'message',
      key: `m${message.seq}`,
      message,
      continued: continues(message.author.id, message.createdAt),
    });
  }
  flushNotices(Number.POSITIVE_INFINITY);
  for (const entry of pending) {
    startDay(entry.createdAt);
    items.push({
      kind: 'pending',
      key: `p${entry.clientId}`,
      entry,
      continued: continues(myId, entry.createdAt),
    });
  }
  return items;
}
