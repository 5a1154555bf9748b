import type { User, UserSummary } from '@parley/protocol';
import type { Chat } from '../../state/chat';
import { saveSession } from '../../state/session';
import { Store } from '../../state/store';

/** A summary with another's name, display name and avatar (fields the update leaves out are gone). */
function restyled<T extends UserSummary>(target: T, user: UserSummary): T {
  if (target.id !== user.id) return target;
  const { avatar: _a, displayName: _d, ...rest } = target;
  return { ...rest, ...user } as T;
}

/**
 * Someone's name, display name or avatar changed (`user:updated`): every place this tab shows them
 * follows — their messages, member lists, a DM's header, and "me" when it is this person.
 */
export function applyUserUpdate(chat: Chat, user: UserSummary): void {
  chat.store.set((s) => {
    const timelines = Object.fromEntries(
      Object.entries(s.timelines).map(([roomId, timeline]) => [
        roomId,
        timeline.messages.some((m) => m.author.id === user.id)
          ? {
              ...timeline,
              messages: timeline.messages.map((m) =>
                m.author.id === user.id ? { ...m, author: restyled(m.author, user) } : m,
              ),
            }
          : timeline,
      ]),
    );
    const members = Object.fromEntries(
      Object.entries(s.members).map(([roomId, list]) => [
        roomId,
        list.some((m) => m.id === user.id) ? list.map((m) => restyled(m, user)) : list,
      ]),
    );
    const rooms = Object.fromEntries(
      Object.entries(s.rooms).map(([roomId, room]) => [
        roomId,
        room.peer?.id === user.id ? { ...room, peer: restyled(room.peer, user) } : room,
      ]),
    );
    return { ...s, timelines, members, rooms, me: s.me.id === user.id ? restyled(s.me, user) : s.me };
  });
  if (user.id === chat.me.id) saveSession({ ...chat.session, user: chat.me });
}

/** The signed-in person's own account changed here (profile, avatar): state and stored session follow. */
export function applyMe(chat: Chat, user: User): void {
  chat.store.set((s) => ({ ...s, me: user }));
  saveSession({ ...chat.session, user });
  applyUserUpdate(chat, user);
}

export function wirePeople(chat: Chat): () => void {
  const onUpdated = (user: UserSummary) => applyUserUpdate(chat, user);
  chat.socket.on('user:updated', onUpdated);
  return () => chat.socket.off('user:updated', onUpdated);
}

/** Whose card is open (one at a time), and in which room it was opened, for room-specific actions. */
export const personCard = new Store<{ userId: string; roomId?: string } | null>(null);

export const openPersonCard = (userId: string, roomId?: string): void =>
  personCard.set(() => ({ userId, roomId }));
export const closePersonCard = (): void => personCard.set(() => null);

/** "Ana María (ana)", or the username alone. */
export const nameOf = (user: Pick<UserSummary, 'username' | 'displayName'>): string =>
  user.displayName ? `${user.displayName} (${user.username})` : user.username;
