import type { Member, Room } from '@parley/protocol';
import { useRef, useState } from 'react';
import { errorText } from '../../api/errors';
import { useChat, useChatState } from '../../components/ChatContext';
import { useStore } from '../../state/store';
import { RestrictDialog } from './RestrictDialog';
import {
  banMember,
  makeModerator,
  moderationStore,
  muteMember,
  removeMember,
  setBlocked,
  unmuteMember,
} from './state';
import { usePopover } from './usePopover';

const rank = { member: 0, moderator: 1, owner: 2 } as const;

/**
 * What the reader may do to another member: moderators mute, remove and ban those below them, the
 * owner (and admins) also make moderators, and anyone blocks anyone. The server decides in the end;
 * the menu only leaves out what it would refuse anyway.
 */
export function MemberMenu({
  room,
  member,
  onError,
}: {
  room: Room;
  member: Member;
  onError: (e: string) => void;
}) {
  const chat = useChat();
  const me = useChatState((s) => s.me);
  const blocked = useStore(moderationStore(chat), (s) => s.blocked?.some((u) => u.id === member.id) ?? false);
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<'mute' | 'ban' | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  usePopover(open, setOpen, box, button);

  const myRank = me.admin ? 3 : room.role ? rank[room.role] : -1;
  const moderates = room.kind === 'room' && myRank >= rank.moderator && myRank > rank[member.role];
  const appoints = room.kind === 'room' && myRank >= rank.owner && member.role !== 'owner';

  const act = (action: () => Promise<unknown>) => {
    setOpen(false);
    action().catch((e) => onError(errorText(e)));
  };
  const items: Array<{ label: string; run: () => void; danger?: boolean }> = [];
  if (appoints) {
    items.push(
      member.role === 'moderator'
        ? { label: 'Revoke moderator', run: () => act(() => makeModerator(chat, room.id, member.id, false)) }
        : { label: 'Make moderator', run: () => act(() => makeModerator(chat, room.id, member.id, true)) },
    );
  }
  if (moderates) {
    items.push(
      member.muted
        ? { label: 'Unmute', run: () => act(() => unmuteMember(chat, room.id, member.id)) }
        : { label: 'Mute…', run: () => openDialog('mute') },
      {
        label: 'Remove from room',
        run: () => act(() => removeMember(chat, room.id, member.id)),
        danger: true,
      },
      { label: 'Ban…', run: () => openDialog('ban'), danger: true },
    );
  }
  items.push({
    label: blocked ? 'Unblock' : 'Block',
    run: () => act(() => setBlocked(chat, member, !blocked)),
  });

  function openDialog(kind: 'mute' | 'ban') {
    setOpen(false);
    setDialog(kind);
  }

  return (
    <div className="member-menu" ref={box}>
      <button
        ref={button}
        type="button"
        className="icon-button member-menu-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={`Actions for ${member.username}`}
        title={`Actions for ${member.username}`}
        onClick={() => setOpen(!open)}
      >
        ⋯
      </button>
      {open ? (
        <ul className="menu popover-menu" aria-label={`Actions for ${member.username}`}>
          {items.map((item) => (
            <li key={item.label}>
              <button type="button" className={item.danger ? 'danger-text' : undefined} onClick={item.run}>
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {dialog ? (
        <RestrictDialog
          kind={dialog}
          name={member.username}
          onClose={() => setDialog(null)}
          onSubmit={(until, reason) =>
            dialog === 'mute'
              ? muteMember(chat, room.id, member.id, until, reason)
              : banMember(chat, room.id, member.id, until, reason)
          }
        />
      ) : null}
    </div>
  );
}
