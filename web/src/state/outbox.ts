import { readJson, writeJson } from './local';

/**
 * A send the server has not acknowledged yet. It is keyed by the clientId the server uses to
 * make retries idempotent, and kept in localStorage so a reload or a crash does not lose it.
 */
export interface OutboxEntry {
  clientId: string;
  roomId: string;
  text: string;
  createdAt: string;
  /** Set when the server refused it: shown next to the message, which is not retried by itself. */
  error?: string;
  /** A passing refusal (rate limit, restart) in words, shown while it is retried. */
  note?: string;
}

const key = (userId: string) => `parley.outbox.${userId}`;

export const loadOutbox = (userId: string): OutboxEntry[] => readJson<OutboxEntry[]>(key(userId), []);

export const saveOutbox = (userId: string, entries: OutboxEntry[]): void =>
  writeJson(key(userId), entries.length ? entries : null);

export function newClientId(): string {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
