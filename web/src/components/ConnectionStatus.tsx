import { reconnectNow } from '../state/events';
import { useChat, useChatState } from './ChatContext';

const words = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
} as const;

/** Always on screen: people should know whether what they type can go out now. */
export function ConnectionStatus() {
  const chat = useChat();
  const connection = useChatState((s) => s.connection);
  const attempt = useChatState((s) => s.reconnectAttempt);
  const pending = useChatState((s) => s.outbox.filter((e) => !e.error).length);
  const label =
    connection === 'reconnecting' && attempt > 0 ? `Reconnecting… (attempt ${attempt})` : words[connection];
  return (
    <div className={`connection ${connection}`} role="status" aria-live="polite" data-connection={connection}>
      <span className="dot" aria-hidden="true" />
      <span className="connection-label">{label}</span>
      {pending > 0 && connection !== 'connected' ? (
        <span className="connection-pending">{pending} waiting to send</span>
      ) : null}
      {connection === 'reconnecting' || connection === 'offline' ? (
        <button type="button" className="link-button" onClick={() => reconnectNow(chat)}>
          Retry now
        </button>
      ) : null}
    </div>
  );
}
