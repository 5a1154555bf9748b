import type { Message } from '@parley/protocol';
import type { Chat } from '../../state/chat';
import { Store, useStore } from '../../state/store';

/** A thread as its side panel shows it: the root and its replies, in seq order. */
export interface ThreadView {
  root: Message | null;
  replies: Message[];
  loading: boolean;
  error?: string;
}

export interface MessagesState {
  /**
   * The highest rev per room this tab holds every change up to (from the socket's ordered stream, a
   * sync answer, or a page loaded while connected): what `sync` sends as `revs`.
   */
  revs: Record<string, number>;
  /** Threads opened in this session, by `roomId:seq`. */
  threads: Record<string, ThreadView>;
  /** Each room's pinned messages, most recently pinned first, once its pinned panel was opened. */
  pins: Record<string, Message[]>;
  /** The message being edited in place, if any. */
  editing: { roomId: string; seq: number } | null;
}

// One state per signed-in session, like the attention and search states.
const stores = new WeakMap<Chat, Store<MessagesState>>();

export function messagesStore(chat: Chat): Store<MessagesState> {
  let store = stores.get(chat);
  if (!store) {
    store = new Store<MessagesState>({ revs: {}, threads: {}, pins: {}, editing: null });
    stores.set(chat, store);
  }
  return store;
}

export const useMessages = <S>(chat: Chat, select: (state: MessagesState) => S): S =>
  useStore(messagesStore(chat), select);

export const threadKey = (roomId: string, seq: number): string => `${roomId}:${seq}`;

export const highestRev = (messages: Message[]): number =>
  messages.reduce((max, m) => Math.max(max, m.rev), 0);

/** Records that this tab holds the room's changes up to `rev` (never moves back). */
export function noteRev(chat: Chat, roomId: string, rev: number): void {
  messagesStore(chat).set((s) =>
    (s.revs[roomId] ?? 0) >= rev ? s : { ...s, revs: { ...s.revs, [roomId]: rev } },
  );
}
