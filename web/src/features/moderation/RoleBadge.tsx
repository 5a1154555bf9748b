import type { Member } from '@parley/protocol';
import { untilWords } from './words';

/** The member's role in the room, and a mute while it lasts. */
export function RoleBadge({ member }: { member: Member }) {
  return (
    <>
      {member.role === 'member' ? null : (
        <span className={`tag role-${member.role}`} title={`Room ${member.role}`}>
          {member.role === 'owner' ? 'owner' : 'mod'}
        </span>
      )}
      {member.muted ? (
        <span className="tag muted-tag" title={`Muted ${untilWords(member.muted.until)}`}>
          muted
        </span>
      ) : null}
    </>
  );
}
