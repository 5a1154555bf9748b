import type { Message } from '@parley/protocol';
import type { Ctx } from '../context.js';
import type { RoomChange } from '../events.js';
import { indexMentions } from './mention-index.js';
import { PushDispatcher } from './push/dispatcher.js';
import { loadVapidKeys, type VapidKeys } from './push/keys.js';
import { PushSender } from './push/sender.js';

/** How long changes gather before the queue works on them: one pass per room, not one per message. */
const gatherMs = 25;

export interface Attention {
  /** Undefined when Web Push is off (no VAPID keys every node shares). */
  readonly push?: { keys: VapidKeys; sender: PushSender; dispatcher: PushDispatcher };
  /** Resolves once every change heard so far has been worked on (tests). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What follows a commit for people's attention, apart from the commit itself: mention counts and push
 * decisions. The writer's `room.changed` only appends to a queue here; the work runs on a later turn,
 * a room at a time, so a send's ack never waits for it and a failure here never reaches a sender.
 */
export function startAttention(ctx: Ctx): Attention {
  const keys = loadVapidKeys(ctx.config, (message) => ctx.log.warn(message));
  const sender = keys ? new PushSender(ctx, keys) : undefined;
  const dispatcher = sender ? new PushDispatcher(ctx, sender) : undefined;
  let pending: RoomChange[] = [];
  let timer: NodeJS.Timeout | undefined;
  let working: Promise<void> = Promise.resolve();
  let closed = false;

  const work = async (changes: RoomChange[]) => {
    const fresh = new Map<string, Message[]>();
    for (const change of changes) {
      await indexMentions(ctx, change).catch((error: unknown) =>
        ctx.log.warn({ err: error, roomId: change.roomId }, 'could not count mentions'),
      );
      for (const event of change.events) {
        if (event.type !== 'new') continue;
        const list = fresh.get(change.roomId) ?? [];
        list.push(event.message);
        fresh.set(change.roomId, list);
      }
    }
    if (!dispatcher) return;
    for (const [roomId, messages] of fresh) {
      await dispatcher
        .decide(roomId, messages)
        .catch((error: unknown) => ctx.log.warn({ err: error, roomId }, 'could not decide on pushes'));
    }
  };
  const drain = () => {
    timer = undefined;
    const changes = pending;
    pending = [];
    working = working.then(() => work(changes));
  };
  const onChange = (change: RoomChange) => {
    if (closed) return;
    pending.push(change);
    timer ??= setTimeout(drain, gatherMs);
  };
  ctx.events.on('room.changed', onChange);

  return {
    push: keys && sender && dispatcher ? { keys, sender, dispatcher } : undefined,
    async settled() {
      if (timer) {
        clearTimeout(timer);
        drain();
      }
      await working;
    },
    async close() {
      closed = true;
      ctx.events.off('room.changed', onChange);
      clearTimeout(timer);
      await working;
      dispatcher?.close();
      sender?.close();
    },
  };
}
