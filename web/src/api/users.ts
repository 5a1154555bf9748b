import type { UserSummary } from '@parley/protocol';
import { request } from './http';

export type FoundUser = UserSummary & { online: boolean };

export const searchUsers = (prefix: string) =>
  request<{ users: FoundUser[] }>('GET', `/api/users?q=${encodeURIComponent(prefix)}`);
