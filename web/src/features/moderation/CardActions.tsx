import type { Profile } from '@parley/protocol';
import { useState } from 'react';
import { errorText } from '../../api/errors';
import { useChat, useChatState } from '../../components/ChatContext';
import { personCardActions } from '../people/PersonCard';
import { useBlocked } from './Blocked';
import { MemberMenu } from './MemberMenu';
import { setBlocked } from './state';

/**
 * On a person's card: opened from a room where they are a member, the same menu as beside their name
 * in the member list (what the reader may do there, blocking included); anywhere else, block or unblock.
 */
function ModerationOnCard({ profile, roomId }: { profile: Profile; roomId?: string }) {
  const chat = useChat();
  const room = useChatState((s) => (roomId ? s.rooms[roomId] : undefined));
  const member = useChatState((s) =>
    roomId ? s.members[roomId]?.find((m) => m.id === profile.id) : undefined,
  );
  const blocked = useBlocked(profile.id);
  const [error, setError] = useState<string | null>(null);
  if (profile.id === chat.me.id || profile.deleted) return null;
  return (
    <>
      {room && member ? (
        <MemberMenu room={room} member={member} onError={setError} />
      ) : (
        <button
          type="button"
          className="secondary"
          onClick={() => setBlocked(chat, profile, !blocked).catch((e) => setError(errorText(e)))}
        >
          {blocked ? 'Unblock' : 'Block'}
        </button>
      )}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}

if (!personCardActions.some((action) => action.id === 'moderation')) {
  personCardActions.push({ id: 'moderation', Component: ModerationOnCard });
}
