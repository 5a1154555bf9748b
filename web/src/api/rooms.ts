import type {
  HistoryReply,
  MembersReply,
  Message,
  Room,
  RoomDetailsReply,
  Visibility,
} from '@parley/protocol';
import { request } from './http';

const base = '/api/chat/rooms';
const at = (roomId: string) => `${base}/${encodeURIComponent(roomId)}`;

export const listRooms = () => request<{ rooms: Room[] }>('GET', base);

export const createRoom = (name: string, description: string, visibility: Visibility) =>
  request<{ room: Room }>('POST', base, { name, description, visibility });

export const roomDetails = (roomId: string) => request<RoomDetailsReply>('GET', at(roomId));

/** The next page of a big room's members (its details bring the first). */
export const memberPage = (roomId: string, cursor: string) =>
  request<MembersReply>('GET', `${at(roomId)}/members?cursor=${encodeURIComponent(cursor)}`);

export const joinRoom = (roomId: string) => request<{ room: Room }>('POST', `${at(roomId)}/join`);

export const leaveRoom = (roomId: string) => request<void>('POST', `${at(roomId)}/leave`);

export const addMember = (roomId: string, userId: string) =>
  request<void>('POST', `${at(roomId)}/members`, { userId });

export function history(
  roomId: string,
  cursor: { before?: number; after?: number; around?: number; limit?: number },
) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(cursor)) if (value !== undefined) query.set(key, String(value));
  return request<HistoryReply>('GET', `${at(roomId)}/messages?${query}`);
}

export const postMessage = (roomId: string, text: string, clientId: string) =>
  request<{ message: Message }>('POST', `${at(roomId)}/messages`, { text, clientId });

export const openDm = (userId: string) => request<{ room: Room }>('POST', '/api/dms', { userId });

export const updateRoom = (roomId: string, change: { name?: string; description?: string }) =>
  request<{ room: Room }>('PATCH', at(roomId), change);

export const clearHistory = (roomId: string) => request<void>('DELETE', `${at(roomId)}/messages`);
