import type { Ban, Member, Report, ReportStatus, UserSummary } from '@parley/protocol';
import { request } from '../../api/http';

const room = (roomId: string) => `/api/chat/rooms/${encodeURIComponent(roomId)}`;
const user = (userId: string) => encodeURIComponent(userId);

export const setRole = (roomId: string, userId: string, role: 'moderator' | 'member') =>
  request<{ member: Member }>('PATCH', `${room(roomId)}/members/${user(userId)}`, { role });

export const removeMember = (roomId: string, userId: string) =>
  request<void>('DELETE', `${room(roomId)}/members/${user(userId)}`);

/** `until` null: until lifted. */
export const ban = (roomId: string, userId: string, until: string | null, reason?: string) =>
  request<void>('POST', `${room(roomId)}/bans`, { userId, until, reason: reason || undefined });

export const unban = (roomId: string, userId: string) =>
  request<void>('DELETE', `${room(roomId)}/bans/${user(userId)}`);

export const listBans = (roomId: string) => request<{ bans: Ban[] }>('GET', `${room(roomId)}/bans`);

export const mute = (roomId: string, userId: string, until: string | null, reason?: string) =>
  request<{ member: Member }>('POST', `${room(roomId)}/mutes`, {
    userId,
    until,
    reason: reason || undefined,
  });

export const unmute = (roomId: string, userId: string) =>
  request<{ member: Member }>('DELETE', `${room(roomId)}/mutes/${user(userId)}`);

export const report = (roomId: string, seq: number, reason?: string) =>
  request<{ report: Report }>('POST', `${room(roomId)}/messages/${seq}/report`, {
    reason: reason || undefined,
  });

export function reports(query: { status?: ReportStatus; cursor?: string }) {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.cursor) params.set('cursor', query.cursor);
  return request<{ reports: Report[]; nextCursor?: string }>('GET', `/api/moderation/reports?${params}`);
}

export const resolveReport = (id: string, status: 'resolved' | 'dismissed') =>
  request<{ report: Report }>('PATCH', `/api/moderation/reports/${encodeURIComponent(id)}`, { status });

export const blocks = () => request<{ users: UserSummary[] }>('GET', '/api/me/blocks');
export const block = (userId: string) => request<void>('PUT', `/api/me/blocks/${user(userId)}`);
export const unblock = (userId: string) => request<void>('DELETE', `/api/me/blocks/${user(userId)}`);

export const archive = (roomId: string) => request<void>('PUT', `${room(roomId)}/archive`);
export const unarchive = (roomId: string) => request<void>('DELETE', `${room(roomId)}/archive`);
