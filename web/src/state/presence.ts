import { type Member, type PresenceMap, type PresenceStatus, presenceLimits } from '@parley/protocol';
import type { Chat } from './chat';
import type { ChatState } from './types';

/** How a status reads out loud and in headers. */
export const statusLabel: Record<PresenceStatus, string> = {
  online: 'Online',
  away: 'Away',
  offline: 'Offline',
};

/** A member list's status (older servers send only `online`). */
export function memberStatus(member: Member): PresenceStatus {
  return member.status ?? (member.online ? 'online' : 'offline');
}

/**
 * The people this tab shows, whose presence it watches: the other side of every DM in the sidebar and
 * the members loaded for the open room (a big room's member list is paged, so this stays small).
 */
export function shownPeople(s: ChatState): string[] {
  const ids = new Set<string>();
  for (const room of Object.values(s.rooms)) if (room.peer) ids.add(room.peer.id);
  const members = s.activeRoomId ? (s.members[s.activeRoomId] ?? []) : [];
  for (const member of members) {
    if (ids.size >= presenceLimits.watchMax) break;
    ids.add(member.id);
  }
  ids.delete(s.me.id);
  return [...ids].sort();
}

/**
 * Presence: the server tells this tab about the people it watches (`presence:watch`, sent again on
 * every reconnect and whenever the people shown change), and this tab tells the server when it is away.
 */
export function wirePresence(chat: Chat): () => void {
  const { socket, store, away } = chat;
  const apply = (presence: PresenceMap) =>
    store.set((s) => ({ ...s, presence: { ...s.presence, ...presence } }));
  socket.on('presence:changed', ({ presence }) => apply(presence));
  // What a server tells a socket that has not watched yet (or a server from before watch lists).
  socket.on('presence', ({ user, online, status }) => {
    apply({ [user.id]: status ?? (online ? 'online' : 'offline') });
  });

  let sent: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    timer = undefined;
    if (!socket.connected) return;
    const userIds = shownPeople(store.get());
    const key = userIds.join(',');
    if (key === sent) return;
    sent = key;
    socket.emit('presence:watch', { userIds }, (reply) => {
      if (reply.ok) apply(reply.presence);
      else {
        // Refused (too many changes in a row): try again shortly with whatever is shown then.
        sent = undefined;
        schedule(2_000);
      }
    });
  };
  // Switching rooms quickly sends one list, not one per room passed through.
  const schedule = (ms = 250) => {
    timer ??= setTimeout(send, ms);
  };
  let seen: unknown[] = [];
  const unsubscribe = store.subscribe(() => {
    const s = store.get();
    const inputs = [s.rooms, s.activeRoomId, s.activeRoomId ? s.members[s.activeRoomId] : undefined];
    if (inputs.every((input, i) => input === seen[i])) return;
    seen = inputs;
    schedule();
  });
  const onConnect = () => {
    sent = undefined;
    send();
  };
  socket.on('connect', onConnect);
  const stopAway = away.onChange((isAway) => {
    if (socket.connected) socket.emit('presence:away', { away: isAway });
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
    stopAway();
    socket.off('connect', onConnect);
  };
}
