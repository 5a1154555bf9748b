import { inMainTimeline, type Message } from '@parley/protocol';
import { mentionsMe } from '../features/attention/state';
import { takeIntoPanels } from '../features/messages/apply';
import type { Chat } from './chat';
import { notifyMessage } from './notify';
import { fillGap, loadRooms, markRead } from './rooms';
import { highestSeq, mergeMessages } from './timeline';
import type { Timeline } from './types';

export const isViewing = (chat: Chat, roomId: string): boolean =>
  chat.store.get().activeRoomId === roomId && document.visibilityState === 'visible';

/** Takes in messages from any path (broadcast, ack, sync), each shown once whatever the repeats. */
export function receiveMessages(chat: Chat, roomId: string, incoming: Message[]): void {
  if (incoming.length === 0) return;
  const before = chat.store.get();
  const room = before.rooms[roomId];
  if (!room) {
    // A room we did not know: a new DM, or someone added us. The list brings it with its counts.
    void loadRooms(chat);
    return;
  }
  const fresh = incoming.filter((m) => m.seq > room.lastSeq);
  const timeline = before.timelines[roomId];
  const held = timeline ? highestSeq(timeline.messages) : 0;
  const viewing = isViewing(chat, roomId);
  const fromOthers = fresh.filter((m) => m.author.id !== before.me.id);
  const confirmed = new Set(incoming.map((m) => m.clientId).filter(Boolean));
  const authors = new Set(incoming.map((m) => m.author.id));

  chat.store.set((s) => {
    const current = s.rooms[roomId]!;
    const lastSeq = Math.max(current.lastSeq, ...incoming.map((m) => m.seq));
    const unreadCount = viewing ? current.unreadCount : current.unreadCount + fromOthers.length;
    const mentioned = viewing ? 0 : fromOthers.filter((m) => mentionsMe(m, s.me.id)).length;
    const unreadMentions = (current.unreadMentions ?? 0) + mentioned;
    const t = s.timelines[roomId];
    return {
      ...s,
      rooms: { ...s.rooms, [roomId]: { ...current, lastSeq, unreadCount, unreadMentions } },
      timelines:
        t && !t.error ? { ...s.timelines, [roomId]: withMessages(t, incoming, viewing) } : s.timelines,
      outbox: s.outbox.some((e) => confirmed.has(e.clientId))
        ? s.outbox.filter((e) => !confirmed.has(e.clientId))
        : s.outbox,
      typing: { ...s.typing, [roomId]: (s.typing[roomId] ?? []).filter((e) => !authors.has(e.user.id)) },
    };
  });

  const first = incoming.reduce((min, m) => Math.min(min, m.seq), Number.POSITIVE_INFINITY);
  if (timeline && !timeline.hasNewer && held > 0 && first > held + 1) void fillGap(chat, roomId, held);
  takeIntoPanels(chat, roomId, incoming);
  if (viewing) markRead(chat, roomId);
  for (const message of fromOthers) notifyMessage(chat, message);
}

function withMessages(t: Timeline, incoming: Message[], viewing: boolean) {
  // Holding an older page (a search result, a link): live messages come when the reader reaches them.
  if (t.hasNewer) return t;
  // Thread replies live in their thread's panel, unless also sent to the room.
  const main = incoming.filter(inMainTimeline);
  const messages = mergeMessages(t.messages, main);
  if (messages === t.messages) return t;
  // A message that lands while the tab is hidden starts a "new messages" marker for the return.
  const firstNew = main[0]?.seq ?? null;
  const firstUnreadSeq = t.firstUnreadSeq ?? (viewing ? null : firstNew);
  return { ...t, messages, firstUnreadSeq };
}
