import type { Message } from '@parley/protocol';
import { errorText } from '../../api/errors';
import type { Chat } from '../../state/chat';
import * as api from './api';
import { applyChanged } from './apply';
import { messagesStore, threadKey } from './store';

/**
 * The changes a person makes to messages. Each answer is the message at its new rev and is applied
 * like the broadcast that follows it: whichever arrives second is an older or equal rev and is dropped.
 * Each returns words to show on failure, or null.
 */
async function change(chat: Chat, roomId: string, call: () => Promise<{ message: Message }>) {
  try {
    const { message } = await call();
    applyChanged(chat, roomId, [message]);
    return null;
  } catch (error) {
    return errorText(error);
  }
}

export const editMessage = (chat: Chat, roomId: string, seq: number, text: string) =>
  change(chat, roomId, () => api.editMessage(roomId, seq, text));

export const deleteMessage = (chat: Chat, roomId: string, seq: number) =>
  change(chat, roomId, () => api.deleteMessage(roomId, seq));

export const toggleReaction = (chat: Chat, message: Message, emoji: string) => {
  const mine = message.reactions.some((r) => r.emoji === emoji && r.users.includes(chat.me.id));
  return change(chat, message.roomId, () => api.setReaction(message.roomId, message.seq, emoji, !mine));
};

export const togglePin = (chat: Chat, message: Message) =>
  change(chat, message.roomId, () => api.setPin(message.roomId, message.seq, !message.pinned));

export function startEditing(chat: Chat, roomId: string, seq: number): void {
  messagesStore(chat).set((s) => ({ ...s, editing: { roomId, seq } }));
}

export function stopEditing(chat: Chat): void {
  messagesStore(chat).set((s) => (s.editing ? { ...s, editing: null } : s));
}

/** ↑ in an empty composer: the reader's own latest message that can still be edited. */
export function editLastOwn(chat: Chat, roomId: string): boolean {
  const messages = chat.store.get().timelines[roomId]?.messages ?? [];
  const last = messages.findLast((m) => m.author.id === chat.me.id && !m.deleted);
  if (!last) return false;
  startEditing(chat, roomId, last.seq);
  return true;
}

export async function loadPins(chat: Chat, roomId: string): Promise<string | null> {
  try {
    const { messages } = await api.pins(roomId);
    messagesStore(chat).set((s) => ({ ...s, pins: { ...s.pins, [roomId]: messages } }));
    return null;
  } catch (error) {
    return errorText(error);
  }
}

/** Loads a thread for its panel; later replies arrive live (takeIntoPanels). */
export async function loadThread(chat: Chat, roomId: string, seq: number): Promise<void> {
  const key = threadKey(roomId, seq);
  const store = messagesStore(chat);
  store.set((s) => ({
    ...s,
    threads: {
      ...s.threads,
      [key]: { root: null, replies: [], ...s.threads[key], loading: true, error: undefined },
    },
  }));
  try {
    let page = await api.thread(roomId, seq);
    const replies = [...page.messages];
    while (page.hasMore && replies.length > 0) {
      page = await api.thread(roomId, seq, replies.at(-1)!.seq);
      replies.push(...page.messages);
    }
    store.set((s) => {
      const live = s.threads[key]?.replies ?? [];
      const bySeq = new Map(replies.map((m) => [m.seq, m]));
      // Replies that came live while the page loaded: keep whichever copy is newer.
      for (const m of live) if ((bySeq.get(m.seq)?.rev ?? -1) < m.rev) bySeq.set(m.seq, m);
      const root = s.threads[key]?.root;
      return {
        ...s,
        threads: {
          ...s.threads,
          [key]: {
            root: root && root.rev > page.root.rev ? root : page.root,
            replies: [...bySeq.values()].sort((a, b) => a.seq - b.seq),
            loading: false,
          },
        },
      };
    });
  } catch (error) {
    store.set((s) => ({
      ...s,
      threads: { ...s.threads, [key]: { root: null, replies: [], loading: false, error: errorText(error) } },
    }));
  }
}
