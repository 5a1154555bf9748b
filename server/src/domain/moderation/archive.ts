import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { audit } from '../admin/audit.js';
import { fail } from '../../errors.js';
import { now } from '../ids.js';
import type { RoomRow } from '../../store/schema.js';
import { moderatedRoom } from './authority.js';

/**
 * Archives a room (read-only for everyone: the message writer refuses sends, edits and reactions there)
 * or brings it back. `room` has been authorized by the caller: the owner through the room's route, an
 * admin through the admin area.
 */
export async function setArchived(ctx: Ctx, auth: Auth, room: RoomRow, archived: boolean): Promise<void> {
  if (room.kind === 'dm') fail('forbidden', 'A direct message cannot be archived.');
  if ((room.archived_at !== null) === archived) return;
  await ctx.store.db
    .updateTable('rooms')
    .set({ archived_at: archived ? now() : null })
    .where('id', '=', room.id)
    .execute();
  ctx.events.emit('room.updated', {
    roomId: room.id,
    name: room.name,
    description: room.description,
    archived,
  });
  await audit(ctx, auth, archived ? 'room.archive' : 'room.unarchive', {
    target: { type: 'room', id: room.id, name: room.name },
    room: { id: room.id, name: room.name },
  });
}

/** The owner (or an admin who can see the room) archives or unarchives it. */
export async function archiveRoom(ctx: Ctx, auth: Auth, roomId: string, archived: boolean): Promise<void> {
  const { access } = await moderatedRoom(ctx, auth, roomId, 'owner');
  await setArchived(ctx, auth, access.room, archived);
}
