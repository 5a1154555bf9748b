import type { ErrorCode, MessageFile } from '@parley/protocol';
import { describeError } from '../api/errors';
import { ask } from '../api/socket';
import type { Chat } from './chat';
import { newClientId, type OutboxEntry } from './outbox';
import { receiveMessages } from './receive';

const ackTimeoutMs = 15_000;
const retryDelayMs = 3_000;

/** Errors that another try cannot fix: the entry stays, marked, for the person to edit or discard. */
const final = new Set<ErrorCode>([
  'validation_failed',
  'message_empty',
  'message_too_long',
  'not_a_member',
  'room_not_found',
  'forbidden',
  'not_found',
  'file_not_found',
  'file_attached',
]);

/** Returns words to show next to the composer when the text cannot be sent as it is. */
export function sendMessage(
  chat: Chat,
  roomId: string,
  text: string,
  files: MessageFile[] = [],
  thread?: { threadSeq: number; alsoToRoom: boolean },
): string | null {
  if (!text.trim() && files.length === 0) return null;
  const { maxMessageLength } = chat.store.get();
  if (text.length > maxMessageLength) {
    return `The message is too long: ${text.length} characters, the limit is ${maxMessageLength}.`;
  }
  const entry: OutboxEntry = {
    clientId: newClientId(),
    roomId,
    text,
    createdAt: new Date().toISOString(),
    ...(thread && { threadSeq: thread.threadSeq, alsoToRoom: thread.alsoToRoom || undefined }),
  };
  if (files.length > 0) entry.files = files;
  chat.store.set((s) => ({ ...s, outbox: [...s.outbox, entry] }));
  deliver(chat, entry);
  return null;
}

/**
 * Sends every waiting entry once on this connection, with what other tabs left unsent; called on
 * each (re)connect.
 */
export function flushOutbox(chat: Chat): void {
  chat.adoptStrayOutbox();
  for (const entry of chat.store.get().outbox) if (!entry.error) deliver(chat, entry);
}

function deliver(chat: Chat, entry: OutboxEntry): void {
  // Offline sends wait for the connect handler rather than Socket.IO's own buffer, so each goes
  // out exactly once per connection and the outbox stays the one source of truth.
  if (!chat.socket.connected || chat.inFlight.has(entry.clientId)) return;
  const attempt = Symbol(entry.clientId);
  chat.inFlight.set(entry.clientId, attempt);
  const { roomId, text, clientId, threadSeq, alsoToRoom } = entry;
  const files = entry.files?.map((file) => file.id);
  void ask(
    chat.socket,
    'message:send',
    { roomId, text, clientId, threadSeq, alsoToRoom, ...(files ? { files } : {}) },
    ackTimeoutMs,
  ).then((reply) => {
    // A reconnect may have started a newer attempt meanwhile; only the newest one speaks.
    if (chat.inFlight.get(clientId) !== attempt) return;
    chat.inFlight.delete(clientId);
    if (chat.isDisposed) return;
    if (reply?.ok) receiveMessages(chat, roomId, [reply.message]);
    else if (reply && final.has(reply.error.code)) {
      markFailed(chat, clientId, describeError(reply.error.code, reply.error.message).message);
    } else {
      // No answer, or a passing refusal (rate limit, restart): the same clientId is safe to
      // send again, and the server answers a repeat with the message it already stored.
      if (reply) annotate(chat, clientId, describeError(reply.error.code, reply.error.message).message);
      setTimeout(() => retry(chat, clientId), retryDelayMs);
    }
  });
}

function retry(chat: Chat, clientId: string): void {
  const entry = chat.store.get().outbox.find((e) => e.clientId === clientId);
  if (entry && !entry.error && !chat.isDisposed) deliver(chat, entry);
}

function annotate(chat: Chat, clientId: string, note: string): void {
  chat.store.set((s) => ({
    ...s,
    outbox: s.outbox.map((e) => (e.clientId === clientId ? { ...e, note } : e)),
  }));
}

function markFailed(chat: Chat, clientId: string, error: string): void {
  chat.store.set((s) => ({
    ...s,
    outbox: s.outbox.map((e) => (e.clientId === clientId ? { ...e, error } : e)),
  }));
}

export function retrySend(chat: Chat, clientId: string): void {
  chat.store.set((s) => ({
    ...s,
    outbox: s.outbox.map((e) => (e.clientId === clientId ? { ...e, error: undefined } : e)),
  }));
  const entry = chat.store.get().outbox.find((e) => e.clientId === clientId);
  if (entry) deliver(chat, entry);
}

export function discardSend(chat: Chat, clientId: string): void {
  chat.store.set((s) => ({ ...s, outbox: s.outbox.filter((e) => e.clientId !== clientId) }));
}
