import * as api from '../api/rooms';
import { ask } from '../api/socket';
import { applyChanged, dropFromPanels, forgetPanels } from '../features/messages/apply';
import { highestRev, messagesStore, noteRev } from '../features/messages/store';
import type { Chat } from './chat';
import { receiveMessages } from './receive';
import { loadRooms, setTimeline } from './rooms';
import { mergeMessages } from './timeline';

/**
 * After a (re)connect: ask for everything after the highest seq held per room, and everything changed
 * after the highest rev held where one is known, so the screen shows exactly what was missed and what
 * changed meanwhile — the (seq, rev) dedupe drops anything that also came another way.
 */
export function syncMissed(chat: Chat): void {
  const { rooms, roomsLoaded } = chat.store.get();
  if (!roomsLoaded) {
    void loadRooms(chat);
    return;
  }
  const known = messagesStore(chat).get().revs;
  const since: Record<string, number> = {};
  const revs: Record<string, number> = {};
  for (const room of Object.values(rooms)) {
    if (!room.joined) continue;
    since[room.id] = room.lastSeq;
    if (known[room.id] !== undefined) revs[room.id] = known[room.id]!;
  }
  void ask(chat.socket, 'sync', { since, revs }, 15_000).then((reply) => {
    if (chat.isDisposed) return;
    if (!reply?.ok) {
      void loadRooms(chat);
      return;
    }
    for (const [roomId, cleared] of Object.entries(reply.cleared ?? {})) {
      clearUpTo(chat, roomId, cleared.seq);
      noteRev(chat, roomId, cleared.rev);
    }
    for (const [roomId, messages] of Object.entries(reply.messages)) {
      if (reply.hasMore?.[roomId]) {
        void catchUp(chat, roomId);
        continue;
      }
      // New ones join the timeline; changed ones replace the copies held (and add none).
      const held = since[roomId] ?? 0;
      const fresh = messages.filter((m) => m.seq > held).sort((a, b) => a.seq - b.seq);
      applyChanged(
        chat,
        roomId,
        messages.filter((m) => m.seq <= held),
      );
      receiveMessages(chat, roomId, fresh);
      noteRev(chat, roomId, highestRev(messages));
    }
    // Rooms we were added to while away, and counts for rooms not open here.
    void loadRooms(chat);
  });
}

/** Too much was missed for one sync answer: show the latest page, older pages load on scroll. */
async function catchUp(chat: Chat, roomId: string): Promise<void> {
  try {
    const page = await api.history(roomId, { limit: 50 });
    setTimeline(chat, roomId, () => ({ messages: mergeMessages([], page.messages), hasMore: page.hasMore }));
    receiveMessages(chat, roomId, page.messages);
    // Everything held now is at its state of this page (open panels load theirs again): later
    // changes come on the socket.
    forgetPanels(chat, roomId);
    noteRev(chat, roomId, highestRev(page.messages));
  } catch {
    // Left as it was; the next reconnect tries again.
  }
}

/** The history up to `seq` is gone (all of it without one): the timeline and the panels drop it. */
export function clearUpTo(chat: Chat, roomId: string, seq?: number): void {
  if (chat.store.get().timelines[roomId]) {
    setTimeline(chat, roomId, (t) => ({
      messages: seq === undefined ? [] : t.messages.filter((m) => m.seq > seq),
      hasMore: seq === undefined ? false : t.hasMore,
    }));
  }
  dropFromPanels(chat, roomId, seq);
}
