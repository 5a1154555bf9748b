import type { Message } from '@parley/protocol';
import { notifies } from '../features/attention/state';
import type { Chat } from './chat';
import { openRoom } from './rooms';

export const canNotify = (): boolean => typeof Notification !== 'undefined';

/** Asked from a click in the menu: browsers ignore (and penalise) permission prompts at load. */
export async function enableNotifications(): Promise<NotificationPermission> {
  if (!canNotify()) return 'denied';
  return Notification.requestPermission();
}

export function notifyMessage(chat: Chat, message: Message): void {
  if (!canNotify() || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'visible') return;
  const room = chat.store.get().rooms[message.roomId];
  if (!room || !notifies(room, message, chat.me.id)) return;
  const where = room.kind === 'dm' ? message.author.username : `${message.author.username} in #${room.name}`;
  try {
    const notification = new Notification(where, { body: message.text.slice(0, 200), tag: room.id });
    notification.onclick = () => {
      window.focus();
      openRoom(room.id);
      notification.close();
    };
  } catch {
    // Some platforms only allow notifications from a service worker; the title still counts.
  }
}
