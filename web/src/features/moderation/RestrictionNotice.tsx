import type { Room } from '@parley/protocol';
import { archivedWords, restrictionWords } from './words';

/** Whether the reader cannot write in the room: archived, or banned, muted or blocked there. */
export const isRestricted = (room: Room) => room.archived === true || room.restriction !== undefined;

/** In the composer's place: why the reader cannot write here, in words, with until when. */
export function RestrictionNotice({ room }: { room: Room }) {
  const words = room.restriction ? restrictionWords(room.restriction) : archivedWords;
  return (
    <div
      className="composer restriction-notice"
      role="status"
      data-kind={room.restriction?.kind ?? 'archived'}
    >
      <p>{words}</p>
    </div>
  );
}
