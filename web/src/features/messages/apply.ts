import type { Message } from '@parley/protocol';
import type { Chat } from '../../state/chat';
import { messagesStore, type ThreadView, threadKey } from './store';

/**
 * Replaces held copies by `seq` where the incoming copy is at a higher rev; never adds one. A changed
 * message the list does not hold (older history, a reply elsewhere) is left for when it is loaded,
 * so applying changes never opens a hole in a timeline.
 */
export function replaceHeld(existing: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0 || existing.length === 0) return existing;
  const latest = new Map<number, Message>();
  for (const m of incoming) if ((latest.get(m.seq)?.rev ?? -1) < m.rev) latest.set(m.seq, m);
  let changed = false;
  const next = existing.map((held) => {
    const update = latest.get(held.seq);
    if (!update || update.rev <= held.rev) return held;
    changed = true;
    return update;
  });
  return changed ? next : existing;
}

/** Adds or replaces (by rev) messages in an ascending list. */
function upsert(existing: Message[], incoming: Message[]): Message[] {
  const bySeq = new Map(existing.map((m) => [m.seq, m]));
  let changed = false;
  for (const m of incoming) {
    const held = bySeq.get(m.seq);
    if (held && held.rev >= m.rev) continue;
    bySeq.set(m.seq, m);
    changed = true;
  }
  return changed ? [...bySeq.values()].sort((a, b) => a.seq - b.seq) : existing;
}

/** A changed message (`message:updated`, a changed one in a sync answer, an ack): every held copy follows. */
export function applyChanged(chat: Chat, roomId: string, changed: Message[]): void {
  if (changed.length === 0) return;
  chat.store.set((s) => {
    const t = s.timelines[roomId];
    if (!t) return s;
    const messages = replaceHeld(t.messages, changed);
    return messages === t.messages
      ? s
      : { ...s, timelines: { ...s.timelines, [roomId]: { ...t, messages } } };
  });
  takeIntoPanels(chat, roomId, changed);
}

/** New or changed messages reach the open thread panels and the pinned lists. */
export function takeIntoPanels(chat: Chat, roomId: string, incoming: Message[]): void {
  messagesStore(chat).set((s) => {
    let threads = s.threads;
    for (const m of incoming) {
      const asReply = m.threadSeq === undefined ? undefined : threads[threadKey(roomId, m.threadSeq)];
      if (asReply && m.threadSeq !== undefined) {
        const replies = upsert(asReply.replies, [m]);
        if (replies !== asReply.replies) {
          threads = { ...threads, [threadKey(roomId, m.threadSeq)]: { ...asReply, replies } };
        }
      }
      const asRoot = threads[threadKey(roomId, m.seq)];
      if (asRoot?.root && asRoot.root.rev < m.rev) {
        threads = { ...threads, [threadKey(roomId, m.seq)]: { ...asRoot, root: m } satisfies ThreadView };
      }
    }
    const held = s.pins[roomId];
    let pins = s.pins;
    if (held) {
      let list = held;
      for (const m of incoming) {
        const current = list.find((p) => p.seq === m.seq);
        if (current && current.rev >= m.rev) continue;
        const others = list.filter((p) => p.seq !== m.seq);
        list = m.pinned && !m.deleted ? [m, ...others] : others;
      }
      list = [...list].sort((a, b) => (b.pinned?.at ?? '').localeCompare(a.pinned?.at ?? ''));
      pins = { ...pins, [roomId]: list };
    }
    return threads === s.threads && pins === s.pins ? s : { ...s, threads, pins };
  });
}

/** The history up to `seq` went (retention) or all of it (an owner cleared it): panels drop it too. */
export function dropFromPanels(chat: Chat, roomId: string, upToSeq?: number): void {
  const gone = (m: Message) => upToSeq === undefined || m.seq <= upToSeq;
  messagesStore(chat).set((s) => {
    const threads = Object.fromEntries(
      Object.entries(s.threads).map(([key, view]) =>
        key.startsWith(`${roomId}:`)
          ? [
              key,
              {
                ...view,
                root: view.root && gone(view.root) ? null : view.root,
                replies: view.replies.filter((m) => !gone(m)),
              },
            ]
          : [key, view],
      ),
    );
    const pins = s.pins[roomId] ? { ...s.pins, [roomId]: s.pins[roomId]!.filter((m) => !gone(m)) } : s.pins;
    return { ...s, threads, pins };
  });
}

/** A room's panels were overtaken (too much changed while away): they load again when shown. */
export function forgetPanels(chat: Chat, roomId: string): void {
  messagesStore(chat).set((s) => {
    const threads = Object.fromEntries(
      Object.entries(s.threads).filter(([key]) => !key.startsWith(`${roomId}:`)),
    );
    const { [roomId]: _gone, ...pins } = s.pins;
    return { ...s, threads, pins };
  });
}
