import * as api from '../api/rooms';
import { ask } from '../api/socket';
import type { Chat } from './chat';
import { receiveMessages } from './receive';
import { loadRooms, setTimeline } from './rooms';
import { mergeMessages } from './timeline';

/**
 * After a (re)connect: ask for everything after the highest seq held per room, so the screen
 * shows exactly what was missed — the seq dedupe drops anything that also came another way.
 */
export function syncMissed(chat: Chat): void {
  const { rooms, roomsLoaded } = chat.store.get();
  if (!roomsLoaded) {
    void loadRooms(chat);
    return;
  }
  const since: Record<string, number> = {};
  for (const room of Object.values(rooms)) if (room.joined) since[room.id] = room.lastSeq;
  void ask(chat.socket, 'sync', { since }, 15_000).then((reply) => {
    if (chat.isDisposed) return;
    if (!reply?.ok) {
      void loadRooms(chat);
      return;
    }
    for (const [roomId, messages] of Object.entries(reply.messages)) {
      if (reply.hasMore?.[roomId]) void catchUp(chat, roomId);
      else receiveMessages(chat, roomId, messages);
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
  } catch {
    // Left as it was; the next reconnect tries again.
  }
}
