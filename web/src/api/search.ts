import type { SearchReply } from '@parley/protocol';
import { request } from './http';

/** `GET /api/search`: parameters as the address holds them (q, roomId, from, after, before, sort, public). */
export const searchMessages = (params: URLSearchParams) =>
  request<SearchReply>('GET', `/api/search?${params}`);
