import { wireAttention } from '../features/attention/state';
import { wireModeration } from '../features/moderation/state';
import { wireMessages } from '../features/messages/wire';
import type { Chat } from './chat';
import { wireMembership } from './membership';
import { receiveMessages } from './receive';
import { loadRooms } from './rooms';
import { flushOutbox } from './send';
import { syncMissed } from './sync';
import type { Connection } from './types';
import { wirePresence } from './presence';
import { wireTyping } from './typing';
import { wirePeople } from '../features/people/state';

/** Connection lifecycle and message delivery; returns what to undo on dispose. */
export function wireSocket(chat: Chat): () => void {
  const { socket } = chat;
  const setConnection = (connection: Connection, reconnectAttempt = 0) =>
    chat.store.set((s) => ({ ...s, connection, reconnectAttempt }));
  const offlineOr = (fallback: Connection): Connection => (navigator.onLine ? fallback : 'offline');

  socket.on('connect', () => {
    setConnection('connected');
    flushOutbox(chat);
    syncMissed(chat);
  });
  socket.on('disconnect', (reason) => {
    chat.inFlight.clear();
    setConnection(offlineOr('reconnecting'));
    // Nobody's "stopped typing" can reach us now; do not leave indicators hanging.
    chat.store.set((s) => ({ ...s, typing: {} }));
    // The server dropped us on purpose (a logout elsewhere, a restart): try once by hand; a revoked
    // token then comes back as connect_error "unauthorized" and ends the session.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error) => {
    if (error.message === 'unauthorized') {
      chat.end();
      return;
    }
    setConnection(offlineOr('reconnecting'), chat.store.get().reconnectAttempt);
    // A refusal from a server middleware stops Socket.IO's own retries; keep trying.
    if (!socket.active) setTimeout(() => chat.isDisposed || socket.connect(), 3000);
  });
  socket.io.on('reconnect_attempt', (attempt) => setConnection(offlineOr('reconnecting'), attempt));
  socket.on('message:new', (message) => receiveMessages(chat, message.roomId, [message]));
  wireMessages(chat);
  wireMembership(chat);
  const stopAttention = wireAttention(chat);
  const stopModeration = wireModeration(chat);
  const stopPresence = wirePresence(chat);
  const stopTyping = wireTyping(chat);
  const stopPeople = wirePeople(chat);

  // New public rooms arrive as room:created; what changed while the tab slept (counts, rooms made
  // while disconnected) is fetched again when the person comes back to it.
  const onVisible = () => document.visibilityState === 'visible' && socket.connected && void loadRooms(chat);
  document.addEventListener('visibilitychange', onVisible);
  const online = () => {
    if (socket.connected) setConnection('connected');
    else socket.connect();
  };
  const offline = () => setConnection('offline');
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  return () => {
    stopAttention();
    stopModeration();
    stopPresence();
    stopTyping();
    stopPeople();
    document.removeEventListener('visibilitychange', onVisible);
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  };
}

/** The "retry now" button: skip the backoff wait. */
export function reconnectNow(chat: Chat): void {
  chat.socket.disconnect().connect();
}
