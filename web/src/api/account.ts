import type { DeleteMeBody, Profile, ProfilePatch, SessionInfo, User } from '@parley/protocol';
import { request } from './http';

export const updateProfile = (patch: ProfilePatch) => request<{ user: User }>('PATCH', '/api/me', patch);

export const fetchProfile = (userId: string) =>
  request<{ profile: Profile }>('GET', `/api/users/${encodeURIComponent(userId)}`);

export const changePassword = (current: string, password: string) =>
  request<void>('POST', '/api/me/password', { current, password });

export const fetchSessions = () => request<{ sessions: SessionInfo[] }>('GET', '/api/me/sessions');

export const endSession = (sessionId: string) =>
  request<void>('DELETE', `/api/me/sessions/${encodeURIComponent(sessionId)}`);

export const endOtherSessions = () => request<{ ended: number }>('DELETE', '/api/me/sessions');

export const deleteAccount = (body: DeleteMeBody) => request<void>('DELETE', '/api/me', body);

export const forgotPassword = (username: string) =>
  request<void>('POST', '/api/password/forgot', { username });

export const checkResetLink = (token: string) =>
  request<{ username: string; expiresAt: string }>('POST', '/api/password/reset/check', { token });

export const resetPassword = (token: string, password: string) =>
  request<void>('POST', '/api/password/reset', { token, password });

export const verifyEmail = (token: string) => request<void>('POST', '/api/email/verify', { token });
