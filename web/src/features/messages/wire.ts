import type { Chat } from '../../state/chat';
import { applyChanged } from './apply';
import { noteRev } from './store';

/**
 * The socket delivers each room's new and changed messages in rev order, so the highest rev it
 * brought is one this tab holds every change up to: what the next `sync` starts from.
 */
export function wireMessages(chat: Chat): void {
  chat.socket.on('message:new', (message) => noteRev(chat, message.roomId, message.rev));
  chat.socket.on('message:updated', (message) => {
    applyChanged(chat, message.roomId, [message]);
    noteRev(chat, message.roomId, message.rev);
  });
}
