import type { AnnouncedChange, IO } from '../types.js';
import { eventFrame, sendFrame } from '../wire.js';

/**
 * The `presence` event of clients that never sent `presence:watch`: one event per change, to the
 * sockets on this node that share a room with the person, in rooms of at most `roomLimit` sockets on
 * this node (past that, N people reconnecting would cost N × N frames; such clients read presence from
 * the member list). Told only when the person comes online or goes offline, as before away existed.
 */
export function tellLegacySockets(io: IO, change: AnnouncedChange, roomLimit: number): void {
  const nsp = io.of('/');
  const rooms = nsp.adapter.rooms;
  const payload = {
    user: { id: change.userId, username: change.username },
    online: change.status !== 'offline',
    status: change.status,
  };
  let frame: Buffer | undefined;
  const told = new Set<string>();
  for (const channel of change.channels) {
    const ids = rooms.get(channel);
    if (!ids || ids.size > roomLimit) continue;
    for (const id of ids) {
      if (told.has(id)) continue;
      told.add(id);
      const socket = nsp.sockets.get(id);
      if (!socket || socket.data.watching) continue;
      frame ??= eventFrame('presence', payload);
      sendFrame(socket, frame, 'presence', payload);
    }
  }
}
