import type { Message } from '@parley/protocol';
import type { Ctx } from '../context.js';
import type { RoomChange } from '../events.js';
import { indexMentions, touchesMentions } from './mention-index.js';
import { PushDispatcher } from './push/dispatcher.js';
import { loadVapidKeys, type VapidKeys } from './push/keys.js';
import { PushSender } from './push/sender.js';

/** How long changes gather before the queue works on them: one pass per room, not one per message. */
const gatherMs = 25;
/**
 * How long new messages gather before deciding who gets a push. A push waits PUSH_QUIET_MS for its
 * burst to end anyway, so deciding a few times a second instead of every 25 ms delays nobody's push;
 * it saves the decision's query per busy room per turn, which was a sixth of a send's CPU in the ingest
 * bench (bench/results.md, 2026-12-01 22:10).
 */
const decideMs = 250;

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
export async function startAttention(ctx: Ctx): Promise<Attention> {
  const keys = await loadVapidKeys(ctx.config, (message) => ctx.log.warn(message));
  const sender = keys ? new PushSender(ctx, keys) : undefined;
  const dispatcher = sender ? new PushDispatcher(ctx, sender) : undefined;
  let pending: RoomChange[] = [];
  let timer: NodeJS.Timeout | undefined;
  // New messages per room, in seq order, waiting for the next push decision.
  let undecided = new Map<string, Message[]>();
  let decideTimer: NodeJS.Timeout | undefined;
  let working: Promise<void> = Promise.resolve();
  let closed = false;

  const decide = async (rooms: Map<string, Message[]>) => {
    if (!dispatcher) return;
    const anyone = await dispatcher.anyoneSubscribed().catch((error: unknown) => {
      ctx.log.warn({ err: error }, 'could not decide on pushes');
      return false;
    });
    if (!anyone) return;
    for (const [roomId, messages] of rooms) {
      await dispatcher
        .decide(roomId, messages)
        .catch((error: unknown) => ctx.log.warn({ err: error, roomId }, 'could not decide on pushes'));
    }
  };
  const decideNow = () => {
    decideTimer = undefined;
    const rooms = undecided;
    undecided = new Map();
    working = working.then(() => decide(rooms));
  };
  const work = async (changes: RoomChange[]) => {
    for (const change of changes) {
      if (touchesMentions(change)) {
        await indexMentions(ctx, change).catch((error: unknown) =>
          ctx.log.warn({ err: error, roomId: change.roomId }, 'could not count mentions'),
        );
      }
      if (!dispatcher) continue;
      for (const event of change.events) {
        if (event.type !== 'new') continue;
        const list = undecided.get(change.roomId) ?? [];
        list.push(event.message);
        undecided.set(change.roomId, list);
      }
    }
    if (undecided.size > 0 && !closed)
      decideTimer ??= setTimeout(decideNow, Math.min(decideMs, ctx.config.attention.pushQuietMs));
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
      if (decideTimer) {
        clearTimeout(decideTimer);
        decideNow();
      }
      await working;
    },
    async close() {
      closed = true;
      ctx.events.off('room.changed', onChange);
      clearTimeout(timer);
      clearTimeout(decideTimer);
      await working;
      dispatcher?.close();
      sender?.close();
    },
  };
}
