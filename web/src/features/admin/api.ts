import type {
  AdminRoom,
  AdminUser,
  AuditEntry,
  Invite,
  ResetLinkReply,
  InviteBody,
  Settings,
  SettingsPatch,
} from '@parley/protocol';
import { request } from '../../api/http';

export type Query = Record<string, string | undefined>;

const withQuery = (path: string, query: Query) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
};
const id = (value: string) => encodeURIComponent(value);

export const users = (query: Query) =>
  request<{ users: AdminUser[]; nextCursor?: string }>('GET', withQuery('/api/admin/users', query));

export const patchUser = (userId: string, change: { disabled?: boolean; admin?: boolean }) =>
  request<{ user: AdminUser }>('PATCH', `/api/admin/users/${id(userId)}`, change);

/** A one-time link that sets a new password for the account, for the admin to hand over. */
export const resetLink = (userId: string) =>
  request<ResetLinkReply>('POST', `/api/admin/users/${id(userId)}/password-reset`);

export const deleteUser = (userId: string, messages: 'keep' | 'remove') =>
  request<void>('DELETE', `/api/admin/users/${id(userId)}?messages=${messages}`);

export const rooms = (query: Query) =>
  request<{ rooms: AdminRoom[]; nextCursor?: string }>('GET', withQuery('/api/admin/rooms', query));

export const patchRoom = (roomId: string, archived: boolean) =>
  request<{ room: AdminRoom }>('PATCH', `/api/admin/rooms/${id(roomId)}`, { archived });

export const deleteRoom = (roomId: string) => request<void>('DELETE', `/api/admin/rooms/${id(roomId)}`);

export const invites = (query: Query) =>
  request<{ invites: Invite[]; nextCursor?: string }>('GET', withQuery('/api/admin/invites', query));

export const createInvite = (body: InviteBody) =>
  request<{ invite: Invite }>('POST', '/api/admin/invites', body);

export const revokeInvite = (inviteId: string) =>
  request<void>('DELETE', `/api/admin/invites/${id(inviteId)}`);

export const settings = () => request<{ settings: Settings }>('GET', '/api/admin/settings');

export const patchSettings = (change: SettingsPatch) =>
  request<{ settings: Settings }>('PATCH', '/api/admin/settings', change);

export const audit = (query: Query) =>
  request<{ entries: AuditEntry[]; nextCursor?: string }>('GET', withQuery('/api/admin/audit', query));

/** The audit log's CSV export, for the same filters: fetched with the session's token, saved as a file. */
export const auditCsvPath = (query: Query) => withQuery('/api/admin/audit.csv', query);
