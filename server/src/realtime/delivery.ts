import type { Ctx } from '../domain/context.js';
import type { RoomChange } from '../domain/events.js';
import { changesInRange } from '../domain/messages/sync.js';
import { RoomSequencer } from './sequencer.js';
import { channel, type IO } from './types.js';
import { emitToLocalRoom } from './wire.js';

/** How long a change that came early waits for the one before it before that one is read instead. */
const holdMs = 250;
/** How often a node of a cluster compares the rooms it delivers with the database. */
const catchUpMs = 2_000;

/**
 * Message changes reach every node's sockets in rev order. Each node hears its own writer's commits
 * directly and the other nodes' through the adapter (`room:changed`), puts both through one sequencer
 * and emits to its own sockets only: `message:new`, `message:updated`, `room:cleared`.
 */
export function deliverRoomChanges(ctx: Ctx, io: IO): { sequencer: RoomSequencer; stop(): void } {
  const emit = (room: string, event: 'message:new' | 'message:updated', payload: unknown) => {
    if (!emitToLocalRoom(io, room, event, payload)) io.local.to(room).emit(event, payload as never);
  };
  const sequencer = new RoomSequencer({
    holdMs,
    deliver(change) {
      const room = channel.room(change.roomId);
      for (const event of change.events) {
        if (event.type === 'cleared') {
          io.local.to(room).emit('room:cleared', { roomId: change.roomId, seq: event.seq, rev: event.rev });
        } else {
          emit(room, event.type === 'new' ? 'message:new' : 'message:updated', event.message);
        }
      }
    },
    async fetch(roomId, afterRev, uptoRev, seenSeq): Promise<RoomChange> {
      const { messages, cleared } = await changesInRange(ctx, roomId, afterRev, uptoRev);
      const events: RoomChange['events'] = messages.map((message) => ({
        type: message.seq > seenSeq ? 'new' : 'updated',
        message,
      }));
      if (cleared) {
        const at = events.findIndex((event) => event.type !== 'cleared' && event.message.rev > cleared.rev);
        events.splice(at === -1 ? events.length : at, 0, { type: 'cleared', ...cleared });
      }
      return { roomId, fromRev: afterRev, toRev: uptoRev, events };
    },
    onError: (error) => ctx.log.warn({ err: error }, 'delivering a room change failed'),
  });

  const committedHere = (change: RoomChange) => {
    if (ctx.bus.adapter) io.serverSideEmit('room:changed', change);
    sequencer.accept(change);
  };
  const committedElsewhere = (change: RoomChange) => sequencer.accept(change);
  ctx.events.on('room.changed', committedHere);
  io.on('room:changed', committedElsewhere);
  const stopCatchingUp = ctx.bus.adapter ? catchUp(ctx, sequencer) : () => {};
  return {
    sequencer,
    stop() {
      stopCatchingUp();
      ctx.events.off('room.changed', committedHere);
      io.off('room:changed', committedElsewhere);
      sequencer.clear();
    },
  };
}

/**
 * A change committed on another node reaches this one through Redis; one Redis dropped or never took
 * (an outage longer than the adapter's backlog, a restart without persistence) would reach this
 * node's clients only with the room's next change. So every `catchUpMs` the node reads the rooms'
 * revs, and a room that was already behind the database at the last look and still is — its changes
 * had a whole interval to arrive — is caught up from the database. One query per interval; a repeat
 * of what the broadcast brings later is dropped by the sequencer.
 */
function catchUp(ctx: Ctx, sequencer: RoomSequencer): () => void {
  let behind = new Map<string, number>();
  let checking = false;
  const check = async () => {
    const delivered = sequencer.revs();
    const ahead = new Map<string, number>();
    const ids = [...delivered.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await ctx.store.db
        .selectFrom('rooms')
        .select(['id', 'last_rev'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        const lastRev = Number(row.last_rev);
        if (lastRev > (delivered.get(row.id) ?? lastRev)) ahead.set(row.id, lastRev);
      }
    }
    for (const [roomId, seen] of behind) if (ahead.has(roomId)) sequencer.catchUp(roomId, seen);
    behind = ahead;
  };
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    check()
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'catching up on room changes failed'))
      .finally(() => {
        checking = false;
      });
  }, catchUpMs);
  timer.unref();
  return () => clearInterval(timer);
}
