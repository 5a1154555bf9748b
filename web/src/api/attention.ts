import type {
  NotificationPrefs,
  PushSubscriptionBody,
  ReadsReply,
  RoomNotifications,
  RoomNotificationsBody,
} from '@parley/protocol';
import { request } from './http';

const at = (roomId: string) => `/api/chat/rooms/${encodeURIComponent(roomId)}`;

export const fetchReads = (roomId: string) => request<ReadsReply>('GET', `${at(roomId)}/reads?limit=1000`);

export const putRoomNotifications = (roomId: string, body: RoomNotificationsBody) =>
  request<{ notifications: RoomNotifications }>('PUT', `${at(roomId)}/notifications`, body);

export const fetchPrefs = () => request<{ prefs: NotificationPrefs }>('GET', '/api/me/notifications');

export const patchPrefs = (change: Partial<NotificationPrefs>) =>
  request<{ prefs: NotificationPrefs }>('PATCH', '/api/me/notifications', change);

export const fetchPushKey = () => request<{ key: string }>('GET', '/api/push/key');

export const postPushSubscription = (subscription: PushSubscriptionBody) =>
  request<void>('POST', '/api/push/subscriptions', subscription);

export const deletePushSubscription = (endpoint: string) =>
  request<void>('DELETE', '/api/push/subscriptions', { endpoint });
