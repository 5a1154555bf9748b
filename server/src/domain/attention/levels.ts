import type { NotifyLevel, RoomNotifications, RoomNotificationsBody } from '@parley/protocol';
import { fail } from '../../errors.js';
import type { Auth } from '../accounts/sessions.js';
import type { Ctx } from '../context.js';
import { memberRoom } from '../rooms/access.js';

/** How "muted until turned back on" is stored: a time no mute reaches otherwise. */
export const forever = '9999-12-31T23:59:59.999Z';

/** DMs and small rooms tell of every message by default; in big rooms only mentions would be heard. */
export function defaultLevel(ctx: Ctx, kind: 'room' | 'dm', memberCount: number): NotifyLevel {
  return kind === 'dm' || memberCount <= ctx.config.attention.notifyAllRoomLimit ? 'all' : 'mentions';
}

export const isMuted = (mutedUntil: string | null, at = new Date().toISOString()): boolean =>
  mutedUntil !== null && mutedUntil > at;

/** A member's settings as the API shows them, from the membership's columns. */
export function notificationsOf(
  ctx: Ctx,
  room: { kind: 'room' | 'dm'; memberCount: number },
  stored: { notify_level: NotifyLevel | null; notify_muted_until: string | null },
): RoomNotifications {
  const muted = isMuted(stored.notify_muted_until);
  return {
    level: stored.notify_level ?? defaultLevel(ctx, room.kind, room.memberCount),
    custom: stored.notify_level !== null,
    muted,
    mutedUntil: muted && stored.notify_muted_until !== forever ? stored.notify_muted_until : null,
  };
}

/** `PUT /api/chat/rooms/:id/notifications`: the caller's level and mute in one of their rooms. */
export async function setNotifications(
  ctx: Ctx,
  auth: Auth,
  roomId: string,
  body: RoomNotificationsBody,
): Promise<RoomNotifications> {
  const { room } = await memberRoom(ctx, auth.user.id, roomId);
  const change: { notify_level?: NotifyLevel | null; notify_muted_until?: string | null } = {};
  if (body.level !== undefined) change.notify_level = body.level === 'default' ? null : body.level;
  if (body.mutedUntil !== undefined) {
    if (body.mutedUntil === null || body.mutedUntil === 'forever') {
      change.notify_muted_until = body.mutedUntil === null ? null : forever;
    } else {
      const until = new Date(body.mutedUntil);
      if (until.getTime() <= Date.now()) fail('validation_failed', 'A mute ends in the future.');
      change.notify_muted_until = until.toISOString();
    }
  }
  if (Object.keys(change).length > 0) {
    await ctx.store.db
      .updateTable('memberships')
      .set(change)
      .where('room_id', '=', roomId)
      .where('user_id', '=', auth.user.id)
      .execute();
  }
  const row = await ctx.store.db
    .selectFrom('memberships')
    .select((eb) => [
      'notify_level',
      'notify_muted_until',
      eb
        .selectFrom('memberships as c')
        .select(eb.fn.countAll().as('n'))
        .where('c.room_id', '=', roomId)
        .as('members'),
    ])
    .where('room_id', '=', roomId)
    .where('user_id', '=', auth.user.id)
    .executeTakeFirst();
  if (!row) fail('not_a_member');
  const notifications = notificationsOf(ctx, { kind: room.kind, memberCount: Number(row.members) }, row);
  ctx.events.emit('notifications.changed', { userId: auth.user.id, roomId, notifications });
  return notifications;
}
