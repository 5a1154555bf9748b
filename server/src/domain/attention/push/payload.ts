import type { PushPayload } from '@parley/protocol';
import type { Ctx } from '../../context.js';
import { roomViews } from '../../rooms/view.js';

export interface BurstMessage {
  seq: number;
  /** Where a click opens: the message, or its thread's root for a reply. */
  at: number;
  author: string;
  text: string;
  mentionsMe: boolean;
}

const clip = (text: string, max = 240) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Unread messages the person will see on the app icon: their rooms, muted ones left quiet. */
async function badgeOf(ctx: Ctx, userId: string): Promise<number> {
  const rooms = await roomViews(ctx, userId, 'joined');
  return rooms.reduce(
    (sum, room) => sum + (room.joined && !room.notifications?.muted ? room.unreadCount : 0),
    0,
  );
}

/** One push for a burst: who wrote where, and the latest text unless the person hides it. */
export async function pushPayload(
  ctx: Ctx,
  userId: string,
  room: { id: string; name: string; kind: 'room' | 'dm' },
  messages: BurstMessage[],
  count: number,
  showText: boolean,
): Promise<PushPayload> {
  const first = messages[0] as BurstMessage;
  const last = messages.at(-1) as BurstMessage;
  const mention = messages.find((m) => m.mentionsMe);
  const place = room.kind === 'dm' ? last.author : `#${room.name}`;
  let title: string;
  if (count > 1)
    title = room.kind === 'dm' ? `${count} new messages from ${place}` : `${count} new messages in ${place}`;
  else if (room.kind === 'dm') title = last.author;
  else title = mention ? `${last.author} mentioned you in ${place}` : `${last.author} in ${place}`;
  let body: string;
  if (!showText) body = count > 1 ? `Latest from ${last.author}` : 'Open Parley to read it.';
  else body = clip(room.kind === 'dm' || count === 1 ? last.text : `${last.author}: ${last.text}`);
  const target = mention ?? first;
  return {
    roomId: room.id,
    seq: target.seq,
    title,
    body,
    tag: `room:${room.id}`,
    url: `#/rooms/${encodeURIComponent(room.id)}/messages/${target.at}`,
    badge: await badgeOf(ctx, userId),
    count,
  };
}
