import type { Insertable } from 'kysely';
import type { RoomsTable } from '../../store/schema.js';
import { newId, now } from '../ids.js';

/** A rooms row with its defaults: rooms are found by lower-cased name, DMs by their pair key. */
export function newRoomRow(fields: {
  name: string;
  description?: string;
  visibility: 'public' | 'private';
  ownerId?: string | null;
  dmKey?: string;
}): Insertable<RoomsTable> & { id: string } {
  const dm = fields.dmKey !== undefined;
  return {
    id: newId(),
    name: fields.name,
    name_key: dm ? null : fields.name.toLowerCase(),
    description: fields.description ?? '',
    visibility: fields.visibility,
    kind: dm ? 'dm' : 'room',
    owner_id: fields.ownerId ?? null,
    dm_key: fields.dmKey ?? null,
    created_at: now(),
  };
}
