import type { Message, NotifyLevel } from '@parley/protocol';
import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { now } from '../../ids.js';
import { defaultLevel, isMuted } from '../levels.js';
import { prefsOf } from '../prefs.js';
import { activeUsers } from './activity.js';
import { type BurstMessage, pushPayload } from './payload.js';
import type { PushSender } from './sender.js';
import { liveSubscriptions } from './subscriptions.js';

interface Burst {
  userId: string;
  roomId: string;
  startedAt: number;
  /** The first and the latest messages of the burst; `count` counts them all. */
  messages: BurstMessage[];
  count: number;
  timer?: NodeJS.Timeout;
}

/** Messages kept per burst: the push names the latest and counts them all. */
const burstKept = 20;

const mentions = (message: Message, userId: string) =>
  message.mentions.includes(userId) || message.groupMention === 'room';

/**
 * Decides who gets a push for the messages a commit made, and gathers each person's messages of a room
 * into bursts: a burst ends after PUSH_QUIET_MS without another, or PUSH_MAX_WAIT_MS after it began,
 * and then gives one push, if the person is still away and has not read it meanwhile. Runs after the
 * commit, from the attention queue: nothing here is on a send's way to its ack.
 */
export class PushDispatcher {
  readonly #bursts = new Map<string, Burst>();
  readonly #flushing = new Set<Promise<void>>();
  #closed = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly sender: PushSender,
  ) {}

  /**
   * Whether anyone at all has a device to push to. Until someone subscribes (most servers for a long
   * while, every server without Web Push users) there is nothing to decide: one query per pass instead
   * of two per busy room, which were 10 µs of a send's CPU in the ingest bench (bench/results.md,
   * 2026-12-02).
   */
  async anyoneSubscribed(): Promise<boolean> {
    const row = await this.ctx.store.db
      .selectFrom('push_subscriptions')
      .select(sql.lit(1).as('one'))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** New messages of one room, in seq order. */
  async decide(roomId: string, messages: Message[]): Promise<void> {
    const { db } = this.ctx.store;
    // The count the membership triggers keep, not a COUNT over a room that may have 10,000 members.
    const room = await db
      .selectFrom('rooms')
      .select(['kind', 'member_count'])
      .where('id', '=', roomId)
      .executeTakeFirst();
    if (!room) return;
    const fallback = defaultLevel(this.ctx, room.kind, Number(room.member_count));
    const named = [...new Set(messages.flatMap((m) => m.mentions))];
    const wholeRoom = messages.some((m) => m.groupMention === 'room');
    // Only people with a device to push to, and of those only who could want these messages: in a
    // big room that is the mentioned and those who asked for everything (an index finds them).
    const candidates = await db
      .selectFrom('memberships as m')
      .select(['m.user_id', 'm.notify_level', 'm.notify_muted_until'])
      .where('m.room_id', '=', roomId)
      .where((eb) =>
        eb.or([
          eb('m.notify_level', '=', 'all'),
          ...(fallback === 'all' ? [eb('m.notify_level', 'is', null)] : []),
          ...(wholeRoom ? [eb('m.notify_level', 'is', null), eb('m.notify_level', '!=', 'none')] : []),
          ...(named.length > 0 ? [eb('m.user_id', 'in', named)] : []),
        ]),
      )
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('push_subscriptions as p')
            .select(sql.lit(1).as('one'))
            .whereRef('p.user_id', '=', 'm.user_id'),
        ),
      )
      .execute();
    const at = now();
    for (const member of candidates) {
      if (isMuted(member.notify_muted_until, at)) continue;
      const level: NotifyLevel = member.notify_level ?? fallback;
      if (level === 'none') continue;
      const wanted = messages.filter(
        (m) =>
          m.author.id !== member.user_id &&
          !m.deleted &&
          (level === 'all' || room.kind === 'dm' || mentions(m, member.user_id)),
      );
      if (wanted.length > 0) this.#extend(member.user_id, roomId, wanted);
    }
  }

  #extend(userId: string, roomId: string, messages: Message[]): void {
    const key = `${userId} ${roomId}`;
    let burst = this.#bursts.get(key);
    if (!burst) {
      burst = { userId, roomId, startedAt: Date.now(), messages: [], count: 0 };
      this.#bursts.set(key, burst);
    }
    burst.count += messages.length;
    for (const m of messages) {
      burst.messages.push({
        seq: m.seq,
        at: m.threadSeq ?? m.seq,
        author: m.author.username,
        text: m.text,
        mentionsMe: mentions(m, userId),
      });
    }
    if (burst.messages.length > burstKept) burst.messages.splice(1, burst.messages.length - burstKept);
    const { pushQuietMs, pushMaxWaitMs } = this.ctx.config.attention;
    const due = Math.min(burst.startedAt + pushMaxWaitMs, Date.now() + pushQuietMs);
    clearTimeout(burst.timer);
    const current = burst;
    burst.timer = setTimeout(() => this.#flush(key, current), Math.max(0, due - Date.now()));
    burst.timer.unref();
  }

  #flush(key: string, burst: Burst): void {
    if (this.#bursts.get(key) === burst) this.#bursts.delete(key);
    if (this.#closed) return;
    const done = this.#push(burst)
      .catch((error: unknown) => this.ctx.log.warn({ err: error }, 'could not prepare a push'))
      .finally(() => this.#flushing.delete(done));
    this.#flushing.add(done);
  }

  async #push(burst: Burst): Promise<void> {
    const { userId, roomId } = burst;
    // At Parley right now: they see it there, so no push.
    if ((await activeUsers(this.ctx, [userId])).has(userId)) return;
    const last = burst.messages.reduce((max, m) => Math.max(max, m.seq), 0);
    const { db } = this.ctx.store;
    // The claim: one node, once per burst, only if not read (or pushed) meanwhile and not muted since.
    const claimed = await db
      .updateTable('memberships')
      .set({ pushed_seq: last })
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .where('pushed_seq', '<', last)
      .where('read_seq', '<', last)
      .where((eb) => eb.or([eb('notify_muted_until', 'is', null), eb('notify_muted_until', '<=', now())]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return;
    const [room, prefs, subscriptions] = await Promise.all([
      db.selectFrom('rooms').select(['id', 'name', 'kind']).where('id', '=', roomId).executeTakeFirst(),
      prefsOf(this.ctx, userId),
      liveSubscriptions(this.ctx, userId),
    ]);
    if (!room || subscriptions.length === 0) return;
    const payload = await pushPayload(this.ctx, userId, room, burst.messages, burst.count, prefs.pushText);
    const text = JSON.stringify(payload);
    const urgent = room.kind === 'dm' || burst.messages.some((m) => m.mentionsMe);
    // A topic is at most 32 URL-safe characters; room ids are shorter.
    const topic = roomId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || 'room';
    for (const subscription of subscriptions) {
      this.sender.enqueue(subscription, text, topic, urgent ? 'high' : 'normal');
    }
  }

  /** Sends every open burst now (tests; a stopping node could too). */
  async flushAll(): Promise<void> {
    for (const [key, burst] of [...this.#bursts]) {
      clearTimeout(burst.timer);
      this.#flush(key, burst);
    }
    await Promise.all([...this.#flushing]);
  }

  close(): void {
    this.#closed = true;
    for (const burst of this.#bursts.values()) clearTimeout(burst.timer);
    this.#bursts.clear();
  }
}
