import type { Message } from '@parley/protocol';

/**
 * Merges messages into a room's ascending list, one per (roomId, seq): the wire is at-least-once (ack,
 * broadcast and sync can all carry the same message), the screen must be exactly-once. A copy at a
 * higher rev (an edit, a reaction, a delete) replaces the one held; an older or equal one is dropped.
 */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return existing;
  const last = existing.at(-1)?.seq ?? 0;
  const fresh = incoming.filter((m) => m.seq > last);
  // The common case: new messages strictly after what we hold, already in order.
  if (fresh.length === incoming.length && isAscending(fresh)) return existing.concat(fresh);
  const bySeq = new Map<number, Message>();
  for (const message of existing) bySeq.set(message.seq, message);
  let changed = false;
  for (const message of incoming) {
    const held = bySeq.get(message.seq);
    if (!held || held.rev < message.rev) {
      bySeq.set(message.seq, message);
      changed = true;
    }
  }
  if (!changed) return existing;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function isAscending(messages: Message[]): boolean {
  for (let i = 1; i < messages.length; i++) if (messages[i]!.seq <= messages[i - 1]!.seq) return false;
  return true;
}

export const highestSeq = (messages: Message[]): number => messages.at(-1)?.seq ?? 0;
