import type { MessageFile } from '@parley/protocol';
import { readJson, writeJson } from './local';

/**
 * A send the server has not acknowledged yet. It is keyed by the clientId the server uses to
 * make retries idempotent, and kept in localStorage so a reload or a crash does not lose it.
 */
export interface OutboxEntry {
  clientId: string;
  roomId: string;
  text: string;
  /** Files uploaded beforehand that go with the message (shown while it is pending, sent by id). */
  files?: MessageFile[];
  createdAt: string;
  /** A reply in the thread of this message; `alsoToRoom`: shown on the room's timeline too. */
  threadSeq?: number;
  alsoToRoom?: boolean;
  /** Set when the server refused it: shown next to the message, which is not retried by itself. */
  error?: string;
  /** A passing refusal (rate limit, restart) in words, shown while it is retried. */
  note?: string;
}

export const outboxKey = (userId: string) => `parley.outbox.${userId}`;

export const loadOutbox = (userId: string): OutboxEntry[] => readJson<OutboxEntry[]>(outboxKey(userId), []);

/**
 * Every tab of a user shares one stored outbox. A tab writes its own entries and keeps the ones it has
 * never held (another tab's, still unsent), and drops the ones it held and no longer does (sent or
 * discarded here): writing only its own list would erase another tab's unsent messages.
 */
export function saveOutbox(userId: string, entries: OutboxEntry[], held: ReadonlySet<string>): void {
  const others = loadOutbox(userId).filter((entry) => !held.has(entry.clientId));
  const merged = [...others, ...entries];
  writeJson(outboxKey(userId), merged.length ? merged : null);
}

/** Signing out ends the session in every tab: their unsent messages go with it. */
export const clearOutbox = (userId: string): void => writeJson(outboxKey(userId), null);

/** Stored entries this tab has never held: another tab's, which this one can send as well. */
export const strayEntries = (userId: string, held: ReadonlySet<string>): OutboxEntry[] =>
  loadOutbox(userId).filter((entry) => !held.has(entry.clientId));

export function newClientId(): string {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
