import { useChat } from '../../components/ChatContext';
import { useStore } from '../../state/store';
import { dismissFlash, moderationStore } from './state';

/** What moderators did to the reader where no open room shows it (a ban from a private room). */
export function ModerationFlash() {
  const chat = useChat();
  const flash = useStore(moderationStore(chat), (s) => s.flash);
  if (!flash) return null;
  return (
    <div className="moderation-flash" role="alert">
      <span>{flash}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissFlash(chat)}>
        ×
      </button>
    </div>
  );
}
